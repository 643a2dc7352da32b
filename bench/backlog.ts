/**
 * A promo: 2,000 opt-ins as fast as 16 connections post them, with Loops at its documented
 * 10 requests/s (its fake enforces it; every other vendor instant), 20 hot-lead assessments
 * posted in the middle. Measured: each lead's delay from its 202 to the lead existing, each hot
 * lead's delay to its desktop notification, the pace and uniqueness of the welcome emails while
 * they drain, and the receiver's throughput against bare Node during the drain (side by side).
 */
import path from 'node:path';
import { startCoreWithFakes } from './core-with-fakes.js';
import { freePort, load, startChild } from './lib.js';

export interface BacklogFigures {
  optIns: number;
  /** The burst itself: how long the 202s took, and how many leads existed when it ended. */
  burst: { seconds: number; perSecond: number; leadsAtEnd: number };
  leadDelay: { p50Ms: number; p99Ms: number; maxMs: number; over5s: number };
  hotLeadNotification: { count: number; p50Ms: number; p99Ms: number };
  drain: { seconds: number; emails: number; perSecond: number; duplicates: number; refused429: number };
  ingestWhileDraining: { bare: number; leadbell: number; ratio: number };
}

const HOT = { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 };

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchBacklog(optIns = Number(process.env.BENCH_BACKLOG_OPTINS ?? 2000), hot = 20, connections = 16): Promise<BacklogFigures> {
  const { fakes, core, db } = await startCoreWithFakes('leadbell-bench-backlog-', { loops: { limit: 10, windowMs: 1_000 } });
  const base = `http://127.0.0.1:${core.port}/api/webhooks`;
  const ackedAt = new Map<string, number>();
  const hotAckedAt = new Map<string, number>();
  const post = async (endpoint: string, body: unknown) => {
    const res = await fetch(`${base}/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`the receiver answered ${res.status}`);
    return Date.now();
  };
  const leadCreated = db.prepare('SELECT email, created_at FROM leads');
  const hotNotified = db.prepare("SELECT body, created_at FROM notifications WHERE kind = 'hot_lead'");
  const barePort = await freePort();
  const bare = startChild([path.join(import.meta.dirname, 'bare-server.cjs')], { PORT: String(barePort) });
  try {
    const burstStart = Date.now();
    let next = 0;
    const hotEvery = Math.floor(optIns / (hot + 1));
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < optIns) {
          const i = next++;
          const email = `promo-${i}@example.com`;
          ackedAt.set(email, await post('lead-optin', { email, first_name: 'Promo', segment: i % 2 ? 'fitness' : 'beauty-salon' }));
          if (i > 0 && i % hotEvery === 0 && hotAckedAt.size < hot) {
            const hotEmail = `hot-${i}@example.com`;
            hotAckedAt.set(hotEmail, await post('assessment', { email: hotEmail, first_name: 'Hot', assessment_data: HOT }));
          }
        }
      }),
    );
    const burstEnd = Date.now();
    const leadsAtEnd = (leadCreated.all() as unknown[]).length;
    // Every lead and every hot-lead notification, waited for (at most a minute).
    while (Date.now() - burstEnd < 60_000) {
      const leads = leadCreated.all() as { email: string }[];
      const notes = hotNotified.all() as unknown[];
      if (leads.length >= optIns + hotAckedAt.size && notes.length >= hotAckedAt.size) break;
      await sleep(100);
    }
    const created = new Map((leadCreated.all() as { email: string; created_at: string }[]).map((l) => [l.email, Date.parse(l.created_at)]));
    const leadDelays = [...ackedAt].map(([email, at]) => (created.get(email) ?? Infinity) - at).sort((a, b) => a - b);
    const notes = hotNotified.all() as { body: string; created_at: string }[];
    const hotDelays = [...hotAckedAt]
      .map(([email, at]) => {
        const n = notes.find((x) => x.body.startsWith(`${email} `));
        return n ? Date.parse(n.created_at) - at : Infinity;
      })
      .sort((a, b) => a - b);

    // While the welcome emails drain: the receiver against bare Node, alternating, 3 s each.
    const body = JSON.stringify({ email: 'drain-[<id>]@example.com', first_name: 'Drain', segment: 'fitness' });
    const sentBefore = fakes.loops.sendsByKey().size;
    const drainStart = Date.now();
    const b1 = await load(`http://127.0.0.1:${barePort}/`, body, 32, 3);
    const l1 = await load(`${base}/lead-optin`, body, 32, 3);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const sentDuring = fakes.loops.sendsByKey().size - sentBefore;
    const loops = fakes.loops.server.requests;
    return {
      optIns,
      burst: { seconds: (burstEnd - burstStart) / 1000, perSecond: ((optIns + hotAckedAt.size) * 1000) / (burstEnd - burstStart), leadsAtEnd },
      leadDelay: { p50Ms: percentile(leadDelays, 50), p99Ms: percentile(leadDelays, 99), maxMs: leadDelays.at(-1)!, over5s: leadDelays.filter((d) => d > 5_000).length },
      hotLeadNotification: { count: hotDelays.length, p50Ms: percentile(hotDelays, 50), p99Ms: percentile(hotDelays, 99) },
      drain: {
        seconds: drainSeconds,
        emails: sentDuring,
        perSecond: sentDuring / drainSeconds,
        duplicates: [...fakes.loops.sendsByKey().values()].filter((n) => n > 1).length,
        refused429: loops.filter((r) => r.status === 429).length,
      },
      ingestWhileDraining: { bare: b1.requestsPerSecond, leadbell: l1.requestsPerSecond, ratio: l1.requestsPerSecond / b1.requestsPerSecond },
    };
  } finally {
    db.close();
    await core.kill('SIGTERM');
    await bare.stop();
    await fakes.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchBacklog(), null, 2)}\n`);
}
