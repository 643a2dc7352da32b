/** Tunnel settings apply while the app runs; headless mode's environment variables drive them too. */
import { afterEach, expect, it } from 'vitest';
import { envOverrides, parseEnv } from '../../electron/core/config/env.js';
import type { TestCore } from '../helpers/core.js';
import { startTestCore, tempDir } from '../helpers/core.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { FAST, online, startTunnelCore, tunnelOf, waitForTunnel } from './helpers.js';

const servers: FakeLocaltunnelServer[] = [];
let t: TestCore | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const s of servers.splice(0)) await s.close();
});

async function fakeServer(): Promise<FakeLocaltunnelServer> {
  const s = await FakeLocaltunnelServer.start();
  servers.push(s);
  return s;
}

async function waitUntil(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('turning the tunnel off closes it; turning it on brings back the same URL', async () => {
  const server = await fakeServer();
  t = await startTunnelCore(server);
  const { url } = await waitForTunnel(t, online);
  const subdomain = t.core.stores.settings.get().tunnel.subdomain!;

  expect((await t.api('PUT', '/api/settings', { tunnel: { enabled: false } })).status).toBe(200);
  expect(tunnelOf(t)).toMatchObject({ state: 'disabled', url: null });
  await waitUntil(() => !server.clientIds().includes(subdomain), 'the server to drop the client');
  expect((await fetch(`${url}/health`)).status).toBe(404);
  const endpoints = await t.api('GET', '/api/endpoints');
  expect(endpoints.body.items.every((e: { public_url: string | null }) => e.public_url === null)).toBe(true);
  const restart = await t.api('POST', '/api/tunnel/restart', {});
  expect(restart.status).toBe(409);
  expect(restart.body.error.message).toBe('the tunnel is turned off: turn it on in Settings first');

  await t.api('PUT', '/api/settings', { tunnel: { enabled: true } });
  expect(await waitForTunnel(t, online)).toMatchObject({ url, url_changed: false });
});

it('a new subdomain or server chosen by the owner applies at once, without a URL-change alarm', async () => {
  const first = await fakeServer();
  const notified: string[] = [];
  t = await startTunnelCore(first, { core: { notify: (n) => notified.push(n.kind) } });
  await waitForTunnel(t, online);

  await t.api('PUT', '/api/settings', { tunnel: { subdomain: 'my-garage' } });
  expect(await waitForTunnel(t, (s) => online(s) && s.url === first.urlFor('my-garage'))).toMatchObject({
    requested_subdomain: 'my-garage',
    url_changed: false,
  });

  const selfHosted = await fakeServer();
  await t.api('PUT', '/api/settings', { tunnel: { host: selfHosted.host } });
  await waitForTunnel(t, (s) => online(s) && s.url === selfHosted.urlFor('my-garage'));
  expect(selfHosted.registrations).toEqual([{ requested: 'my-garage', assigned: 'my-garage' }]);
  await waitUntil(() => first.clientIds().length === 0, 'the old server to drop the client');

  expect(notified).toEqual([]);
  expect((await t.api('GET', '/api/events?event=tunnel.url_changed')).body.total).toBe(0);
});

it('refuses an invalid subdomain with the field and the rule', async () => {
  const server = await fakeServer();
  t = await startTunnelCore(server);
  const res = await t.api('PUT', '/api/settings', { tunnel: { subdomain: 'My Salon!' } });
  expect(res.status).toBe(400);
  expect(res.body.error.fields).toEqual([{ path: 'tunnel.subdomain', message: 'must be 4-63 lower-case letters, digits or dashes' }]);
});

it('headless: LEADBELL_TUNNEL, LEADBELL_TUNNEL_HOST and LEADBELL_TUNNEL_SUBDOMAIN drive the tunnel', async () => {
  const server = await fakeServer();
  const env = { LEADBELL_TUNNEL: 'localtunnel', LEADBELL_TUNNEL_HOST: server.host, LEADBELL_TUNNEL_SUBDOMAIN: 'shop-by-env' };
  t = await startTestCore({ settingsOverride: envOverrides(parseEnv(env)), tunnel: { timings: FAST } }, tempDir());
  expect((await waitForTunnel(t, online)).url).toBe(server.urlFor('shop-by-env'));
  await t.stop();

  t = await startTestCore({ settingsOverride: envOverrides(parseEnv({ ...env, LEADBELL_TUNNEL: 'off' })), tunnel: { timings: FAST } }, tempDir());
  expect(tunnelOf(t).state).toBe('disabled');
  expect(server.registrations).toHaveLength(1);

  expect(() => parseEnv({ LEADBELL_TUNNEL_SUBDOMAIN: 'Bad_Name' })).toThrow(
    /LEADBELL_TUNNEL_SUBDOMAIN: must be 4-63 lower-case letters, digits or dashes/,
  );
});

it('no tunnel is opened by a core that was not given one, whatever the settings say', async () => {
  const server = await fakeServer();
  const dataDir = tempDir();
  t = await startTestCore({}, dataDir);
  await t.api('PUT', '/api/settings', { tunnel: { enabled: true, host: server.host } });
  expect(t.core.tunnel).toBeNull();
  expect((await t.api('GET', '/api/status')).body.tunnel.state).toBe('disabled');
  expect((await t.api('POST', '/api/tunnel/restart', {})).status).toBe(409);
  expect(server.registrations).toEqual([]);
});
