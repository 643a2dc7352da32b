/**
 * Forwarding events to Prefect, through a real core and the contract fake of Prefect's events API
 * (Basic auth, schema, limits, 204/401/422): events go in batches with their Leadbell id and
 * related resources; an auth failure, a refused event, a server error and an unreachable server
 * each show their own state in /api/status; nothing waiting is lost and forwarding resumes when
 * the cause is fixed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrefectFake } from '../fakes/prefect-fake.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

const AUTH = 'leadbell:a-long-random-password';
let fake: PrefectFake;
let tc: TestCore;

beforeAll(async () => {
  fake = await PrefectFake.start({ authString: AUTH });
});
afterAll(async () => {
  await fake?.stop();
});
beforeEach(async () => {
  fake.events.clear();
  fake.batches.length = 0;
  fake.setOutage(null);
  fake.refuse(null);
  tc = await startTestCore();
  await tc.api('PUT', '/api/secrets/integration.prefect.auth_string', { value: AUTH });
  await tc.api('PUT', '/api/settings', { integrations: { prefect: { api_url: fake.apiUrl } }, receiver: { rate_limit_per_minute: 0 } });
});
afterEach(async () => {
  await tc?.stop();
});


const optin = (i: number) => post(tc.url('/api/webhooks/lead-optin'), { email: `p${i}@example.com`, first_name: `P${i}` }, { accept: 'application/json' });
const prefectStatus = async () => (await tc.api('GET', '/api/status')).body.prefect;

describe('forwarding to Prefect', () => {
  it('sends every event once, in batches, with its Leadbell id, time and related resources', async () => {
    const sent = await Promise.all(Array.from({ length: 60 }, (_, i) => optin(i)));
    expect(sent.map((r) => r.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    await until('60 events at Prefect', () => fake.events.size === 60);
    expect(fake.batches.reduce((a, b) => a + b, 0)).toBe(60);
    expect(fake.batches.length).toBeLessThan(60);

    const events = (await tc.api('GET', '/api/events?limit=100')).body.items as { id: string; occurred: string; event: string }[];
    for (const e of events) {
      const got = fake.events.get(e.id.toLowerCase());
      expect(got, e.id).toBeDefined();
      expect(got!.occurred).toBe(e.occurred);
      expect(got!.event).toBe('lead.opted_in');
      expect(got!.related.map((r) => r['prefect.resource.role'])).toContain('endpoint');
    }
    const status = await prefectStatus();
    expect(status).toMatchObject({ configured: true, state: 'connected', sent: 60 });
    await until('an empty backlog', async () => (await prefectStatus()).backlog.waiting === 0);
    const runs = (await tc.api('GET', '/api/runs?flow=prefect&limit=100')).body;
    expect(runs.items.every((r: { status: string }) => r.status === 'completed')).toBe(true);
  });

  it('a wrong auth string stops forwarding with its own state; fixed, what waited goes out', async () => {
    await tc.api('PUT', '/api/secrets/integration.prefect.auth_string', { value: 'leadbell:wrong' });
    await optin(1);
    const stopped = await until('auth_failed', async () => ((await prefectStatus()).state === 'auth_failed' ? prefectStatus() : null));
    expect(stopped.http_status).toBe(401);
    expect(stopped.detail).toMatch(/401/);
    expect(JSON.stringify(stopped)).not.toContain('wrong');
    expect(stopped.backlog.waiting).toBe(1);
    expect(fake.events.size).toBe(0);

    // As after minutes of refusals: the send's next attempt is five minutes away.
    const later = new Date(Date.now() + 5 * 60_000).toISOString();
    const postpone = tc.core.db.prepare("UPDATE steps SET next_attempt_at = ? WHERE status = 'pending' AND integration = 'prefect'");
    await until('the send waiting for its next attempt', () => postpone.run(later).changes === 1);
    // Saving the right credential sends what waited at once, not after its backoff.
    await tc.api('PUT', '/api/secrets/integration.prefect.auth_string', { value: AUTH });
    await until('the event at Prefect', () => fake.events.size === 1, 10_000);
    await until('connected', async () => (await prefectStatus()).state === 'connected');
  }, 60_000);

  it('a refused event fails alone with Prefect\'s reason; the rest of its batch is stored', async () => {
    fake.refuse((e) => e.payload.email === 'p2@example.com' || e.payload.email === 'p4@example.com', 'Value error, payload refused');
    await Promise.all([0, 1, 2, 3].map(optin));
    await until('3 events at Prefect', () => fake.events.size === 3);
    await until('one failed send', async () => (await prefectStatus()).backlog.failed === 1);
    const failed = (await tc.api('GET', '/api/runs?flow=prefect&status=failed')).body.items;
    const run = (await tc.api('GET', `/api/runs/${failed[0].id}`)).body;
    expect(run.steps[0].error).toMatch(/HTTP 422.*payload refused/);
    // The state is the last answer's: under load the four may go in several batches, so the
    // status is checked on a refused event sent once the others are settled.
    await optin(4);
    const status = await until('rejected', async () => ((await prefectStatus()).state === 'rejected' ? prefectStatus() : null));
    expect(status.detail).toMatch(/payload refused/);
    await until('two failed sends', async () => (await prefectStatus()).backlog.failed === 2);
    expect(fake.events.size).toBe(3);
  });

  it('a server error and an unreachable server each show their own state; nothing is lost', async () => {
    fake.setOutage(503);
    await optin(1);
    await until('server_error', async () => (await prefectStatus()).state === 'server_error');
    expect((await prefectStatus()).http_status).toBe(503);
    fake.setOutage(null);
    await until('the first event at Prefect', () => fake.events.size === 1, 40_000);

    await tc.api('PUT', '/api/settings', { integrations: { prefect: { api_url: 'http://127.0.0.1:9/api' } } });
    await optin(2);
    await until('unreachable', async () => (await prefectStatus()).state === 'unreachable');
    expect((await prefectStatus()).backlog.waiting).toBe(1);
    await tc.api('PUT', '/api/settings', { integrations: { prefect: { api_url: fake.apiUrl } } });
    await until('the second event at Prefect', () => fake.events.size === 2, 40_000);
  }, 90_000);

  it('with forwarding set to none, only triggers set to run on Prefect send their events', async () => {
    await tc.api('PUT', '/api/settings', { integrations: { prefect: { forward: 'none' } } });
    await optin(1);
    await tc.core.engine.idle();
    expect(fake.events.size).toBe(0);
    const t = (await tc.api('GET', '/api/triggers')).body.items.find((x: { id: string }) => x.id === 'lead-optin');
    const saved = await tc.api('PUT', '/api/triggers', { ...t, created_at: undefined, updated_at: undefined, run_on: 'prefect' });
    expect(saved.status).toBe(200);
    await optin(2);
    await until('the event at Prefect', () => fake.events.size === 1);
    const runs = (await tc.api('GET', '/api/runs?limit=50')).body.items as { flow: string; parameters: { email?: string } }[];
    // Run on Prefect only: the lead-optin flow did not run here for the second opt-in.
    expect(runs.filter((r) => r.flow === 'lead-optin' && r.parameters.email === 'p2@example.com')).toHaveLength(0);
    expect(runs.filter((r) => r.flow === 'prefect')).toHaveLength(1);

    // Both: the flow runs here and the event goes to Prefect.
    await tc.api('PUT', '/api/triggers', { ...t, created_at: undefined, updated_at: undefined, run_on: 'both' });
    await optin(3);
    await until('the third event at Prefect', () => fake.events.size === 2);
    await tc.core.engine.idle();
    const after = (await tc.api('GET', '/api/runs?limit=50')).body.items as { flow: string; parameters: { email?: string } }[];
    expect(after.filter((r) => r.flow === 'lead-optin' && r.parameters.email === 'p3@example.com')).toHaveLength(1);
  });
});
