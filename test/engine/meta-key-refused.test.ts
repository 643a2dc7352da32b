/**
 * Meta refuses an expired or invalid token with HTTP 400 and error.code 190 (OAuthException), not
 * a 401 (https://developers.facebook.com/docs/graph-api/guides/error-handling, "Error Codes": 190
 * "Access token has expired: get a new access token"). Meta's catalog entry says so, and the one
 * key-refused mechanism pauses Meta's lane exactly as it does Loops' for a 401
 * (key-refused.test.ts): no attempts spent while paused, a new token sends every addition once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, Run } from '../../shared/api/models.js';
import { sha256Hex } from '../../electron/core/integrations/meta.js';
import { ManualClock, startWorld, type World } from './world.js';

const clock = new ManualClock();
const rang: Notification[] = [];
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now }, notify: (n) => rang.push(n) });
});
afterAll(() => w.stop());

const HOUR = 60 * 60_000;
const LEADS = 20;
const metaHits = () => w.fakes.meta.server.requests.length;

async function audienceSteps(eventIds: string[]) {
  const runs = await Promise.all(eventIds.map((id) => w.run('assessment', id)));
  return runs.map((r: Run) => r.steps!.find((s) => s.name === 'add_to_audience')!);
}

describe("Meta's expired token (400, code 190)", () => {
  it('a Send test says Meta refused the access token, and the card turns to "key refused"', async () => {
    const good = w.fakes.meta.accessToken;
    w.tc.core.stores.secrets.set('integration.meta.access_token', 'EAAnot-a-token');
    const test = await w.tc.api('POST', '/api/integrations/meta/test');
    expect(test.body).toMatchObject({ ok: false, outcome: 'refused', status: 400, words: 'Meta refused the access token' });
    const health = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string }[];
    expect(health.find((h) => h.integration === 'meta')).toMatchObject({ state: 'key_refused' });
    await w.tc.api('PUT', '/api/secrets/integration.meta.access_token', { value: good });
    expect((await w.tc.api('POST', '/api/integrations/meta/test')).body).toMatchObject({ ok: true, words: null });
  });

  it('pauses the Meta lane without spending attempts; a new token adds every lead once, at once', async () => {
    const fresh = w.fakes.meta.expireToken();
    const events: string[] = [];
    for (let i = 0; i < LEADS; i++) events.push(await w.send('assessment', { email: `expired${i}@example.com`, score: 10 }));
    await w.settle();

    let steps = await audienceSteps(events);
    for (const s of steps) {
      expect(s).toMatchObject({ status: 'pending', attempts: 0, waiting_for_key: true, next_attempt_at: null, failure: { kind: 'key_refused' } });
    }
    const refused = w.fakes.meta.server.requests.filter((r) => r.status === 400).length;
    expect(refused).toBeGreaterThan(0);
    expect(w.fakes.meta.uploads).toHaveLength(0);
    const health = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string; words: string; waiting: number }[];
    expect(health.find((h) => h.integration === 'meta')).toMatchObject({ state: 'key_refused', words: 'Meta refused the access token', waiting: LEADS });

    const hitsWhilePaused = metaHits();
    for (let h = 0; h < 3; h++) {
      clock.advance(12 * HOUR);
      w.tc.core.engine.wake();
      await w.settle();
    }
    expect(metaHits()).toBe(hitsWhilePaused);
    steps = await audienceSteps(events);
    expect(steps.every((s) => s.status === 'pending' && s.attempts === 0)).toBe(true);
    expect(rang.filter((n) => n.kind === 'app_problem' && n.title === 'Meta refused the access token')).toHaveLength(1);

    const saved = await w.tc.api('PUT', '/api/secrets/integration.meta.access_token', { value: fresh });
    expect(saved.status).toBe(200);
    await w.settle();
    steps = await audienceSteps(events);
    for (const s of steps) expect(s).toMatchObject({ status: 'completed', attempts: 1, waiting_for_key: false, failure: null });
    const members = w.fakes.meta.audience('assessment_completers').members.get('EMAIL_SHA256')!;
    for (let i = 0; i < LEADS; i++) expect(members.has(sha256Hex(`expired${i}@example.com`))).toBe(true);
    expect(w.fakes.meta.uploads.reduce((n, u) => n + u.rows, 0)).toBe(LEADS);
    const after = (await w.tc.api('GET', '/api/integrations/health')).body.items as { integration: string; state: string; waiting: number }[];
    expect(after.find((h) => h.integration === 'meta')).toMatchObject({ state: 'connected', waiting: 0 });
  });
});
