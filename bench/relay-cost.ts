/**
 * What the relay costs in the owner's free Cloudflare plan, in one run:
 *  - CPU of the workerd process per MB of posted body, for the relay before the binary frames
 *    (BEFORE, bundled from that commit, with the desktop of then, which offered permessage-deflate)
 *    and now, side by side: 1 MB posts stored, sealed, pushed to a connected desktop and
 *    acknowledged. Now is measured twice: with today's desktop (no compression offered,
 *    SOCKET_OPTIONS) and with a desktop that offers compression, which workerd accepts and then
 *    spends its CPU deflating ciphertext. The process figure is an upper bound of what Cloudflare
 *    counts: CPU time is the time spent running the Worker's code, not HTTP, sockets or waiting
 *    (https://developers.cloudflare.com/workers/platform/limits/#cpu-time); the Free plan's 10 ms
 *    is per Worker request, and a Durable Object gets 30 s per request or WebSocket message
 *    (https://developers.cloudflare.com/durable-objects/platform/limits/).
 *  - Rows read and written per request (stored, delivered, acknowledged) from the Durable
 *    Object's own SQL cursor counters, and the daily capacity in requests they leave under the
 *    Free plan's 5,000,000 rows read, 100,000 rows written and 100,000 requests a day.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { startLocalRelay } from '../scripts/relay-local.js';
// @ts-expect-error: a plain ES module script without type declarations
import { bundleRelay } from '../scripts/relay-bundle.mjs';
import { dailyCapacity } from '../shared/relay.js';
import { decodeFrame, RELAY_PROTOCOL } from '../shared/relay-wire.js';
import { frameHead, SOCKET_OPTIONS } from '../electron/core/relay/protocol.js';
import { tempDir } from './lib.js';

/** The last commit whose relay sent base64 JSON (the "before" of the CPU comparison). */
const BEFORE = 'cff247b';
const ROOT = path.join(import.meta.dirname, '..');
const BIG_POSTS = 12;
const MB = 1024 * 1024;
const SMALL_POSTS = 300;

/** A Worker that only reads the body and answers 202: what workerd itself spends per MB. */
const BARE = `export class RelayQueue { fetch() { return new Response(null, { status: 204 }); } }
export default { async fetch(req) { await req.arrayBuffer(); return new Response('{}', { status: 202 }); } };`;

export interface RelayCost {
  /** Per MB of body; `bare`: receiving it alone, so the relay's own work is the rest. */
  cpuMsPerMb: { bare: number; before: number; after: number; afterDeflate: number; ratio: number };
  perRequest: { rowsRead: number; rowsWritten: number; doRequests: number };
  dailyCapacity: number;
}

/** utime + stime (ms) of the workerd processes this process started. */
function workerdCpuMs(): number {
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  let ms = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      if (comm === 'workerd' && Number(f[1]) === process.pid) ms += (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      /* gone meanwhile */
    }
  }
  return ms;
}

/**
 * A bare desktop that acknowledges everything, on either protocol; `deflate`: offers
 * permessage-deflate (the `ws` default, as the desktop did before SOCKET_OPTIONS).
 */
