/**
 * Sequence numbers are never reused, also after the relay's Durable Object restarts (here: workerd
 * stopped and started again on the same storage). The desktop acknowledges by sequence number,
 * so a reused one would let a late or repeated acknowledgement delete a request nobody has
 * stored. The queue keeps no counter row it rewrites on every acknowledgement (relay/src/store.ts):
 * these cases cover each way its state is rebuilt on start-up, and the backlog it reports.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frameHead } from '../../electron/core/relay/protocol.js';
import { decodeFrame, RELAY_PROTOCOL } from '../../shared/relay-wire.js';
import { startLocalRelay, type LocalRelay } from '../../scripts/relay-local.js';
import { post, tempDir } from '../helpers/core.js';

let relay: LocalRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const secret = randomBytes(32).toString('base64url');
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** The relay in workerd on `dir`, restarted when called again with the same one. */
async function start(dir: string): Promise<LocalRelay> {
  await relay?.close();
  relay = await startLocalRelay({ secret, persistDir: dir, vars: { RELAY_RATE_LIMIT_PER_MINUTE: '0' } });
  return relay;
}

/** A bare desktop: says hello, hands each frame's head to the test, acknowledges only when told. */
async function desktop(r: LocalRelay) {
  const ws = new WebSocket(`${r.url.replace('http', 'ws')}/connect`, { headers: { authorization: `Bearer ${secret}` } });
  const frames: ReturnType<typeof frameHead.parse>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data, binary) => {
    if (!binary) return;
    frames.push(frameHead.parse(decodeFrame(data as Buffer).head));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  /** The next frame (after those already read). */
  let read = 0;
  const next = async () => {
    while (frames.length <= read) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames[read++]!;
  };
  ws.send(JSON.stringify({ type: 'hello', protocol: RELAY_PROTOCOL, public_key: publicKey.export({ format: 'jwk' }), allowed_origins: [], thank_you_url: null }));
  const ack = async (...seqs: number[]) => {
    ws.send(JSON.stringify({ type: 'ack', seqs }));
    return next();
  };
  return { next, ack, close: () => ws.close() };
}

const send = async (r: LocalRelay, email: string) => expect((await post(`${r.url}/api/webhooks/lead-optin`, { email })).status).toBe(202);

it('after a restart with nothing waiting, the next request gets a new number and a repeated old acknowledgement deletes nothing', { timeout: 60_000 }, async () => {
  const dir = tempDir('leadbell-relay-restart-');
  let r = await start(dir);
  let d = await desktop(r);
  expect((await d.next()).backlog).toBe(0);
  await send(r, 'first@example.com');
  const first = (await d.next()).items[0]!.seq;
  expect((await d.ack(first)).backlog).toBe(0);
  d.close();

  r = await start(dir);
  d = await desktop(r);
  expect((await d.next()).backlog).toBe(0);
  await send(r, 'second@example.com');
  const second = (await d.next()).items[0]!.seq;
  expect(second).toBeGreaterThan(first);
  // The first one's acknowledgement again (a repeat after a reconnect): the second still waits.
  expect((await d.ack(first)).backlog).toBe(1);
  expect((await d.ack(second)).backlog).toBe(0);
  d.close();
});

it('after a restart, the backlog counts what waits and numbers continue past the newest ever acknowledged', { timeout: 60_000 }, async () => {
  const dir = tempDir('leadbell-relay-restart-');
  let r = await start(dir);
  let d = await desktop(r);
  await d.next();
  d.close();
  for (const n of [1, 2, 3]) await send(r, `away${n}@example.com`);
  d = await desktop(r);
  const frame = await d.next();
  expect(frame.backlog).toBe(3);
  const [s1, s2, s3] = frame.items.map((i) => i.seq) as [number, number, number];
  // The newest acknowledged first (the desktop stores a frame's requests side by side).
  expect((await d.ack(s3)).backlog).toBe(2);
  d.close();

  r = await start(dir);
  d = await desktop(r);
  const again = await d.next();
  expect(again.backlog).toBe(2);
  expect(again.items.map((i) => i.seq)).toEqual([s1, s2]);
  expect((await d.ack(s1, s2)).backlog).toBe(0);
  d.close();

  r = await start(dir);
  d = await desktop(r);
  expect((await d.next()).backlog).toBe(0);
  await send(r, 'later@example.com');
  const later = (await d.next()).items[0]!.seq;
  expect(later).toBeGreaterThan(s3);
  expect((await d.ack(s3)).backlog).toBe(1);
  d.close();
});

it('after a restart, a request stored after the queue emptied is counted once', { timeout: 60_000 }, async () => {
  const dir = tempDir('leadbell-relay-restart-');
  let r = await start(dir);
  let d = await desktop(r);
  await d.next();
  await send(r, 'one@example.com');
  const one = (await d.next()).items[0]!.seq;
  expect((await d.ack(one)).backlog).toBe(0);
  d.close();
  await send(r, 'two@example.com');
  await send(r, 'three@example.com');

  r = await start(dir);
  d = await desktop(r);
  const frame = await d.next();
  expect(frame.backlog).toBe(2);
  expect(frame.items.map((i) => i.seq)).toEqual([one + 1, one + 2]);
  expect((await d.ack(one + 1)).backlog).toBe(1);
  d.close();

  r = await start(dir);
  d = await desktop(r);
  const last = await d.next();
  expect(last.backlog).toBe(1);
  expect(last.items.map((i) => i.seq)).toEqual([one + 2]);
  expect((await d.ack(one + 2)).backlog).toBe(0);
  d.close();
});
