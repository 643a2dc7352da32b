/**
 * Outbound faults: every vendor fake fails about a third of its calls at random (500, 429 with
 * Retry-After, no answer until the client's timeout), and Meta's host is unreachable part of
 * the time (connection refused). A burst of opt-ins, assessments, sales-page visits and email
 * clicks must still end with every run finished and every step completed, skipped, or
 * dead-lettered with its reason; each vendor acted exactly as often as steps completed (no
 * duplicate sends, nothing sent for a dead-lettered step; a Slack line or a Discord embed per
 * alert); and no vendor ever saw more calls in a window than its rate limit allows.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Run, Step } from '../../shared/api/models.js';
import type { Settings } from '../../shared/settings.js';
import { loopsIdempotencyKey } from '../../electron/core/integrations/loops.js';
import { backoffMs } from '../../electron/core/outbound/backoff.js';
import { PacerRegistry, type RatePolicy, type Vendor } from '../../electron/core/outbound/rate-limiter.js';
import type { Failure } from '../fakes/fake-server.js';
import { configureFakes, startFakes, type Fakes } from '../fakes/vendors.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { DelayProxy } from './support/delay-proxy.js';
import { FlappingProxy } from './support/flapping-proxy.js';

const SEED = Number(process.env.LEADBELL_FUZZ_SEED ?? 20_240_611);
const SCALE = process.env.LEADBELL_RELIABILITY === 'full' ? 3 : 1;
/** Every vendor's pace, scaled down in time so the run takes seconds; the clients get the same. */
const POLICY: RatePolicy = { limit: 10, windowMs: 200 };
const VENDOR_NAMES = ['loops', 'discord', 'slack', 'notion', 'meta'] as const satisfies readonly Vendor[];
const FAILURES: Failure[] = [{ status: 500 }, { status: 429, retryAfter: 1 }, { mode: 'hang' }];
const MAX_ATTEMPTS = 5;
const LOOPS_STEPS = new Set(['send_cta_email', 'start_nurture', 'follow_up_email']);

let fakes: Fakes;
let meta: FlappingProxy;
let t: TestCore;

beforeAll(async () => {
  fakes = await startFakes(Object.fromEntries(VENDOR_NAMES.map((v) => [v, POLICY])));
  t = await startTestCore({
    // Five attempts on the long schedule shrunk 1,000 times (5 ms, 0.3 s, 1.8 s, 7.2 s) keep the run
    // short; Retry-After is still honoured in full.
    engine: { maxAttempts: MAX_ATTEMPTS, backoff: (attempt, retryAfterMs) => Math.max(backoffMs(attempt) / 1_000, retryAfterMs ?? 0) },
    integrations: {
      pacers: new PacerRegistry(),
      timeoutMs: 1_000,
      rateLimits: Object.fromEntries(VENDOR_NAMES.map((v) => [v, POLICY])),
    },
    settingsOverride: { apply: (s: Settings) => ({ ...s, receiver: { ...s.receiver, rate_limit_per_minute: 0 } }), names: [] },
  });
  configureFakes(t.core, fakes);
  // Meta behind a host that refuses connections for a third of the time; it starts down, so the
  // burst's first Meta calls are surely refused (Meta's calls are few: they go out in batches).
  meta = await FlappingProxy.start(fakes.meta.server.origin, 200, 100, { startDown: true });
  t.core.stores.settings.update({ integrations: { meta: { base_url: fakes.meta.url.replace(fakes.meta.server.origin, meta.origin) } } });
  VENDOR_NAMES.forEach((v, i) => fakes[v].server.failRandomly(1 / 3, SEED + i, FAILURES));
  // Alerts waiting together share a message, so Slack and Discord see few calls: a combined
  // message surely fails too (every alert in it is retried).
  fakes.slack.server.failNext(1, { status: 500 }, (r) => String((r.body as { text?: unknown }).text).includes('\n'));
  fakes.discord.server.failNext(1, { status: 500 }, (r) => ((r.body as { embeds?: unknown[] }).embeds?.length ?? 0) > 1);
});
afterAll(async () => {
  await meta?.stop();
  await t?.stop();
  await fakes?.stop();
});

