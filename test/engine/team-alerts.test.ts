/**
 * Team-chat alerts in a burst, through the real receiver, engine and SQLite, against fakes that
 * refuse what Slack and Discord refuse (more than 10 embeds or 6000 embed characters a message,
 * a message without text) at their real paces: alerts waiting together share messages, every
 * alert appears exactly once, a lone alert is the message it always was, and a refused or
 * throttled combined message fails or retries every alert in it, and only those.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Step } from '../../shared/api/models.js';
import { ManualClock, startWorld, stepsOf, type World } from './world.js';

const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now } });
  // Only the alerts are under test: emails and Notion pages (skipped, not set up) would only slow it.
  w.tc.core.stores.secrets.set('integration.loops.api_key', null);
  w.tc.core.stores.secrets.set('integration.notion.token', null);
  // Bursts from one address: the receiver's per-IP limit is not under test.
  w.tc.core.stores.settings.update({ receiver: { rate_limit_per_minute: 0 } });
});
afterAll(() => w.stop());
beforeEach(async () => {
  await w.settle();
  w.fakes.slack.server.reset();
  w.fakes.discord.server.reset();
});

const HOT = { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 };

/** Every line of the Slack messages from `from` on, in the order they were posted. */
const slackLines = (from: number) => w.fakes.slack.messages.slice(from).flatMap((m) => (m.text ?? '').split('\n'));

/** The opt-in emails starting with `prefix`, in the order their events were stored. */
function storedOrder(prefix: string): string[] {
  const payloads = w.tc.core.db.prepare("SELECT payload_json FROM events WHERE event = 'lead.opted_in' ORDER BY seq").pluck().all() as string[];
  return payloads.map((p) => String((JSON.parse(p) as { email: string }).email)).filter((e) => e.startsWith(prefix));
}

async function optInAll(prefix: string, n: number, fields: (i: number) => Record<string, unknown> = () => ({})): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => w.send('lead-optin', { email: `${prefix}${i}@example.com`, first_name: `N${i}`, ...fields(i) })));
}

async function slackStep(eventId: string) {
  return stepsOf(await w.run('optin-notification', eventId)).notify_slack!;
}

