/**
 * ngrok run by the same supervisor as localtunnel, in a real core: the status says in words what
 * is wrong, reopening uses the shared backoff, and the URL stays the static domain's.
 */
import { afterEach, expect, it } from 'vitest';
import { envOverrides, parseEnv, secretsFromEnv } from '../../electron/core/config/env.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { FAKE_REMOTE_ADDRESS, FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { FakeNgrokCloud } from '../fakes/ngrok-cloud.js';
import { FAST, online, seedSettings, tunnelOf, waitForTunnel } from './helpers.js';

const TOKEN = '2abcDEFghiJKLmnoPQRstu_vwxYZ0123456789';
const WRONG_TOKEN = '2zzzDEFghiJKLmnoPQRstu_vwxYZ0123456789';
const DOMAIN = 'bella-salon.ngrok-free.app';

let cloud: FakeNgrokCloud;
let t: TestCore | undefined;
let lt: FakeLocaltunnelServer | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await cloud?.close();
  await lt?.close();
  lt = undefined;
});

async function start(token: string | null = TOKEN): Promise<TestCore> {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  const dataDir = tempDir();
  seedSettings(dataDir, { tunnel: { provider: 'ngrok', ngrok_domain: DOMAIN } });
  t = await startTestCore({ secretEnv: token ? { 'tunnel.ngrok.authtoken': token } : {}, tunnel: { timings: FAST, ngrokSdk: async () => cloud.sdk() } }, dataDir);
  return t;
}

async function urlChangedEvents(core: TestCore): Promise<unknown[]> {
  return (await core.api('GET', '/api/events?event=tunnel.url_changed')).body.items;
}

