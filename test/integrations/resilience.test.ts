/**
 * Vendors misbehaving at random (seeded, so every run sees the same pattern): 500s, 429s with
 * Retry-After, hung requests, dropped connections and answers lost after the vendor acted.
 * Retried the way the runner retries (backoff schedule, same idempotency key), every lead gets
 * exactly one email and exactly one Notion page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from '../../electron/core/outbound/backoff.js';
import { RetryableError, type CallContext } from '../../electron/core/integrations/types.js';
import type { Failure } from '../fakes/fake-server.js';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { startHarness, type Harness } from './harness.js';

const MODES: Failure[] = [{ status: 500 }, { status: 429, retryAfter: 1 }, { mode: 'hang' }, { mode: 'destroy' }, { mode: 'lose-answer' }];
const NOTION_RATE = { limit: 3, windowMs: 100 };
let fakes: Fakes;
let h: Harness;

beforeAll(async () => {
  fakes = await startFakes({ notion: NOTION_RATE });
  h = startHarness({ fakes, rateLimits: { notion: NOTION_RATE } });
});
afterAll(async () => {
  h.close();
  await fakes.stop();
});

/**
 * The runner's retry loop over the 0.3 s-timeout clients (hung requests are part of the mix),
 * with its stored delays shortened to a twentieth of the schedule's first (the pacer still honours Retry-After).
 */
async function withRetries<T>(key: string, fn: (ctx: CallContext) => Promise<T>): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn({ idempotencyKey: key, attempt }), attempts: attempt };
    } catch (err) {
      if (!(err instanceof RetryableError) || attempt >= DEFAULT_MAX_ATTEMPTS) throw err;
      // The first wait of the schedule for every retry (the long schedule itself is shown with an
      // injected clock in test/engine/long-outage.test.ts); Retry-After is still honoured.
      await new Promise((r) => setTimeout(r, backoffMs(1, err.retryAfterMs) / 20));
    }
  }
}

const emails = Array.from({ length: 12 }, (_, i) => `lead${i}@salon.example`);

describe('random vendor failures', () => {
  it('Loops: every lead gets its email exactly once, and the rate stays within 10/s', async () => {
    fakes.loops.server.failRandomly(0.35, 7, MODES);
    // Arrival order under concurrency varies, so the lost answers the test is about are also placed explicitly.
    fakes.loops.server.failNext(2, { mode: 'lose-answer' });
    const results = await Promise.all(
      emails.map((email, i) =>
        withRetries(`run-${i}:step-2`, (ctx) => h.quick.loops.sendTransactional({ transactionalId: 'email-1-immediate-cta', email, dataVariables: { first_name: 'Ana' } }, ctx)),
      ),
    );
    fakes.loops.server.failRandomly(0, 0);
    const statuses = fakes.loops.server.requests.map((r) => r.status);
    // The pattern did hit: failures of several kinds happened and were retried.
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect(statuses.filter((s) => s === null || s >= 500 || s === 429).length).toBeGreaterThanOrEqual(3);
    expect(fakes.loops.server.requests.some((r) => r.answerLost)).toBe(true);
    for (const email of emails) expect(fakes.loops.sendsTo(email)).toHaveLength(1);
    expect([...fakes.loops.sendsByKey().values()].every((n) => n === 1)).toBe(true);
    expect(fakes.loops.server.maxObservedRate(1000)).toBeLessThanOrEqual(10);
  });

  it('Notion: every lead has exactly one page, even when a create answer was lost', async () => {
    fakes.notion.server.failRandomly(0.3, 11, MODES);
    fakes.notion.server.failNext(2, { mode: 'lose-answer' }, (r) => r.method === 'POST' && r.path === '/v1/pages');
    await Promise.all(
      emails.map((email, i) =>
        withRetries(`run-${i}:step-5`, (ctx) =>
          h.quick.notion.upsertLead(
            { email, first_name: 'Ana', phone: null, segment: 'fitness', source: null, stage: 'opted_in', score: null, status: 'new', priority: 'normal', engagement_score: 0 },
            null,
            ctx,
          ),
        ),
      ),
    );
    fakes.notion.server.failRandomly(0, 0);
    expect(fakes.notion.server.requests.some((r) => r.answerLost && r.path === '/v1/pages')).toBe(true);
    expect(fakes.notion.server.requests.some((r) => r.status === null || r.status >= 429)).toBe(true);
    for (const email of emails) expect(fakes.notion.pagesWithEmail(email)).toHaveLength(1);
    expect(fakes.notion.server.maxObservedRate(NOTION_RATE.windowMs)).toBeLessThanOrEqual(NOTION_RATE.limit);
  });
});
