/**
 * The relay's cost in the owner's free Cloudflare plan, read from the Durable Object's own SQL
 * cursor counters (`rowsRead`, `rowsWritten`) in workerd: a stored request and an
 * acknowledgement cost the same rows with 0, 1,000 or 10,000 requests already waiting. The Free
 * plan allows 5,000,000 rows read and 100,000 rows written a day per account
 * (https://developers.cloudflare.com/durable-objects/platform/pricing/#sqlite-storage-backend).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { frameHead } from '../../electron/core/relay/protocol.js';
import { decodeFrame, RELAY_PROTOCOL } from '../../shared/relay-wire.js';
import { post } from '../helpers/core.js';
import { startWatchedRelay } from './world.js';

type Watched = Awaited<ReturnType<typeof startWatchedRelay>>;
let relay: Watched | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const publicKey = () => {
  const { publicKey: k } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return k.export({ format: 'jwk' });
};

/** A bare desktop on the binary protocol: says hello, hands each frame's head to the test. */
async function desktop(r: Watched) {
  const ws = new WebSocket(`${r.url.replace('http', 'ws')}/connect`, { headers: { authorization: `Bearer ${r.secret}` } });
  const frames: ReturnType<typeof frameHead.parse>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data, binary) => {
    if (!binary) return;
    frames.push(frameHead.parse(decodeFrame(data as Buffer).head));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const next = async (count: number) => {
    while (frames.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return frames[count - 1]!;
  };
  ws.send(JSON.stringify({ type: 'hello', protocol: RELAY_PROTOCOL, public_key: publicKey(), allowed_origins: [], thank_you_url: null }));
  return { ws, frames, next };
}

async function fill(url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => post(url, { email: `q${i + j}@example.com` })));
    expect(batch.every((b) => b.status === 202)).toBe(true);
  }
}

it('costs the same rows per stored request and per acknowledgement with 0, 1,000 and 10,000 waiting', { timeout: 300_000 }, async () => {
  const measured: Record<number, { store: { read: number; written: number }; ack: { read: number; written: number; sentNext: number } }> = {};
  for (const waiting of [0, 1000, 10_000]) {
    relay = await startWatchedRelay();
    const url = `${relay.url}/api/webhooks/lead-optin`;
    // The desktop says hello once (the relay then holds its key), then is away.
    const first = await desktop(relay);
    await first.next(1);
    first.ws.close();
    await fill(url, waiting);
    // The first post after a hello reads the new key once; measure the one after it.
    expect((await post(url, { email: 'warm-up@example.com' })).status).toBe(202);

    await relay.rows();
    expect((await post(url, { email: 'measured@example.com' })).status).toBe(202);
    const store = await relay.rows();

    const d = await desktop(relay);
    const head = await d.next(1);
    expect(head.backlog).toBe(waiting + 2);
    await relay.rows();
    d.ws.send(JSON.stringify({ type: 'ack', seqs: [head.items[0]!.seq] }));
    const after = await d.next(2);
    const ack = { ...(await relay.rows()), sentNext: after.items.length };
    expect(after.backlog).toBe(waiting + 1);
    d.ws.close();
    measured[waiting] = { store, ack };
    await relay.close();
    relay = undefined;
  }
  console.log(`relay rows per stored request and per acknowledgement, by requests waiting: ${JSON.stringify(measured)}`);
  const base = measured[0]!;
  const overhead = (n: number) => measured[n]!.ack.read - measured[n]!.ack.sentNext;
  for (const n of [1000, 10_000]) {
    expect(measured[n]!.store).toEqual(base.store);
    expect(measured[n]!.ack.written).toBe(base.ack.written);
    // Sending the next batch reads each row it sends; beside that, a few rows (an empty look-up reads one).
    expect(overhead(n)).toBe(overhead(1000));
    expect(overhead(n)).toBeLessThanOrEqual(overhead(0));
  }
  expect(overhead(0)).toBeLessThanOrEqual(4);
  // One row written to store a request; its acknowledgement deletes it and updates the counters once.
  expect(base.store.written).toBe(1);
  expect(base.ack.written).toBe(2);
});

it('costs 2 rows written per request delivered live (stored, sent, acknowledged one at a time)', { timeout: 120_000 }, async () => {
  relay = await startWatchedRelay();
  const url = `${relay.url}/api/webhooks/lead-optin`;
  const d = await desktop(relay);
  await d.next(1);
  let read = 1;
  const live = async (i: number) => {
    expect((await post(url, { email: `live${i}@example.com` })).status).toBe(202);
    const head = await d.next(++read);
    expect(head.items).toHaveLength(1);
    d.ws.send(JSON.stringify({ type: 'ack', seqs: [head.items[0]!.seq] }));
    expect((await d.next(++read)).backlog).toBe(0);
  };
  // The first post after a hello reads the new key once.
  await live(-1);
  const N = 20;
  await relay.rows();
  for (let i = 0; i < N; i++) await live(i);
  const rows = await relay.rows();
  console.log(`relay rows per request delivered live: ${rows.read / N} read, ${rows.written / N} written`);
  // One to store it, one to acknowledge it (the newest row kept as the marker, no meta update).
  expect(rows.written).toBe(2 * N);
  expect(rows.read % N).toBe(0);
  d.ws.close();
});
