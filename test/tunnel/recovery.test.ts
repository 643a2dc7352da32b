/**
 * The URL survives what kills tunnels: sleep, a server outage, a silently dead tunnel, an app
 * restart. Each case ends online on the same URL with a webhook getting through, and prints how
 * long recovery took.
 */
import { afterEach, expect, it } from 'vitest';
import type { TunnelStatus } from '../../shared/api/models.js';
import type { TestCore } from '../helpers/core.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { online, startTunnelCore, tunnelOf, waitForTunnel } from './helpers.js';

let server: FakeLocaltunnelServer;
let t: TestCore;

afterEach(async () => {
  await t?.stop();
  await server?.close();
});

async function start(): Promise<string> {
  server = await FakeLocaltunnelServer.start();
  t = await startTunnelCore(server);
  return (await waitForTunnel(t, online)).url!;
}

/** Records every state the tunnel passes through (the UI hears the same via LiveBus 'status'). */
function recordStates(): TunnelStatus['state'][] {
  const states: TunnelStatus['state'][] = [];
  t.core.live.subscribe((u) => {
    if (u.topic === 'status') states.push(tunnelOf(t).state);
  });
  return states;
}

async function webhookGetsThrough(url: string): Promise<void> {
  const res = await fetch(`${url}/api/webhooks/lead-optin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Bypass-Tunnel-Reminder': '1' },
    body: JSON.stringify({ email: 'after@recovery.example' }),
  });
  expect(res.status).toBe(202);
}

it('recovers on the same URL after sleep (sockets dropped, client port closed)', async () => {
  const url = await start();
  const states = recordStates();
  const registrationsBefore = server.registrations.length;
  const sleptAt = performance.now();
  server.sleep();
  const s = await waitForTunnel(t, (x) => x.state === 'online' && x.reconnects >= 1);
  const ms = Math.round(performance.now() - sleptAt);
  console.log(`tunnel recovery after sleep: ${ms} ms (sleep -> online on the same URL)`);

  expect(s).toMatchObject({ url, url_changed: false, last_error: null });
  expect(states).toContain('reconnecting');
  // The old client was still held for its 1 s grace: the server offered another id, which was
  // closed and asked again until the own subdomain came back.
  const after = server.registrations.slice(registrationsBefore);
  const own = t.core.stores.settings.get().tunnel.subdomain;
  expect(after.some((r) => r.requested === own && r.assigned !== own)).toBe(true);
  expect(after.at(-1)).toEqual({ requested: own, assigned: own });
  await webhookGetsThrough(url);
});

it('recovers on the same URL after a server outage of several seconds', async () => {
  const url = await start();
  const states = recordStates();
  await server.outage(3_000);
  const backAt = performance.now();
  const s = await waitForTunnel(t, online);
  const ms = Math.round(performance.now() - backAt);
  console.log(`tunnel recovery after a 3 s outage: ${ms} ms (server back -> online on the same URL)`);

  expect(states).toContain('offline');
  expect(s).toMatchObject({ url, url_changed: false });
  await webhookGetsThrough(url);
});

it('notices a tunnel that silently stopped forwarding, and reopens it on the same URL', async () => {
  const url = await start();
  const states = recordStates();
  const stalledAt = performance.now();
  server.stall();
  const s = await waitForTunnel(t, (x) => x.state === 'online' && x.reconnects >= 1);
  console.log(`tunnel recovery after it silently stopped forwarding: ${Math.round(performance.now() - stalledAt)} ms`);

  expect(states).toContain('reconnecting');
  expect(s).toMatchObject({ url, url_changed: false });
  await webhookGetsThrough(url);
});

it('gets the same URL after the app restarts', async () => {
  const url = await start();
  const subdomain = t.core.stores.settings.get().tunnel.subdomain;
  const restartedAt = performance.now();
  await t.restart();
  const s = await waitForTunnel(t, online);
  console.log(`tunnel after an app restart: ${Math.round(performance.now() - restartedAt)} ms (restart -> online on the same URL)`);

  expect(s).toMatchObject({ url, url_changed: false, requested_subdomain: subdomain });
  expect(t.core.stores.settings.get().tunnel.subdomain).toBe(subdomain);
  await webhookGetsThrough(url);
});

it('chooses the subdomain once per installation and keeps it', async () => {
  server = await FakeLocaltunnelServer.start();
  t = await startTunnelCore(server);
  const { url } = await waitForTunnel(t, online);
  const chosen = t.core.stores.settings.get().tunnel.subdomain!;
  expect(chosen).toMatch(/^leadbell-[a-z0-9]{10}$/);
  expect(url).toBe(server.urlFor(chosen));
  expect(server.registrations[0]).toEqual({ requested: chosen, assigned: chosen });
  // Another installation chooses its own.
  const other = await startTunnelCore(server);
  try {
    await waitForTunnel(other, online);
    expect(other.core.stores.settings.get().tunnel.subdomain).not.toBe(chosen);
  } finally {
    await other.stop();
  }
});
