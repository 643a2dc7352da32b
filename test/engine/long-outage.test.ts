/**
 * Retries that ride out a day, on an injected clock: Loops down for six hours (every connection
 * reset) and every nurture call still goes through, each exactly once, on the long schedule
 * (Svix's: https://docs.svix.com/retries); Discord down for good, so its hot-lead alerts are
 * given up after the last attempt, and the bell rings once for Discord, not once per lead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppHealth, Notification, Run } from '../../shared/api/models.js';
import { DEFAULT_MAX_ATTEMPTS, RETRY_SPAN_MS } from '../../electron/core/outbound/backoff.js';
import { ManualClock, startWorld, type World } from './world.js';

const clock = new ManualClock();
const rang: Notification[] = [];
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now }, notify: (n) => rang.push(n) });
});
afterAll(() => w.stop());

const HOUR = 60 * 60_000;
const COLD = 10;

async function health(): Promise<AppHealth[]> {
  return (await w.tc.api('GET', '/api/integrations/health')).body.items as AppHealth[];
}
const step = async (flow: string, eventId: string, name: string) => (await w.run(flow, eventId)).steps!.find((s) => s.name === name)!;

describe('a vendor down for six hours', () => {
  it('every call goes through on the long schedule, each exactly once; a given-up app rings the bell once', async () => {
    const start = clock.ms;
    // The owner chose to have the team told in Slack as well.
    expect((await w.tc.api('PUT', '/api/settings', { app: { problem_message: 'slack' } })).status).toBe(200);
    const slackBefore = w.fakes.slack.messages.length;
    w.fakes.loops.server.down();
    w.fakes.discord.server.down();
    const cold: string[] = [];
    for (let i = 0; i < COLD; i++) cold.push(await w.send('assessment', { email: `outage${i}@example.com`, score: 10 }));
    // Two hot leads: two alerts to Discord, which stays down.
    const hot = [await w.send('assessment', { email: 'hot1@example.com', first_name: 'Hana', score: 95 }), await w.send('assessment', { email: 'hot2@example.com', first_name: 'Hugo', score: 96 })];
    await w.settle();

    const first = await step('assessment', cold[0]!, 'start_nurture');
    expect(first).toMatchObject({ status: 'pending', attempts: 1, failure: { kind: 'unreachable', said: null } });
    expect(Date.parse(first.next_attempt_at!) - clock.ms).toBeGreaterThanOrEqual(4_500);
    const loops = (await health()).find((h) => h.integration === 'loops')!;
    expect(loops).toMatchObject({ state: 'failing', words: 'Loops could not be reached' });
    expect(loops.waiting).toBeGreaterThanOrEqual(COLD);

    // Home's failures tile and the list it opens count the runs still retrying, not only the failed.
    expect((await w.tc.api('GET', '/api/runs?failed=true')).body.total).toBeGreaterThanOrEqual(COLD + 2);

    // Move the clock to each next try the API shows, the way the hours would pass.
    let wakes = 0;
    for (;;) {
      const next = (await health()).map((h) => h.next_try_at).filter((t): t is string => t !== null).sort()[0];
      if (!next) break;
      clock.advance(Math.max(0, Date.parse(next) - clock.ms));
      if (clock.ms - start >= 6 * HOUR) w.fakes.loops.server.down(false);
      w.tc.core.engine.wake();
      await w.settle();
      expect(++wakes).toBeLessThan(200);
    }
    expect(clock.ms - start).toBeGreaterThan(RETRY_SPAN_MS * 0.9);

    // Loops: each lead's nurture event went out once, on the sixth attempt (about 7.5 h in).
    for (const id of cold) expect(await step('assessment', id, 'start_nurture')).toMatchObject({ status: 'completed', attempts: 6 });
    const byKey = w.fakes.loops.sendsByKey();
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < COLD; i++) expect(w.fakes.loops.sendsTo(`outage${i}@example.com`)).toHaveLength(1);
    expect((await health()).find((h) => h.integration === 'loops')).toMatchObject({ state: 'connected', waiting: 0 });

    // Discord: given up after the last attempt, the run says so, and Home can count it.
    for (const id of hot) {
      expect(await step('assessment', id, 'hot_lead_alert')).toMatchObject({ status: 'dead', attempts: DEFAULT_MAX_ATTEMPTS, failure: { kind: 'unreachable' } });
      expect((await w.run('assessment', id)).status).toBe('partial');
    }
    const discord = (await health()).find((h) => h.integration === 'discord')!;
    expect(discord).toMatchObject({ state: 'failing', words: 'Discord could not be reached', failed: [{ label: 'hot-lead alerts', count: 2 }] });

    // The bell: once, for Discord; nothing for Loops, which healed by itself.
    const told = rang.filter((n) => n.kind === 'app_problem');
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe('Hot-lead alerts could not be sent: Discord could not be reached');
    // And one message in the team channel, through Slack (not the failing Discord), in Leadbell's words.
    const team = w.fakes.slack.messages.slice(slackBefore).filter((m) => m.text?.startsWith('Leadbell:'));
    expect(team.map((m) => m.text)).toEqual(['Leadbell: hot-lead alerts could not be sent: Discord could not be reached. Open Leadbell\'s Home to retry them.']);
    const runs = (await w.tc.api('GET', '/api/runs?limit=100')).body.items as Run[];
    expect(runs.length).toBeGreaterThanOrEqual(COLD + 2);
  });
});
