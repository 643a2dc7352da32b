/**
 * A refused auth string pauses forwarding instead of using up the sends' attempts: with a single
 * attempt allowed, a send refused with 401 still waits (not dead-lettered) and goes out once the
 * auth string is fixed, while a 503 with the same single attempt is dead-lettered as usual.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { PrefectFake } from '../fakes/prefect-fake.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

const AUTH = 'leadbell:paused-test';
let fake: PrefectFake;
let tc: TestCore;
beforeAll(async () => {
  fake = await PrefectFake.start({ authString: AUTH });
});
afterAll(async () => {
  await fake?.stop();
});
afterEach(async () => {
  await tc?.stop();
});


async function start(auth: string) {
  tc = await startTestCore({ engine: { maxAttempts: 1 } });
  await tc.api('PUT', '/api/secrets/integration.prefect.auth_string', { value: auth });
  await tc.api('PUT', '/api/settings', { integrations: { prefect: { api_url: fake.apiUrl } } });
}
const sendStep = async () => {
  const runs = (await tc.api('GET', '/api/runs?flow=prefect')).body.items;
  return runs.length ? (await tc.api('GET', `/api/runs/${runs[0].id}`)).body.steps[0] : null;
};

it('a 401 waits without using up attempts, and goes out once fixed', async () => {
  await start('leadbell:wrong');
  await post(tc.url('/api/webhooks/lead-optin'), { email: 'paused@example.com' }, { accept: 'application/json' });
  await until('auth_failed', async () => (await tc.api('GET', '/api/status')).body.prefect.state === 'auth_failed');
  await new Promise((r) => setTimeout(r, 1_500));
  const step = await sendStep();
  expect(step.status).toMatch(/pending|running/);
  await tc.api('PUT', '/api/secrets/integration.prefect.auth_string', { value: AUTH });
  await until('the event at Prefect', () => [...fake.events.values()].some((e) => e.payload.email === 'paused@example.com'), 40_000);
}, 60_000);

it('a 503 with one attempt allowed is dead-lettered as any failing call', async () => {
  await start(AUTH);
  fake.setOutage(503);
  try {
    await post(tc.url('/api/webhooks/lead-optin'), { email: 'outage@example.com' }, { accept: 'application/json' });
    await until('a dead send', async () => (await sendStep())?.status === 'dead');
  } finally {
    fake.setOutage(null);
  }
});
