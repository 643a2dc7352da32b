/**
 * When the tunnel cannot be had: a refusing or hanging server leaves a clear state and a
 * responsive app, and a subdomain that stays taken is accepted only after a few tries, loudly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { Notification } from '../../shared/api/models.js';
import { localtunnelProvider } from '../../electron/core/tunnel/localtunnel-provider.js';
import type { TestCore } from '../helpers/core.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { FAST, online, startTunnelCore, tunnelOf, waitForTunnel } from './helpers.js';

let server: FakeLocaltunnelServer;
let t: TestCore | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
  await server?.close();
});

/** The app answers its API while the tunnel is failing, and stops promptly. */
async function expectResponsive(core: TestCore): Promise<void> {
  const status = await core.api('GET', '/api/status');
  expect(status.status).toBe(200);
  expect(status.body.tunnel.state).toBe(tunnelOf(core).state);
}

it('a server that answers 403 leaves a clear error, retries, and comes online once it accepts', async () => {
  server = await FakeLocaltunnelServer.start();
  server.refuse(403, 'Tunnels are not allowed from your network');
  t = await startTunnelCore(server);
  const s = await waitForTunnel(t, (x) => x.state === 'error');
  expect(s.last_error).toBe(`the tunnel server at ${server.host} refused the tunnel (HTTP 403): Tunnels are not allowed from your network`);
  expect(s.url).toBeNull();
  await expectResponsive(t);
  expect((await t.api('GET', '/api/status')).body.receiver.public_base_url).toBe(t.url(''));

  server.behave();
  const back = await waitForTunnel(t, online);
  expect(back.url).toBe(server.urlFor(t.core.stores.settings.get().tunnel.subdomain!));
  expect(back.last_error).toBeNull();
});

it('a server that hangs leaves a clear timeout error, not a hung app', async () => {
  server = await FakeLocaltunnelServer.start();
  server.hang();
  t = await startTunnelCore(server);
  const s = await waitForTunnel(t, (x) => x.state === 'error');
  expect(s.last_error).toBe(`the tunnel server at ${server.host} did not answer within ${FAST.openTimeoutMs! / 1000} s`);
  await expectResponsive(t);
  expect(server.registrations).toEqual([]);
  // Stopping does not wait for the hanging server.
  await t.stop();
  t = undefined;
});

it('an unreachable server shows as offline', async () => {
  server = await FakeLocaltunnelServer.start();
  const host = server.host;
  await server.close();
  t = await startTunnelCore(server);
  const s = await waitForTunnel(t, (x) => x.state === 'offline');
  expect(s.last_error).toBe(`cannot reach the tunnel server at ${host}: connection refused`);
  await expectResponsive(t);
});

it('a subdomain that stays taken is accepted after a few tries, loudly: state, event, notification; then won back', async () => {
  server = await FakeLocaltunnelServer.start();
  // Somebody else holds the subdomain (another computer with the same settings, say).
  const other = http.createServer((_req, res) => res.end('someone else'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => {
    other.closeAllConnections();
    return new Promise<void>((r) => other.close(() => r()));
  });
  const holder = await localtunnelProvider.open({
    port: (other.address() as AddressInfo).port,
    subdomain: 'bella-salon',
    host: server.host,
    timeoutMs: 2_000,
    signal: new AbortController().signal,
  });
  let holding = true;
  cleanups.push(() => {
    if (holding) holder.close();
  });

  const notified: Notification[] = [];
  const liveNotifications: Notification[] = [];
  t = await startTunnelCore(server, {
    settings: { tunnel: { subdomain: 'bella-salon' } },
    tunnel: { timings: { ...FAST, reclaimIntervalMs: 1_000 } },
    core: { notify: (n) => notified.push(n) },
  });
  t.core.live.subscribe((u) => {
    if (u.topic === 'notification' && u.notification) liveNotifications.push(u.notification);
  });

  const s = await waitForTunnel(t, online);
  expect(s.url_changed).toBe(true);
  expect(s.url).not.toBe(server.urlFor('bella-salon'));
  expect(s.last_error).toMatch(/would not give back "bella-salon" after 4 tries; the public URL is http:\/\/.+ for now/);
  const refused = server.registrations.filter((r) => r.requested === 'bella-salon' && r.assigned !== 'bella-salon');
  expect(refused).toHaveLength(FAST.subdomainAttempts!);
  // The stand-in URL works: the owner can use it meanwhile.
  const res = await fetch(`${s.url}/health`, { headers: { 'Bypass-Tunnel-Reminder': '1' } });
  expect(res.status).toBe(200);

  const events = await waitForEvents(t, 1);
  expect(events[0]).toMatchObject({
    event: 'tunnel.url_changed',
    source: 'tunnel',
    resource: { 'prefect.resource.id': 'tunnel.bella-salon', 'leadbell.tunnel.provider': 'localtunnel' },
    payload: { previous_url: null, url: s.url, requested_subdomain: 'bella-salon', url_changed: true },
  });
  expect(notified).toHaveLength(1);
  expect(notified[0]).toMatchObject({ kind: 'tunnel_url_changed', title: 'Your webhook URL changed', lead_id: null });
  expect(notified[0]!.body).toContain(s.url!);
  expect(liveNotifications.map((n) => n.id)).toEqual(notified.map((n) => n.id));
  const listed = await t.api('GET', '/api/notifications');
  expect(listed.body.items.map((n: Notification) => n.id)).toEqual([notified[0]!.id]);

  // The other computer lets go: the own subdomain is won back, and that is announced too.
  holder.close();
  holding = false;
  const back = await waitForTunnel(t, (x) => x.state === 'online' && !x.url_changed);
  expect(back.url).toBe(server.urlFor('bella-salon'));
  expect(back.last_error).toBeNull();
  const later = await waitForEvents(t, 2);
  expect(later[0]!.payload).toMatchObject({ previous_url: s.url, url: back.url, url_changed: false });
  expect(notified[1]).toMatchObject({ kind: 'tunnel_url_changed', title: 'Your webhook URL is back' });
});

async function waitForEvents(core: TestCore, n: number) {
  for (let i = 0; i < 200; i++) {
    const res = await core.api('GET', '/api/events?event=tunnel.url_changed');
    if (res.body.items.length >= n) return res.body.items as { event: string; payload: Record<string, unknown> }[];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} tunnel.url_changed events`);
}
