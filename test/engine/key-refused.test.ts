/**
 * A refused key pauses that app's lane: Loops answers 401 with its documented body
 * ({ success: false, message: "Invalid API key" }, https://loops.so/docs/api-reference/intro,
 * "Authentication"), the calls wait without spending attempts however long the owner takes, and
 * saving a new key sends every one of them at once, each exactly once (the Idempotency-Key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, Run } from '../../shared/api/models.js';
import { ManualClock, startWorld, type World } from './world.js';

const clock = new ManualClock();
const rang: Notification[] = [];
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now }, notify: (n) => rang.push(n) });
});
afterAll(() => w.stop());

const HOUR = 60 * 60_000;
const CALLS = 50;
const loopsHits = () => w.fakes.loops.server.requests.length;

async function nurtureSteps(eventIds: string[]) {
  const runs = await Promise.all(eventIds.map((id) => w.run('assessment', id)));
  return runs.map((r: Run) => r.steps!.find((s) => s.name === 'start_nurture')!);
}

describe('a refused key', () => {
  it('a Send test with a refused key says so in the same words, and turns the card to "key refused"', async () => {
    const good = w.fakes.loops.apiKey;
    w.tc.core.stores.secrets.set('integration.loops.api_key', 'loops_wrong_key_0000');
    const test = await w.tc.api('POST', '/api/integrations/loops/test');
    expect(test.body).toMatchObject({ ok: false, outcome: 'refused', status: 401, words: 'Loops refused the API key' });
    const health = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string; words: string | null }[];
    expect(health.find((h) => h.integration === 'loops')).toMatchObject({ state: 'key_refused', words: 'Loops refused the API key' });
    await w.tc.api('PUT', '/api/secrets/integration.loops.api_key', { value: good });
    const ok = await w.tc.api('POST', '/api/integrations/loops/test');
    expect(ok.body).toMatchObject({ ok: true, words: null });
  });
  it('pauses the lane without spending attempts; a new key sends every call once, at once', async () => {
    const good = w.fakes.loops.apiKey;
    w.tc.core.stores.secrets.set('integration.loops.api_key', 'loops_wrong_key_0000');
    // A cold assessment makes exactly one Loops call: the nurture event.
    const events: string[] = [];
    for (let i = 0; i < CALLS; i++) events.push(await w.send('assessment', { email: `paused${i}@example.com`, score: 10 }));
    await w.settle();

    let steps = await nurtureSteps(events);
    for (const s of steps) {
      expect(s).toMatchObject({ status: 'pending', attempts: 0, waiting_for_key: true, next_attempt_at: null, failure: { kind: 'key_refused' } });
    }
    const refused = w.fakes.loops.server.requests.filter((r) => r.status === 401).length;
    expect(refused).toBeGreaterThan(0);
    // Only calls already under way when the first refusal came back reached Loops.
    expect(refused).toBeLessThan(CALLS);
    expect(w.fakes.loops.sends).toHaveLength(0);

    const health = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string; waiting: number }[];
    expect(health.find((h) => h.integration === 'loops')).toMatchObject({ state: 'key_refused', waiting: CALLS });

    // A day and a half later nothing more has gone to Loops and no attempt was spent.
    const hitsWhilePaused = loopsHits();
    for (let h = 0; h < 3; h++) {
      clock.advance(12 * HOUR);
      w.tc.core.engine.wake();
      await w.settle();
    }
    expect(loopsHits()).toBe(hitsWhilePaused);
    steps = await nurtureSteps(events);
    expect(steps.every((s) => s.status === 'pending' && s.attempts === 0)).toBe(true);

    // The bell rang once for Loops, not once per lead.
    expect(rang.filter((n) => n.kind === 'app_problem')).toHaveLength(1);
    expect(rang[0]!.title).toBe('Loops refused the API key');

    // Saving the key through the API sends them all now: the clock does not move.
    const saved = await w.tc.api('PUT', '/api/secrets/integration.loops.api_key', { value: good });
    expect(saved.status).toBe(200);
    await w.settle();
    steps = await nurtureSteps(events);
    for (const s of steps) expect(s).toMatchObject({ status: 'completed', attempts: 1, waiting_for_key: false, failure: null });
    const byKey = w.fakes.loops.sendsByKey();
    expect(byKey.size).toBe(CALLS);
    expect([...byKey.values()].every((n) => n === 1)).toBe(true);
    const after = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string; waiting: number }[];
    expect(after.find((h) => h.integration === 'loops')).toMatchObject({ state: 'connected', waiting: 0 });
  });

});