async function desktop(url: string, secret: string, binary: boolean, deflate = !binary) {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ws = new WebSocket(`${url.replace('http', 'ws')}/connect`, { ...SOCKET_OPTIONS, perMessageDeflate: deflate, headers: { authorization: `Bearer ${secret}` } });
  let received = 0;
  let acked = 0;
  ws.on('message', (data, isBinary) => {
    if (binary && isBinary) {
      const head = frameHead.parse(decodeFrame(data as Buffer).head);
      received += head.items.length;
      if (head.items.length) ws.send(JSON.stringify({ type: 'ack', seqs: head.items.map((i) => i.seq) }));
      // The relay answers each acknowledgement with a frame: the one before it is then acknowledged.
      else acked = received;
    } else if (!binary && !isBinary) {
      const msg = JSON.parse(data.toString()) as { items: { id: string }[] };
      received += msg.items.length;
      if (msg.items.length) ws.send(JSON.stringify({ type: 'ack', ids: msg.items.map((i) => i.id) }));
    }
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  ws.send(JSON.stringify({ type: 'hello', ...(binary && { protocol: RELAY_PROTOCOL }), public_key: publicKey.export({ format: 'jwk' }), allowed_origins: [], thank_you_url: null }));
  await new Promise((r) => setTimeout(r, 300));
  return { received: () => received, acked: () => acked, close: () => ws.close() };
}

async function until(fn: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function cpuPerMb(script: string, binary: boolean | null, deflate?: boolean): Promise<number> {
  const secret = randomBytes(32).toString('base64url');
  const relay = await startLocalRelay({ secret, script, vars: { RELAY_RATE_LIMIT_PER_MINUTE: '0' } });
  try {
    let delivered = 0;
    const d = binary === null ? { received: () => delivered, acked: () => delivered, close: () => undefined } : await desktop(relay.url, secret, binary, deflate);
    const body = JSON.stringify({ email: 'big@example.com', note: 'x'.repeat(MB - 60) });
    const post = async () => {
      const res = await fetch(`${relay.url}/api/webhooks/lead-optin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 202) throw new Error(`the relay answered ${res.status}`);
      delivered += 1;
    };
    await post(); // warm-up
    await until(() => d.received() >= 1);
    const before = workerdCpuMs();
    for (let i = 0; i < BIG_POSTS; i++) await post();
    await until(() => d.received() >= BIG_POSTS + 1);
    await new Promise((r) => setTimeout(r, 300));
    const ms = workerdCpuMs() - before;
    d.close();
    return ms / ((BIG_POSTS * body.length) / MB);
  } finally {
    await relay.close();
  }
}

async function rowsPerRequest(): Promise<RelayCost['perRequest']> {
  const script = (await bundleRelay(undefined, path.join(ROOT, 'test/fakes/durable-object-storage.ts'))) as string;
  const secret = randomBytes(32).toString('base64url');
  const relay = await startLocalRelay({ secret, script, vars: { RELAY_RATE_LIMIT_PER_MINUTE: '0' } });
  try {
    const d = await desktop(relay.url, secret, true);
    const url = `${relay.url}/api/webhooks/lead-optin`;
    const post = (i: number) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `r${i}@example.com` }) }).then((r) => r.text());
    await post(-1);
    await until(() => d.acked() >= 1);
    await fetch(`${relay.url}/__rows`);
    // Live traffic: each request delivered and acknowledged before the next arrives.
    for (let i = 0; i < SMALL_POSTS; i++) {
      await post(i);
      await until(() => d.acked() >= i + 2);
    }
    await new Promise((r) => setTimeout(r, 300));
    const rows = (await (await fetch(`${relay.url}/__rows`)).json()) as { read: number; written: number };
    d.close();
    // Each post is one request to the Worker and one to the Durable Object; acks are WebSocket
    // messages, billed at 20 to a request, one per post here.
    return { rowsRead: rows.read / SMALL_POSTS, rowsWritten: rows.written / SMALL_POSTS, doRequests: 1 + 1 / 20 };
  } finally {
    await relay.close();
  }
}

export async function benchRelayCost(): Promise<RelayCost> {
  const dir = tempDir('leadbell-relay-before-');
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BEFORE} relay/src shared | tar -x -C "${dir}"`]);
  const beforeScript = (await bundleRelay(undefined, path.join(dir, 'relay/src/worker.ts'))) as string;
  const afterScript = (await bundleRelay(undefined)) as string;
  const bare = await cpuPerMb(BARE, null);
  const before = await cpuPerMb(beforeScript, false);
  const after = await cpuPerMb(afterScript, true);
  const afterDeflate = await cpuPerMb(afterScript, true, true);
  const perRequest = await rowsPerRequest();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    cpuMsPerMb: { bare, before, after, afterDeflate, ratio: (before - bare) / Math.max(after - bare, 0.1) },
    perRequest,
    dailyCapacity: Math.min(dailyCapacity(perRequest.rowsRead, perRequest.rowsWritten), Math.floor(100_000 / perRequest.doRequests)),
  };
}
