/**
 * The engine's own overhead: a headless core in its own process, its integrations pointed at
 * instant vendor fakes whose rate limits (and the clients' matching ones) are lifted, so what is
 * measured is receiver -> dispatch -> durable runs -> outbound calls, not vendor pacing.
 * Each unique opt-in starts 3 runs (lead opt-in with 5 steps, Slack notification, segment
 * nurture: 7 vendor calls in all).
 * - Throughput: a burst of opt-ins as fast as 16 connections post them; runs finished per second.
 * - Latency: opt-ins paced at a steady rate well inside that throughput; from each event's 202
 *   to each of its runs finishing (p50/p99), so the figure is the engine's, not a queue's.
 */
import { startCoreWithFakes } from './core-with-fakes.js';
import { bytesWritten, cpuSeconds } from './lib.js';
import { loopbackCallCost, type LoopbackCallCost } from './loopback-call.js';

export interface EngineFigures {
  burst: { events: number; runs: number; runsPerSecond: number; eventsPerSecond: number };
  /**
   * CPU the core process spent per opt-in during the burst (receiving it and running its flows),
   * a figure the shared machine's load disturbs far less than wall time; 1000 / it is the most
   * opt-ins a second one core could carry.
   */
  coreCpuMsPerOptIn: number;
  /** KiB the core process sent to disk per opt-in during the burst (its SQLite WAL and checkpoints). */
  coreKiBWrittenPerOptIn: number | null;
  /** Vendor requests per opt-in (Meta's audience additions go out in batches). */
  callsPerOptIn: number;
  /** One HTTP call on loopback, measured before the core starts: the floor under each vendor call. */
  loopbackCall: LoopbackCallCost;
  paced: { eventsPerSecond: number; runs: number; p50Ms: number; p99Ms: number; maxMs: number };
  failedRuns: number;
  vendorCalls: number;
  /** Loops sends accepted more than once for one idempotency key (must be 0). */
  duplicateSends: number;
}

const RUNS_PER_OPTIN = 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchEngine(
  burstEvents = Number(process.env.BENCH_ENGINE_EVENTS ?? 2000),
  pacedPerSecond = Number(process.env.BENCH_ENGINE_RATE ?? 20),
  pacedSeconds = Number(process.env.BENCH_SECONDS ?? 5),
  connections = 16,
): Promise<EngineFigures> {
  const loopbackCall = await loopbackCallCost();
  const { fakes, core, db } = await startCoreWithFakes('leadbell-bench-engine-');
  const coreCpu = () => cpuSeconds(core.child.pid!) ?? NaN;
  const finishedRuns = db.prepare("SELECT count(*) FROM runs WHERE status IN ('completed', 'partial', 'failed')").pluck();
  const url = `http://127.0.0.1:${core.port}/api/webhooks/lead-optin`;
  const acked = new Map<string, number>();
  let sent = 0;
  const postOne = async () => {
    const i = sent++;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email: `bench-${i}@example.com`, first_name: 'Bench', segment: i % 2 ? 'fitness' : 'beauty-salon' }),
    });
    const body = (await res.json()) as { event_id?: string };
    if (res.status !== 202 || !body.event_id) throw new Error(`the receiver answered ${res.status}`);
    acked.set(body.event_id, Date.now());
    return body.event_id;
  };
  const runsOf = (ids: string[]) =>
    (db.prepare(`SELECT event_id, status, finished_at FROM runs WHERE event_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as {
      event_id: string;
      status: string;
      finished_at: string;
    }[]);

  try {
    // Burst: as fast as the receiver acknowledges; the engine works through the backlog.
    const started = Date.now();
    const cpuAtStart = coreCpu();
    const writtenAtStart = bytesWritten(core.child.pid!);
    const burstIds: string[] = [];
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (sent < burstEvents) burstIds.push(await postOne());
      }),
    );
    await waitFor('the burst to finish', () => (finishedRuns.get() as number) >= burstEvents * RUNS_PER_OPTIN, 600_000);
    const coreCpuMsPerOptIn = ((coreCpu() - cpuAtStart) * 1000) / burstEvents;
    const writtenAtEnd = bytesWritten(core.child.pid!);
    const coreKiBWrittenPerOptIn = writtenAtStart === null || writtenAtEnd === null ? null : (writtenAtEnd - writtenAtStart) / 1024 / burstEvents;
    const callsPerOptIn = [fakes.loops, fakes.slack, fakes.notion, fakes.meta].reduce((n, f) => n + f.server.requests.length, 0) / burstEvents;
    const burstRuns = runsOf(burstIds);
    const lastFinish = burstRuns.reduce((m, r) => Math.max(m, Date.parse(r.finished_at)), 0);
    const burstSeconds = (lastFinish - started) / 1000;

    // Paced: a steady trickle, each event's runs timed from its acknowledgement.
    const pacedIds: string[] = [];
    const total = pacedPerSecond * pacedSeconds;
    const t0 = Date.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / pacedPerSecond;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      posts.push(postOne().then((id) => void pacedIds.push(id)));
    }
    await Promise.all(posts);
    await waitFor('the paced runs to finish', () => (finishedRuns.get() as number) >= (burstEvents + total) * RUNS_PER_OPTIN, 120_000);
    const pacedRuns = runsOf(pacedIds);
    const latencies = pacedRuns.map((r) => Date.parse(r.finished_at) - acked.get(r.event_id)!).sort((a, b) => a - b);

    const all = [...burstRuns, ...pacedRuns];
    return {
      burst: {
        events: burstEvents,
        runs: burstRuns.length,
        runsPerSecond: burstRuns.length / burstSeconds,
        eventsPerSecond: burstEvents / burstSeconds,
      },
      coreCpuMsPerOptIn,
      coreKiBWrittenPerOptIn,
      callsPerOptIn,
      loopbackCall,
      paced: { eventsPerSecond: pacedPerSecond, runs: pacedRuns.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1)! },
      failedRuns: all.filter((r) => r.status !== 'completed').length,
      vendorCalls: [fakes.loops, fakes.slack, fakes.notion, fakes.meta].reduce((n, f) => n + f.server.requests.length, 0),
      duplicateSends: [...fakes.loops.sendsByKey().values()].filter((n) => n > 1).length,
    };
  } finally {
    db.close();
    await core.kill('SIGTERM');
    await fakes.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchEngine(), null, 2)}\n`);
}