it('comes online on the static domain; a webhook through it is stored with the address ngrok saw', async () => {
  const core = await start();
  const s = await waitForTunnel(core, online);
  expect(s).toMatchObject({ provider: 'ngrok', url: cloud.urlFor(DOMAIN), requested_subdomain: DOMAIN, url_changed: false, last_error: null });
  const res = await fetch(`${s.url}/api/webhooks/lead-optin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [FAKE_REMOTE_ADDRESS]: '198.51.100.23', 'x-forwarded-for': '10.0.0.1' },
    body: JSON.stringify({ email: 'ana@salon.example' }),
  });
  expect(res.status).toBe(202);
  const requests = await core.api('GET', '/api/requests?limit=1');
  expect(requests.body.items[0]).toMatchObject({ via: 'tunnel', client_ip: '198.51.100.23', status: 202 });
  expect((await core.api('GET', '/api/status')).body.receiver.public_base_url).toBe(s.url);
});

it('a wrong authtoken: error in words, never logged; the right one saved in Settings brings it online', async () => {
  const core = await start(null);
  expect((await waitForTunnel(core, (x) => x.state === 'error')).last_error).toMatch(/^ngrok needs your authtoken/);

  expect((await core.api('PUT', `/api/secrets/tunnel.ngrok.authtoken`, { value: WRONG_TOKEN })).status).toBe(200);
  const bad = await waitForTunnel(core, (x) => /ERR_NGROK_107/.test(x.last_error ?? ''));
  expect(bad).toMatchObject({ state: 'error', url: null });
  expect(bad.last_error).toMatch(/^ngrok did not accept the authtoken \(ERR_NGROK_107\)/);

  expect((await core.api('PUT', `/api/secrets/tunnel.ngrok.authtoken`, { value: TOKEN })).status).toBe(200);
  expect((await waitForTunnel(core, online)).url).toBe(cloud.urlFor(DOMAIN));
  const logged = core.logs.join('\n');
  expect(logged).toContain('ERR_NGROK_107');
  expect(logged).not.toContain(WRONG_TOKEN);
  expect(logged).not.toContain(TOKEN);
});

it('a saved authtoken is tried at once, not after the backoff', async () => {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  const dataDir = tempDir();
  seedSettings(dataDir, { tunnel: { provider: 'ngrok', ngrok_domain: DOMAIN } });
  const slow = { ...FAST, backoffBaseMs: 60_000, backoffMaxMs: 60_000 };
  const core = (t = await startTestCore({ tunnel: { timings: slow, ngrokSdk: async () => cloud.sdk() } }, dataDir));
  await waitForTunnel(core, (x) => x.state === 'error');
  await core.api('PUT', `/api/secrets/tunnel.ngrok.authtoken`, { value: TOKEN });
  expect(await waitForTunnel(core, online, 5_000)).toMatchObject({ url: cloud.urlFor(DOMAIN) });
});

it('no network: offline in words, and back on the same URL when the network returns', async () => {
  const core = await start();
  const url = (await waitForTunnel(core, online)).url;
  cloud.offline();
  const off = await waitForTunnel(core, (x) => x.state === 'offline');
  expect(off.last_error).toBe('cannot reach ngrok (is the computer offline?): failed to establish tcp connection');
  cloud.online();
  expect(await waitForTunnel(core, online)).toMatchObject({ url, url_changed: false, last_error: null, reconnects: 1 });
  expect(await urlChangedEvents(core)).toEqual([]);
});

it('the domain online in another agent: error in words; once that agent stops, the same URL', async () => {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  const other = await new (cloud.sdk().SessionBuilder)().authtoken(TOKEN).connect();
  await other.httpEndpoint().domain(DOMAIN).listen(false);
  const dataDir = tempDir();
  seedSettings(dataDir, { tunnel: { provider: 'ngrok', ngrok_domain: DOMAIN } });
  const core = (t = await startTestCore({ secretEnv: { 'tunnel.ngrok.authtoken': TOKEN }, tunnel: { timings: FAST, ngrokSdk: async () => cloud.sdk() } }, dataDir));
  const taken = await waitForTunnel(core, (x) => x.state === 'error');
  expect(taken.last_error).toMatch(/^the domain bella-salon\.ngrok-free\.app is already online in another ngrok agent \(ERR_NGROK_334\)/);
  await other.close();
  expect(await waitForTunnel(core, online)).toMatchObject({ url: cloud.urlFor(DOMAIN), url_changed: false });
  expect(await urlChangedEvents(core)).toEqual([]);
});

it('a dropped session is reopened by the shared supervisor: backoff while ngrok still holds the domain, then the same URL, no alert', async () => {
  const core = await start();
  const url = (await waitForTunnel(core, online)).url;
  cloud.staleHoldMs = 1_500;
  const droppedAt = performance.now();
  cloud.dropAll();
  const back = await waitForTunnel(core, (x) => x.state === 'online' && x.reconnects >= 1);
  expect(back).toMatchObject({ url, url_changed: false, last_error: null });

  // While the cloud still held the domain, each try was refused with 334, spaced by the
  // supervisor's backoff (FAST: 200 ms doubling, no jitter), not hammered.
  const refused = cloud.attempts.filter((a) => a.at > droppedAt && a.result === 'ERR_NGROK_334').map((a) => a.at);
  expect(refused.length).toBeGreaterThanOrEqual(3);
  const gaps = refused.slice(1).map((at, i) => at - refused[i]!);
  expect(gaps[0]!).toBeGreaterThanOrEqual(180);
  expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
  for (const gap of gaps) expect(gap).toBeLessThan(1_000 * 1.5);
  expect(await urlChangedEvents(core)).toEqual([]);
  // The old session was closed by the supervisor, not left reconnecting beside the new one.
  expect(cloud.sessions.size).toBe(1);
});

it('switching from localtunnel to ngrok in Settings moves the tunnel without a URL-changed alert', async () => {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  lt = await FakeLocaltunnelServer.start();
  const dataDir = tempDir();
  seedSettings(dataDir, { tunnel: { host: lt.host, subdomain: 'bella-salon' } });
  const core = (t = await startTestCore({ secretEnv: { 'tunnel.ngrok.authtoken': TOKEN }, tunnel: { timings: FAST, ngrokSdk: async () => cloud.sdk() } }, dataDir));
  expect(await waitForTunnel(core, online)).toMatchObject({ provider: 'localtunnel', url: lt.urlFor('bella-salon') });

  const res = await core.api('PUT', '/api/settings', { tunnel: { provider: 'ngrok', ngrok_domain: DOMAIN } });
  expect(res.status).toBe(200);
  expect(await waitForTunnel(core, (x) => online(x) && x.provider === 'ngrok')).toMatchObject({ url: cloud.urlFor(DOMAIN), url_changed: false });
  expect(await urlChangedEvents(core)).toEqual([]);
});

it('rejects a domain with a scheme or path, naming the field', async () => {
  const core = await start();
  const res = await core.api('PUT', '/api/settings', { tunnel: { ngrok_domain: 'https://bella-salon.ngrok-free.app/' } });
  expect(res.status).toBe(400);
  expect(res.body.error.fields).toEqual([
    { path: 'tunnel.ngrok_domain', message: 'must be a domain name like bella-salon.ngrok-free.app (no https://, no path)' },
  ]);
});

it('headless: LEADBELL_TUNNEL=ngrok, NGROK_AUTHTOKEN and NGROK_DOMAIN drive the tunnel', async () => {
  cloud = await FakeNgrokCloud.start({ [TOKEN]: [DOMAIN] });
  const env = { LEADBELL_TUNNEL: 'ngrok', NGROK_AUTHTOKEN: TOKEN, NGROK_DOMAIN: DOMAIN };
  const core = (t = await startTestCore(
    { settingsOverride: envOverrides(parseEnv(env)), secretEnv: secretsFromEnv(env), tunnel: { timings: FAST, ngrokSdk: async () => cloud.sdk() } },
    tempDir(),
  ));
  expect(await waitForTunnel(core, online)).toMatchObject({ provider: 'ngrok', url: cloud.urlFor(DOMAIN) });
  const status = (await core.api('GET', '/api/status')).body;
  expect(status.env_overrides).toEqual(expect.arrayContaining(['LEADBELL_TUNNEL', 'NGROK_DOMAIN']));
  expect(JSON.stringify(status)).not.toContain(TOKEN);
  expect(tunnelOf(core).provider).toBe('ngrok');
  expect(() => parseEnv({ NGROK_DOMAIN: 'https://x.ngrok-free.app' })).toThrow(/NGROK_DOMAIN: must be a domain name/);
});
