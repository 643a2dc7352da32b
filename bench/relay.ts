/**
 * Relay -> desktop delivery next to direct posts, in one run on one machine: the relay (the real
 * Worker in workerd) and a real core with its SQLite file.
 *  - delivery: opt-ins posted to the relay at a fixed concurrency while the desktop is connected;
 *    latency from the relay's 202 (as the sender saw it) to the desktop's commit, and from the
 *    post being sent to that commit;
 *  - drain: a backlog held while the desktop was away, from reconnect to the last commit (req/s);
 *  - direct: the same posts to the local receiver (its 202 comes after the commit).
 */
import { randomBytes } from 'node:crypto';
import { startLocalRelay } from '../scripts/relay-local.js';
import { Worker } from 'node:worker_threads';
import { startTestCore, type TestCore } from '../test/helpers/core.js';

interface Sent {
  key: string;
  sentAt: number;
  answeredAt: number;
}

const CONCURRENCY = 16;
const DELIVERY = 1500;
const DRAIN = 3000;

interface Lat {
  p50Ms: number;
  p99Ms: number;
}

export interface RelayBench {
  concurrency: number;
  delivery: { requests: number; acceptedPerSecond: number; deliveredPerSecond: number; from202: Lat; fromSend: Lat };
  drain: { requests: number; perSecond: number; seconds: number };
  direct: { requests: number; perSecond: number; latency: Lat };
  ratio: { delivery: number; drain: number };
  exactlyOnce: boolean;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

/** Posts `n` opt-ins from a worker thread; returns each post's send and answer times. */
async function postMany(url: string, n: number, tag: string): Promise<{ seconds: number; sent: Sent[] }> {
  const started = performance.now();
  const worker = new Worker(new URL('./relay-senders.mjs', import.meta.url), {
    workerData: { url, n, tag, concurrency: CONCURRENCY },
  });
  const sent = await new Promise<Sent[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return { seconds: (performance.now() - started) / 1000, sent };
}

function commitClock(t: TestCore): Map<string, number> {
  const at = new Map<string, number>();
  t.core.live.subscribe((u) => {
    if (u.topic === 'event' && u.id) at.set(u.id, performance.timeOrigin + performance.now());
  });
  return at;
}

function keyOf(t: TestCore, eventId: string): string {
  return t.core.db.prepare('SELECT idempotency_key FROM events WHERE id = ?').pluck().get(eventId) as string;
}

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchRelay(): Promise<RelayBench> {
  const secret = randomBytes(32).toString('base64url');
  const relay = await startLocalRelay({ secret, vars: { RELAY_RATE_LIMIT_PER_MINUTE: '0' } });
  const t = await startTestCore({ secretEnv: { 'relay.secret': secret }, relay: { backoffMs: { min: 100, max: 500 } } });
  try {
    const relayed = () => t.core.db.prepare("SELECT count(*) FROM inbox WHERE via = 'relay'").pluck().get() as number;
    t.core.stores.settings.update({ relay: { url: relay.url }, receiver: { rate_limit_per_minute: 0 } });
    await until('connected', async () => (await t.core.handlers.getStatus({})).relay.state === 'connected');

    // Delivery while connected.
    const commits = commitClock(t);
    const live = await postMany(`${relay.url}/api/webhooks/lead-optin`, DELIVERY, 'live');
    const answered = new Map(live.sent.map((x) => [x.key, x]));
    await until('delivered', () => relayed() >= DELIVERY);
    const from202: number[] = [];
    const fromSend: number[] = [];
    let lastCommit = 0;
    for (const [id, at] of commits) {
      const a = answered.get(keyOf(t, id));
      if (!a) continue;
      from202.push(at - a.answeredAt);
      fromSend.push(at - a.sentAt);
      lastCommit = Math.max(lastCommit, at);
    }
    const firstSend = Math.min(...[...answered.values()].map((a) => a.sentAt));
    const delivered = (lastCommit - firstSend) / 1000;

    // Drain of a backlog held while the desktop was away.
    t.core.stores.settings.update({ relay: { url: null } });
    await postMany(`${relay.url}/api/webhooks/lead-optin`, DRAIN, 'away');
    const before = relayed();
    const reconnect = performance.now();
    t.core.stores.settings.update({ relay: { url: relay.url } });
    await until('drained', () => relayed() >= before + DRAIN);
    const drainSeconds = (performance.now() - reconnect) / 1000;

    // Direct posts to the local receiver, same client, same concurrency.
    const direct = await postMany(t.url('/api/webhooks/lead-optin'), DELIVERY, 'direct');
    const directLat = direct.sent.map((x) => x.answeredAt - x.sentAt);

    const counts = t.core.db
      .prepare("SELECT count(*) AS n, count(DISTINCT relay_id) AS ids FROM inbox WHERE via = 'relay'")
      .get() as { n: number; ids: number };
    const result: RelayBench = {
      concurrency: CONCURRENCY,
      delivery: {
        requests: DELIVERY,
        acceptedPerSecond: DELIVERY / live.seconds,
        deliveredPerSecond: DELIVERY / delivered,
        from202: { p50Ms: pct(from202, 50), p99Ms: pct(from202, 99) },
        fromSend: { p50Ms: pct(fromSend, 50), p99Ms: pct(fromSend, 99) },
      },
      drain: { requests: DRAIN, perSecond: DRAIN / drainSeconds, seconds: drainSeconds },
      direct: { requests: DELIVERY, perSecond: DELIVERY / direct.seconds, latency: { p50Ms: pct(directLat, 50), p99Ms: pct(directLat, 99) } },
      ratio: { delivery: 0, drain: 0 },
      exactlyOnce: counts.n === DELIVERY + DRAIN && counts.ids === counts.n,
    };
    result.ratio = { delivery: result.delivery.deliveredPerSecond / result.direct.perSecond, drain: result.drain.perSecond / result.direct.perSecond };
    return result;
  } finally {
    await t.stop();
    await relay.close();
  }
}
