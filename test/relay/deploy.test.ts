/** One-click deployment against a contract fake of the Cloudflare API, and the uploaded Worker run in workerd. */
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
// @ts-expect-error: a plain ES module script without type declarations
import { bundleRelay } from '../../scripts/relay-bundle.mjs';
import { startLocalRelay } from '../../scripts/relay-local.js';
import { CloudflareFake } from '../fakes/cloudflare-fake.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore | undefined;
let fake: CloudflareFake | undefined;
afterEach(async () => {
  await t?.stop();
  await fake?.server.stop();
  t = fake = undefined;
});

async function setup() {
  fake = await CloudflareFake.start();
  const script = (await bundleRelay(undefined)) as string;
  t = await startTestCore({ relay: { cloudflareApiBase: fake.base, script: async () => script, backoffMs: { min: 50, max: 200 } } });
  return { fake, t, script };
}

it('deploys the Worker with its Durable Object migration, secret and workers.dev route, then upgrades in place', async () => {
  const { fake, t, script } = await setup();
  const res = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ url: 'https://leadbell-relay.owner-shop.workers.dev', account_id: fake.accountId, script_name: 'leadbell-relay' });
  const uploaded = fake.scripts.get('leadbell-relay')!;
  expect(uploaded.modules['worker.js']!.text).toBe(script);
  expect(uploaded.migration_tag).toBe('v1');
  expect(uploaded.sqlite_classes).toEqual(['RelayQueue']);
  expect(uploaded.workers_dev).toBe(true);
  const secret = t.core.stores.secrets.get('relay.secret')!;
  expect(uploaded.secrets.RELAY_SECRET).toBe(secret);
  expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  expect(t.core.stores.settings.get().relay.url).toBe('https://leadbell-relay.owner-shop.workers.dev');
  const status = (await t.api('GET', '/api/status')).body;
  expect(status.relay.url).toBe('https://leadbell-relay.owner-shop.workers.dev');
  expect(status.receiver.public_base_url).toBe('https://leadbell-relay.owner-shop.workers.dev');
  // The token went to the secret store, not the settings or the log.
  expect(JSON.stringify(t.core.stores.settings.get())).not.toContain(fake.token);
  expect(t.logs.join('\n')).not.toContain(fake.token);

  // Redeploy (upgrade): the stored token is used, no migration is repeated, the secret stays.
  const again = await t.api('POST', '/api/relay/deploy', {});
  expect(again.status).toBe(200);
  const uploads = fake.server.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/scripts/leadbell-relay'));
  expect(uploads).toHaveLength(2);
  expect(uploads[1]!.raw.toString()).not.toContain('new_sqlite_classes');
  expect(fake.scripts.get('leadbell-relay')!.secrets.RELAY_SECRET).toBe(secret);

  // What was uploaded really runs, and opens only with the secret that was set.
  const relay = await startLocalRelay({ secret: fake.scripts.get('leadbell-relay')!.secrets.RELAY_SECRET!, script: fake.scripts.get('leadbell-relay')!.modules['worker.js']!.text });
  try {
    expect(await (await fetch(`${relay.url}/health`)).json()).toMatchObject({ status: 'ok' });
    const opened = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/connect`, { headers: { authorization: `Bearer ${secret}` } });
      ws.on('open', () => (ws.close(), resolve(true)));
      ws.on('unexpected-response', () => resolve(false));
      ws.on('error', () => resolve(false));
    });
    expect(opened).toBe(true);
  } finally {
    await relay.close();
  }

  // Remove: the Worker is deleted and the relay is off.
  expect((await t.api('POST', '/api/relay/remove', {})).status).toBe(200);
  expect(fake.scripts.has('leadbell-relay')).toBe(false);
  expect((await t.api('GET', '/api/status')).body.relay.state).toBe('off');
});

it('explains a token without the needed permissions, and an account without a workers.dev subdomain', async () => {
  const { fake, t } = await setup();
  const denied = await t.api('POST', '/api/relay/deploy', { api_token: 'cf-not-the-right-token-000000' });
  expect(denied.status).toBe(400);
  expect(denied.body.error.message).toMatch(/Authentication error.*Workers Scripts · Edit/);
  expect(fake.scripts.size).toBe(0);

  fake.subdomain = null;
  const noSub = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(noSub.status).toBe(409);
  expect(noSub.body.error.message).toMatch(/no workers\.dev subdomain yet/);
  expect(noSub.body.error.message).toContain(`https://dash.cloudflare.com/${fake.accountId}/workers/onboarding`);
  // Read before the upload: nothing half-deployed is left behind.
  expect(fake.scripts.size).toBe(0);
  expect(t.core.stores.settings.get().relay.url).toBeNull();
});

