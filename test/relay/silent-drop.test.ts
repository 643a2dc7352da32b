/**
 * A connection that dies without a close (the laptop slept, a NAT mapping was dropped): the
 * desktop finds it by its missing pongs, reconnects, and the relay delivers what it held.
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { startTestRelay, until, type TestRelay } from './world.js';

/** A TCP proxy whose existing connections can go silent: nothing passes, nothing is closed. */
async function stallingProxy(target: URL) {
  const live = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const all = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    all.add(client).add(upstream);
    live.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => (client.destroy(), upstream.destroy(), live.delete(pair));
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    stall() {
      for (const { client, upstream } of live) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      live.clear();
    },
    close: () => {
      for (const s of all) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let relay: TestRelay | undefined;
let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  await relay?.close();
  t = relay = undefined;
});

it('finds a silently dead connection by its missing pongs and gets what the relay held', async () => {
  relay = await startTestRelay();
  const proxy = await stallingProxy(new URL(relay.url));
  t = await startTestCore({ secretEnv: { 'relay.secret': relay.secret }, relay: { backoffMs: { min: 100, max: 300 }, heartbeatMs: 300 } });
  t.core.stores.settings.update({ relay: { url: proxy.url } });
  await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
  const before = (await t.core.handlers.getStatus({})).relay.last_connected_at;

  proxy.stall();
  expect((await post(`${relay.url}/api/webhooks/lead-optin`, { email: 'while-asleep@example.com' })).status).toBe(202);
  await until('stored after reconnecting', () => (t!.core.db.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number }).n === 1, 15_000);
  expect((await t.core.handlers.getStatus({})).relay.last_connected_at).not.toBe(before);
  await proxy.close();
});
