/**
 * Reconnecting at once after sleep and when the network comes back, without Electron: a timer
 * that fires far too late means the computer slept; a change of network addresses means the
 * network moved. (Electron's powerMonitor 'resume' calls the same reconnectNow.)
 */
import { afterEach, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { FAST, online, startTunnelCore, tunnelOf, waitForTunnel } from './helpers.js';

let server: FakeLocaltunnelServer;
let t: TestCore;

afterEach(async () => {
  await t?.stop();
  await server?.close();
});

it('a large timer gap (the computer slept) reopens the tunnel at once, on the same URL', async () => {
  server = await FakeLocaltunnelServer.start();
  let skew = 0;
  t = await startTunnelCore(server, { tunnel: { now: () => Date.now() + skew } });
  const { url } = await waitForTunnel(t, online);
  const registrations = server.registrations.length;

  skew += 60 * 60 * 1000;
  const s = await waitForTunnel(t, (x) => online(x) && x.reconnects === 1);
  expect(s).toMatchObject({ url, url_changed: false });
  expect(server.registrations.length).toBeGreaterThan(registrations);
  expect(t.logs.some((l) => l.includes('"reopening the tunnel"') && l.includes('the computer was asleep'))).toBe(true);
});

it('the network coming back reopens a failed tunnel at once instead of waiting out the backoff', async () => {
  server = await FakeLocaltunnelServer.start();
  server.refuse(503, 'Service unavailable');
  let network = 'eth0=192.0.2.10';
  // A backoff far longer than the test: only the network signal can bring the tunnel up in time.
  t = await startTunnelCore(server, { tunnel: { timings: { ...FAST, backoffBaseMs: 120_000, backoffMaxMs: 120_000 }, network: () => network } });
  await waitForTunnel(t, (x) => x.state === 'error');
  server.behave();
  // Several heartbeats pass with the same network: still waiting for the backoff.
  await new Promise((r) => setTimeout(r, FAST.checkIntervalMs! * 4));
  expect(tunnelOf(t).state).toBe('error');

  network = 'wlan0=198.51.100.20';
  const s = await waitForTunnel(t, online);
  expect(s.url).toBe(server.urlFor(t.core.stores.settings.get().tunnel.subdomain!));
  expect(t.logs.some((l) => l.includes('the network changed'))).toBe(true);
});