// Cloudflare's API answers 5xx now and then; a failed read of the subdomain is not "no subdomain":
// wrangler reads only code 10007 that way (getWorkersDevSubdomain, packages/wrangler/src/routes.ts).
it('says which step failed: a subdomain that cannot be read is not a missing one, and nothing is uploaded', async () => {
  const { fake, t } = await setup();
  fake.flaky.push({ method: 'GET', path: /\/workers\/subdomain$/, times: 3, status: 502, html: true });
  const down = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(down.status).toBe(503);
  expect(down.body.error.message).toMatch(/^Reading your workers\.dev subdomain failed, so nothing was uploaded\. Cloudflare answered 502/);
  expect(down.body.error.message).not.toMatch(/no workers\.dev subdomain/);
  expect(fake.scripts.size).toBe(0);

  fake.flaky.push({ method: 'GET', path: /\/workers\/subdomain$/, times: 1, status: 403 });
  const refused = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/^Reading your workers\.dev subdomain failed.*Account Settings · Read/);
  expect(fake.scripts.size).toBe(0);

  fake.flaky.push({ method: 'GET', path: /^\/accounts$/, times: 3, status: 500 });
  const accounts = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(accounts.status).toBe(503);
  expect(accounts.body.error.message).toMatch(/^Reading your Cloudflare accounts failed\./);

  fake.flaky.push({ method: 'PUT', path: /\/scripts\/leadbell-relay$/, times: 3, status: 503 });
  const upload = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(upload.status).toBe(503);
  expect(upload.body.error.message).toMatch(/^Uploading the relay failed\./);
  expect(t.core.stores.settings.get().relay.url).toBeNull();
});

it('retries a route call that fails now and then, and says so when it keeps failing', { timeout: 60_000 }, async () => {
  const { fake, t } = await setup();
  fake.flaky.push({ method: 'POST', path: /\/scripts\/leadbell-relay\/subdomain$/, times: 2, status: 502, html: true });
  const res = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(res.status).toBe(200);
  expect(fake.scripts.get('leadbell-relay')!.workers_dev).toBe(true);
  expect(fake.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/subdomain')).length).toBe(3);

  fake.scripts.get('leadbell-relay')!.workers_dev = false;
  fake.flaky.push({ method: 'POST', path: /\/scripts\/leadbell-relay\/subdomain$/, times: 3, status: 503 });
  const stuck = await t.api('POST', '/api/relay/deploy', {});
  expect(stuck.status).toBe(503);
  expect(stuck.body.error.message).toMatch(/^Turning on the workers\.dev address failed: the relay is uploaded but not reachable yet, so deploy again to finish\. Cloudflare refused/);
  expect((await t.api('POST', '/api/relay/deploy', {})).status).toBe(200);
  expect(fake.scripts.get('leadbell-relay')!.workers_dev).toBe(true);
});

it('pages through the accounts a token sees, and reads the applied migration as wrangler does', async () => {
  const { fake, t } = await setup();
  fake.otherAccounts = Array.from({ length: 60 }, (_, i) => ({ id: (i + 1).toString(16).padStart(32, '0'), name: `Shop ${i + 1}` }));
  const many = await t.api('POST', '/api/relay/deploy', { api_token: fake.token });
  expect(many.status).toBe(409);
  expect(many.body.error.message).toMatch(/^This API token can see 61 accounts \(Owner's account, Shop 1, .*Shop 60\): choose one\./);
  // The owner's account is chosen; so is one that appears only on a later page.
  expect((await t.api('POST', '/api/relay/deploy', { api_token: fake.token, account_id: fake.accountId })).status).toBe(200);
  const later = fake.otherAccounts[55]!.id;
  const wrong = await t.api('POST', '/api/relay/deploy', { api_token: fake.token, account_id: 'f'.repeat(32) });
  expect(wrong.body.error.message).toMatch(/cannot reach the account f{32}/);
  expect(fake.server.requests.some((r) => r.path === '/client/v4/accounts' && r.query.get('page') === '2')).toBe(true);
  expect(later).toMatch(/^[0-9a-f]{32}$/);

  // The upgrade read the tag from the service, and so applied no migration again.
  expect((await t.api('POST', '/api/relay/deploy', {})).status).toBe(200);
  expect(fake.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/workers/services/leadbell-relay'))).toHaveLength(2);
  const uploads = fake.server.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/scripts/leadbell-relay'));
  expect(uploads.at(-1)!.raw.toString()).not.toContain('new_sqlite_classes');
  expect(fake.server.requests.some((r) => r.method === 'GET' && r.path.endsWith('/workers/scripts'))).toBe(false);
});

it('uses a hand-deployed relay with the secret set there', async () => {
  const { t } = await setup();
  const res = await t.api('PUT', '/api/relay', { url: 'https://my-relay.example.workers.dev/', secret: 'x'.repeat(40) });
  expect(res.status).toBe(200);
  expect(t.core.stores.settings.get().relay).toMatchObject({ url: 'https://my-relay.example.workers.dev', account_id: null });
  expect(t.core.stores.secrets.get('relay.secret')).toBe('x'.repeat(40));
  const short = await t.api('PUT', '/api/relay', { url: 'https://my-relay.example.workers.dev', secret: 'short' });
  expect(short.status).toBe(400);
});