async function send(endpoint: string, body: Record<string, unknown>): Promise<string> {
  const res = await post(t.url(`/api/webhooks/${endpoint}`), body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return (res.body as { event_id: string }).event_id;
}


describe('a third of vendor calls failing', () => {
  let runs: Run[] = [];
  let steps: (Step & { flow: string })[] = [];

  beforeAll(async () => {
    const optins = 40 * SCALE;
    await Promise.all(
      Array.from({ length: optins }, (_, i) =>
        send('lead-optin', { email: `optin-${i}@example.com`, first_name: `Opt${i}`, visitor_id: `v-${i}`, segment: ['fitness', 'auto-repair', 'beauty-salon', 'other'][i % 4] }),
      ),
    );
    await Promise.all(
      Array.from({ length: 30 * SCALE }, (_, i) => send('assessment', { email: `assess-${i}@example.com`, first_name: `As${i}`, score: [92, 64, 21][i % 3] })),
    );
    // Visits and clicks from leads that exist by now (creating a lead touches no vendor).
    await vi.waitFor(() => expect(t.core.stores.leads.count() >= optins, 'the opt-in leads').toBe(true), { timeout: 30_000, interval: 50 });
    await vi.waitFor(() => expect(t.logs.join('\n'), 'a Meta call refused').toContain('ECONNREFUSED'), { timeout: 30_000, interval: 50 });
    await meta.flap();
    await Promise.all(
      Array.from({ length: 30 * SCALE }, (_, i) => send('sales-page-visit', { visitor_id: `v-${i}`, page_url: 'https://example.com/pricing', duration: 45 })),
    );
    await Promise.all(
      Array.from({ length: 20 * SCALE }, (_, i) =>
        send('email-engagement', { email: `optin-${i}@example.com`, event_type: 'click', email_id: 'email-1', link_url: 'https://example.com/book' }),
      ),
    );
    const db = t.core.db;
    await vi.waitFor(() => expect(db.prepare('SELECT count(*) FROM events WHERE dispatched = 0').pluck().get() === 0 && db.prepare("SELECT count(*) FROM runs WHERE status NOT IN ('completed', 'partial', 'failed')").pluck().get() === 0, 'every run to finish').toBe(true), { timeout: 240_000, interval: 50 });
    await t.core.engine.idle();
    runs = (await t.api('GET', '/api/runs?limit=1000')).body.items as Run[];
    const full = await Promise.all(runs.map(async (r) => (await t.api('GET', `/api/runs/${r.id}`)).body as Run));
    steps = full.flatMap((r) => (r.steps ?? []).map((s) => ({ ...s, flow: r.flow })));
  }, 300_000);

  it('the faults really happened: 500s, 429s, timeouts and refused connections', () => {
    const log = t.logs.join('\n');
    const statuses = VENDOR_NAMES.flatMap((v) => fakes[v].server.requests.map((r) => r.status));
    expect(statuses.filter((s) => s === 500).length, '500s').toBeGreaterThan(10);
    expect(statuses.filter((s) => s === 429).length, '429s').toBeGreaterThan(10);
    expect(statuses.filter((s) => s === null).length, 'calls left unanswered').toBeGreaterThan(10);
    for (const v of VENDOR_NAMES) {
      const calls = fakes[v].server.requests.length;
      const failed = fakes[v].server.requests.filter((r) => r.status === null || r.status >= 429).length;
      expect(failed, `${v}: failed calls`).toBeGreaterThan(0);
      // Alerts waiting together share a message, so Slack and Discord see few calls: a share says
      // something only over many.
      if (calls >= 30) expect(failed / calls, `${v}: share of failed calls`).toBeGreaterThan(0.15);
    }
    // Unanswered calls are cut by the client's timeout (counted above); refusals show in the log.
    expect(log.includes('ECONNREFUSED'), 'a refused connection').toBe(true);
    expect(steps.filter((s) => s.attempts >= 2).length).toBeGreaterThan(20);
  });

  it('every run finished; every step completed, skipped, or dead-lettered with its reason', () => {
    expect(runs.length).toBeGreaterThan(150 * SCALE);
    for (const r of runs) expect(['completed', 'partial', 'failed'], `run ${r.id} (${r.flow})`).toContain(r.status);
    const unfinished = steps.filter((s) => !['completed', 'skipped', 'dead', 'failed'].includes(s.status));
    expect(unfinished).toEqual([]);
    for (const s of steps.filter((x) => x.status === 'dead')) {
      // A 429 waits as asked and never gives a call up, but its attempt counts: a step gives up at
      // its first failure on or after the last attempt, and says how many it made.
      expect(s.error, `${s.flow}/${s.name}`).toMatch(new RegExp(`^gave up after ${s.attempts} attempts: .+`));
      expect(s.attempts).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
    }
    // Every injected fault is worth retrying: none may end as a permanent failure.
    expect(steps.filter((s) => s.status === 'failed').map((s) => `${s.flow}/${s.name}: ${s.error}`)).toEqual([]);
    const tally = (st: string) => steps.filter((s) => s.status === st).length;
    console.log(`outbound faults: ${runs.length} runs, steps completed ${tally('completed')}, skipped ${tally('skipped')}, dead-lettered ${tally('dead')}, retried ${steps.filter((s) => s.attempts >= 2).length}`);
  });

  it('no duplicate sends: each vendor acted exactly once per completed step, never for a dead-lettered one', () => {
    const done = (names: string[]) => steps.filter((s) => names.includes(s.name) && s.status === 'completed');
    // Loops, by idempotency key: one accepted send per completed step, none for the rest.
    const byKey = fakes.loops.sendsByKey();
    expect([...byKey.values()].filter((n) => n > 1)).toEqual([]);
    for (const s of steps.filter((x) => LOOPS_STEPS.has(x.name))) {
      expect(byKey.get(loopsIdempotencyKey(s.idempotency_key)) ?? 0, `${s.flow}/${s.name} ${s.status}`).toBe(s.status === 'completed' ? 1 : 0);
    }
    // Alerts waiting together share a message: a line each on Slack, an embed each on Discord.
    expect(fakes.slack.messages.flatMap((m) => (m.text ?? '').split('\n')).length).toBe(done(['notify_slack']).length);
    expect(fakes.discord.messages.flatMap((m) => m.embeds).length).toBe(done(['hot_lead_alert', 'high_engagement_alert']).length);
    // Notion: every page came from a completed step, one page per lead, and every mirrored lead
    // points at its page.
    expect(fakes.notion.pages.size).toBeLessThanOrEqual(done(['mirror_to_notion']).length);
    const leads = [...t.core.stores.leads.all({})];
    for (const lead of leads) expect(fakes.notion.pagesWithEmail(lead.email).length, lead.email).toBeLessThanOrEqual(1);
    const mirrored = leads.filter((l) => l.notion_page_id);
    expect(mirrored.length, 'leads mirrored to Notion').toBeGreaterThan(0);
    expect(mirrored.length).toBeLessThanOrEqual(fakes.notion.pages.size);
    for (const lead of mirrored) expect(fakes.notion.pages.has(lead.notion_page_id!), lead.email).toBe(true);
  });

  it("no vendor ever saw more calls in a window than its limit, 429s and retries included", () => {
    for (const v of VENDOR_NAMES) {
      const observed = fakes[v].server.maxObservedRate(POLICY.windowMs);
      expect(observed, `${v}: at most ${POLICY.limit} calls per ${POLICY.windowMs} ms`).toBeLessThanOrEqual(POLICY.limit);
      expect(observed, `${v} was exercised`).toBeGreaterThan(1);
    }
  });
});

describe('two flows mirroring one lead at the same moment', () => {
  let quiet: Fakes;
  let slowNotion: DelayProxy;
  let q: TestCore;
  beforeAll(async () => {
    quiet = await startFakes();
    q = await startTestCore({ integrations: { pacers: new PacerRegistry(), timeoutMs: 5_000 } });
    configureFakes(q.core, quiet);
    // A slow Notion: each flow's "is there a page for this email?" is still unanswered when the next asks.
    slowNotion = await DelayProxy.start(quiet.notion.server.origin, 1_000);
    q.core.stores.settings.update({ integrations: { notion: { base_url: quiet.notion.url.replace(quiet.notion.server.origin, slowNotion.origin) } } });
  });
  afterAll(async () => {
    await slowNotion?.stop();
    await q?.stop();
    await quiet?.stop();
  });

  // Two flows mirroring one lead at once must not each create a Notion page.
  it('an opt-in and a sales-page visit moments apart make one Notion page for the lead', async () => {
    const email = 'twice@example.com';
    expect((await post(q.url('/api/webhooks/lead-optin'), { email, first_name: 'Tw', visitor_id: 'v-twice' })).status).toBe(202);
    await vi.waitFor(() => expect(q.core.stores.leads.byEmail(email) !== undefined, 'the lead').toBe(true), { timeout: 10_000, interval: 50 });
    expect((await post(q.url('/api/webhooks/sales-page-visit'), { visitor_id: 'v-twice', page_url: 'https://example.com/pricing', duration: 45 })).status).toBe(202);
    await q.core.engine.idle();
    const runs = (await q.api('GET', '/api/runs?limit=100')).body.items as Run[];
    expect(runs.map((r) => r.status)).not.toContain('running');
    expect(quiet.notion.pagesWithEmail(email)).toHaveLength(1);
  }, 60_000);
});
