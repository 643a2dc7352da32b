/**
 * Soak: a headless core in its own process, its flows running against the vendor fakes, takes a
 * steady stream of webhooks (opt-ins, assessments, sales-page visits, email clicks) for minutes.
 * Reported: the rate offered and achieved, acknowledgement latency p50/p99/max, errors, the core's
 * resident memory over time (start after warm-up, end, peak: it should stay flat), and what the
 * engine made of it (runs finished, failed, still queued at the end; duplicate Loops sends).
 *
 * Vendor rate limits are lifted (on the fakes and in the clients alike) so the engine keeps up
 * with the offered rate and what is measured is Leadbell, not vendor pacing.
 *
 * Length and rate: soak(seconds, rate), or LEADBELL_SOAK_SECONDS (default 300) and
 * LEADBELL_SOAK_RATE (events per second, default 20).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startCoreWithFakes } from './core-with-fakes.js';

export interface SoakFigures {
  seconds: number;
  offeredPerSecond: number;
  achievedPerSecond: number;
  requests: number;
  acknowledged: number;
  /** Answers other than 2xx, and requests that got no answer. */
  errors: number;
  latency: { p50Ms: number; p99Ms: number; maxMs: number };
  /** The core process's resident memory: medians early (after warm-up) and late in the run, and the peak. */
  rss: { startMb: number; endMb: number; peakMb: number; samples: { atSeconds: number; mb: number }[] };
  runs: { finished: number; failed: number; queuedAtEnd: number; drainSeconds: number };
  duplicateSends: number;
}

const SAMPLE_EVERY_MS = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

/** Resident memory of a process, in MB (Linux /proc, else ps). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

/** The i-th event of the stream: a mix that touches every flow and every vendor. */
function event(i: number): { endpoint: string; body: Record<string, unknown> } {
  const n = Math.floor(i / 5);
  switch (i % 5) {
    case 0:
    case 1:
      return {
        endpoint: 'lead-optin',
        body: { email: `soak-${i}@example.com`, first_name: `Soak${i}`, visitor_id: `v-${i}`, segment: ['fitness', 'auto-repair', 'beauty-salon', 'other'][n % 4] },
      };
    case 2:
      return { endpoint: 'assessment', body: { email: `soak-a-${i}@example.com`, first_name: 'Quiz', score: [92, 64, 21][n % 3] } };
    case 3:
      // A visitor who opted in a few seconds earlier.
      return { endpoint: 'sales-page-visit', body: { visitor_id: `v-${Math.max(0, i - 103)}`, page_url: 'https://example.com/pricing', duration: 45 } };
    default:
      return { endpoint: 'email-engagement', body: { email: `soak-${Math.max(0, i - 204)}@example.com`, event_type: 'click', email_id: 'email-1', link_url: 'https://example.com/book' } };
  }
}

export async function soak(
  seconds = Number(process.env.LEADBELL_SOAK_SECONDS ?? 300),
  rate = Number(process.env.LEADBELL_SOAK_RATE ?? 20),
): Promise<SoakFigures> {
  const { fakes, core, db } = await startCoreWithFakes('leadbell-soak-');
  const pid = core.child.pid!;
  const base = `http://127.0.0.1:${core.port}/api/webhooks/`;

  const latencies: number[] = [];
  let acknowledged = 0;
  let errors = 0;
  const samples: { atSeconds: number; mb: number }[] = [];
  try {
    const started = performance.now();
    const sampler = setInterval(() => samples.push({ atSeconds: Math.round((performance.now() - started) / 1000), mb: rssMb(pid) }), SAMPLE_EVERY_MS);
    const total = Math.round(seconds * rate);
    const inFlight = new Set<Promise<void>>();
    // Open loop: each request leaves on schedule, whether or not earlier ones were answered.
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { endpoint, body } = event(i);
      const sent = performance.now();
      const p = fetch(base + endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          latencies.push(performance.now() - sent);
          if (res.status >= 200 && res.status < 300) acknowledged++;
          else errors++;
        })
        .catch(() => {
          errors++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    samples.push({ atSeconds: Math.round(elapsed), mb: rssMb(pid) });

    const finished = db.prepare("SELECT count(*) FROM runs WHERE status IN ('completed', 'partial', 'failed')").pluck();
    const queued = db.prepare("SELECT count(*) FROM runs WHERE status NOT IN ('completed', 'partial', 'failed')").pluck();
    const undispatched = db.prepare('SELECT count(*) FROM events WHERE dispatched = 0').pluck();
    const queuedAtEnd = (queued.get() as number) + (undispatched.get() as number);
    const drainStart = performance.now();
    while ((queued.get() as number) + (undispatched.get() as number) > 0 && performance.now() - drainStart < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const sorted = latencies.sort((a, b) => a - b);
    // Start and end are medians over a fifth of the run each (the start's after a tenth of warm-up),
    // so one sample taken just before a garbage collection does not decide what "flat" means.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const window = (from: number, to: number) => samples.filter((x) => x.atSeconds >= from * elapsed && x.atSeconds <= to * elapsed).map((x) => x.mb);
    const startMb = median(window(0.1, 0.3)) || samples[0]!.mb;
    const endMb = median(window(0.8, 1)) || samples.at(-1)!.mb;
    return {
      seconds: Math.round(elapsed),
      offeredPerSecond: rate,
      achievedPerSecond: Math.round((acknowledged / elapsed) * 10) / 10,
      requests: total,
      acknowledged,
      errors,
      latency: { p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)), maxMs: Math.round(sorted.at(-1) ?? 0) },
      rss: {
        startMb: Math.round(startMb),
        endMb: Math.round(endMb),
        peakMb: Math.round(Math.max(...samples.map((s) => s.mb))),
        samples: samples.map((s) => ({ atSeconds: s.atSeconds, mb: Math.round(s.mb) })),
      },
      runs: {
        finished: finished.get() as number,
        failed: db.prepare("SELECT count(*) FROM runs WHERE status IN ('partial', 'failed')").pluck().get() as number,
        queuedAtEnd,
        drainSeconds: Math.round((performance.now() - drainStart) / 100) / 10,
      },
      duplicateSends: [...fakes.loops.sendsByKey().values()].filter((n) => n > 1).length,
    };
  } finally {
    db.close();
    await core.kill('SIGTERM');
    await fakes.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [seconds, rate] = process.argv.slice(2).map(Number);
  process.stdout.write(`${JSON.stringify(await soak(seconds || undefined, rate || undefined), null, 2)}\n`);
}