describe('Slack', () => {
  it('a burst of opt-ins at Slack\'s 1 message/s makes a few messages; every opt-in\'s line once, in order', async () => {
    const from = w.fakes.slack.messages.length;
    const N = 40;
    const events = await optInAll('burst-', N);
    await w.settle();
    const messages = w.fakes.slack.messages.slice(from);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(N / 5);
    expect(slackLines(from)).toEqual(storedOrder('burst-').map((email) => `New lead: N${email.slice(6, -12)} (${email})`));
    for (const m of messages) expect(m.text!.split('\n').length).toBeLessThanOrEqual(30);
    // Each run's step completed with its own text.
    for (const [i, id] of events.entries()) {
      expect(await slackStep(id)).toMatchObject({ status: 'completed', attempts: 1, output: { text: `New lead: N${i} (burst-${i}@example.com)` } });
    }
    expect(w.fakes.slack.server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('a lone opt-in makes exactly one message with exactly the configured text', async () => {
    const from = w.fakes.slack.messages.length;
    const set = await w.tc.api('PUT', '/api/settings', { flows: { 'optin-notification': { message: '*Fresh sign-up*: {{ first_name }} <{{ email }}>' } } });
    expect(set.status).toBe(200);
    try {
      const id = await w.send('lead-optin', { email: 'lone@example.com', first_name: 'Lou' });
      await w.settle();
      expect(w.fakes.slack.messages.slice(from)).toEqual([{ text: '*Fresh sign-up*: Lou <lone@example.com>', blocks: undefined }]);
      expect((await slackStep(id)).output).toEqual({ text: '*Fresh sign-up*: Lou <lone@example.com>' });
    } finally {
      await w.tc.api('PUT', '/api/settings', { flows: { 'optin-notification': { message: "New lead: {{ first_name | default('someone') }} ({{ email }})" } } });
    }
  });

  it('an alert too long to share goes alone, whole, and holds up none of the others', async () => {
    const from = w.fakes.slack.messages.length;
    // 20 copies of the source: 4,000 characters for a 200-character source, over the 3,000 a message carries.
    await w.tc.api('PUT', '/api/settings', { flows: { 'optin-notification': { message: `{{ email }} ${'{{ source }}'.repeat(20)}` } } });
    try {
      const long = 'L'.repeat(200);
      const events = await optInAll('long-', 12, (i) => ({ source: i === 5 ? long : 's' }));
      await w.settle();
      const texts = w.fakes.slack.messages.slice(from).map((m) => m.text!);
      const longText = `long-5@example.com ${long.repeat(20)}`;
      expect(texts).toContain(longText);
      expect(texts.length).toBeLessThan(12);
      expect(slackLines(from).sort()).toEqual(Array.from({ length: 12 }, (_, i) => (i === 5 ? longText : `long-${i}@example.com ${'s'.repeat(20)}`)).sort());
      for (const id of events) expect((await slackStep(id)).status).toBe('completed');
    } finally {
      await w.tc.api('PUT', '/api/settings', { flows: { 'optin-notification': { message: "New lead: {{ first_name | default('someone') }} ({{ email }})" } } });
    }
  });

  it('a combined message refused with 400 fails every alert in it, and only those', async () => {
    const from = w.fakes.slack.messages.length;
    w.fakes.slack.server.failNext(1, { status: 400, text: 'invalid_payload' }, (req) => String((req.body as { text?: string }).text).includes('\n'));
    const events = await optInAll('refused-', 20);
    await w.settle();
    const refused = w.fakes.slack.server.requests.find((r) => r.status === 400)!;
    const refusedLines = (refused.body as { text: string }).text.split('\n');
    expect(refusedLines.length).toBeGreaterThan(1);
    const sentLines = slackLines(from);
    for (const [i, id] of events.entries()) {
      const step = await slackStep(id);
      const line = `New lead: N${i} (refused-${i}@example.com)`;
      if (refusedLines.includes(line)) {
        expect(step).toMatchObject({ status: 'failed', attempts: 1, error: 'Slack answered 400: invalid_payload' });
        expect(sentLines).not.toContain(line);
      } else {
        expect(step.status).toBe('completed');
        expect(sentLines.filter((l) => l === line)).toHaveLength(1);
      }
    }
  });

  it('a combined message answered 429 pauses Slack; every alert in it retries no sooner than asked, then all go once', async () => {
    const from = w.fakes.slack.messages.length;
    w.fakes.slack.server.failNext(1, { status: 429, retryAfter: 2, text: 'rate_limited' }, (req) => String((req.body as { text?: string }).text).includes('\n'));
    const events = await optInAll('throttled-', 20);
    await w.settle();
    const limited = (w.fakes.slack.server.requests.find((r) => r.status === 429)!.body as { text: string }).text.split('\n');
    expect(limited.length).toBeGreaterThan(1);
    const waiting: Step[] = [];
    for (const [i, id] of events.entries()) {
      const step = (await w.run('optin-notification', id)).steps!.find((s) => s.name === 'notify_slack')!;
      if (!limited.includes(`New lead: N${i} (throttled-${i}@example.com)`)) continue;
      expect(step).toMatchObject({ status: 'pending', attempts: 1 });
      expect(step.error).toMatch(/429/);
      expect(Date.parse(step.next_attempt_at!) - clock.ms).toBeGreaterThanOrEqual(2_000);
      waiting.push(step);
    }
    expect(waiting).toHaveLength(limited.length);

    clock.advance(Math.max(...waiting.map((s) => Date.parse(s.next_attempt_at!))) - clock.ms);
    w.tc.core.engine.wake();
    await vi.waitFor(async () => {
      for (const id of events) expect((await slackStep(id)).status).toBe('completed');
    }, { timeout: 10_000, interval: 100 });
    const lines = slackLines(from);
    expect(lines.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `New lead: N${i} (throttled-${i}@example.com)`).sort());
    for (const line of limited) expect((await slackStep(events[Number(/N(\d+)/.exec(line)![1])]!)).attempts).toBe(2);
  });
});

describe('Discord', () => {
  it('12 hot assessments at once: messages of at most 10 embeds, every alert once; a lone alert as before', async () => {
    const from = w.fakes.discord.messages.length;
    const events = await Promise.all(
      Array.from({ length: 12 }, (_, i) => w.send('assessment', { email: `hot-${i}@example.com`, first_name: `Hot${i}`, assessment_data: HOT })),
    );
    await w.settle();
    const messages = w.fakes.discord.messages.slice(from);
    // The first goes at once, alone; Discord's 5 per 2 s lets a few more go before the rest wait and share.
    expect(messages.length).toBeLessThanOrEqual(6);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(10);
      if (m.embeds.length === 1) expect(m.content).toBe('🔥 **HOT LEAD ALERT**');
      else expect(m.content).toBe(`🔥 **HOT LEAD ALERT** ×${m.embeds.length}`);
    }
    const titles = messages.flatMap((m) => m.embeds.map((e) => e.title));
    expect(titles.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `Hot${i} - Score: 85`).sort());
    for (const [i, id] of events.entries()) {
      expect(stepsOf(await w.run('assessment', id)).hot_lead_alert).toMatchObject({ status: 'completed', output: { title: `Hot${i} - Score: 85` } });
    }
    expect(w.fakes.discord.server.requests.every((r) => r.status === 204)).toBe(true);
  });

  it('engagement alerts too large to share one message are split under the 6000-character limit', async () => {
    await w.tc.api('PUT', '/api/settings', { flows: { 'email-engagement': { alert_threshold: 10 } } });
    try {
      await optInAll('clicker-', 8);
      await w.settle();
      const from = w.fakes.discord.messages.length;
      // Each alert's embed carries a 2,000-character link: two fit in a message, three do not.
      const link = (i: number) => `https://example.com/${String(i).repeat(1980)}`.slice(0, 2000);
      const events = await Promise.all(
        Array.from({ length: 8 }, (_, i) => w.send('email-engagement', { email: `clicker-${i}@example.com`, event_type: 'click', link_url: link(i) })),
      );
      await w.settle();
      const messages = w.fakes.discord.messages.slice(from);
      const descriptions = messages.flatMap((m) => m.embeds.map((e) => e.description));
      expect(descriptions.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `Clicked: ${link(i)}`).sort());
      expect(messages.some((m) => m.embeds.length > 1)).toBe(true);
      for (const m of messages) expect(m.embeds.length).toBeLessThanOrEqual(2);
      for (const id of events) expect(stepsOf(await w.run('email-engagement', id)).high_engagement_alert!.status).toBe('completed');
    } finally {
      await w.tc.api('PUT', '/api/settings', { flows: { 'email-engagement': { alert_threshold: 50 } } });
    }
  });

  it('a combined message refused with 400 fails every alert in it as a lone refused alert does', async () => {
    w.fakes.discord.server.failNext(1, { status: 400, json: { message: 'Invalid Form Body', code: 50035 } }, (req) => ((req.body as { embeds?: unknown[] }).embeds?.length ?? 0) > 1);
    const events = await Promise.all(
      Array.from({ length: 8 }, (_, i) => w.send('assessment', { email: `refused-hot-${i}@example.com`, first_name: `Ref${i}`, score: 90 })),
    );
    await w.settle();
    const refused = w.fakes.discord.server.requests.find((r) => r.status === 400)!;
    const refusedTitles = (refused.body as { embeds: { title: string }[] }).embeds.map((e) => e.title);
    expect(refusedTitles.length).toBeGreaterThan(1);
    for (const [i, id] of events.entries()) {
      const run = await w.run('assessment', id);
      const step = stepsOf(run).hot_lead_alert!;
      if (refusedTitles.includes(`Ref${i} - Score: 90`)) {
        expect(step).toMatchObject({ status: 'failed', attempts: 1, error: 'Discord answered 400: Invalid Form Body (code 50035)' });
        expect(run.status).toBe('partial');
      } else {
        expect(step.status).toBe('completed');
      }
    }
  });
});
