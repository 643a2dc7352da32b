/**
 * A promo with every vendor at its documented rate (each fake enforces it and answers 429
 * beyond it): N opt-ins at once, then the time until each integration's calls are all done and
 * how many requests that took. Calls waiting together for one vendor go out as one request
 * where its API allows it (Meta audiences, Slack and Discord messages, Notion lookups), so a
 * vendor's requests per call and its drain time are the figures; one request per call is what
 * they would be without batching.
 */
import { RATE_POLICIES, type Vendor } from '../electron/core/outbound/rate-limiter.js';
import { startCoreWithFakes } from './core-with-fakes.js';

export interface VendorDrain {
  /** Call steps done (completed, failed or skipped) for this integration. */
  calls: number;
  requests: number;
  refused429: number;
  /** From the first post of the burst to this integration's last step done. */
  seconds: number;
}

export interface VendorDrainFigures {
  optIns: number;
  vendors: Partial<Record<Vendor, VendorDrain>>;
  failedRuns: number;
  duplicateEmails: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchVendorDrain(optIns = Number(process.env.BENCH_DRAIN_OPTINS ?? 500), connections = 16): Promise<VendorDrainFigures> {
  const vendors = ['loops', 'slack', 'notion', 'meta'] as const;
  const { fakes, core, db } = await startCoreWithFakes('leadbell-bench-drain-', Object.fromEntries(vendors.map((v) => [v, RATE_POLICIES[v]])));
  const base = `http://127.0.0.1:${core.port}/api/webhooks`;
  const unfinished = db.prepare("SELECT count(*) FROM runs WHERE status NOT IN ('completed', 'partial', 'failed')").pluck();
  const perIntegration = db.prepare(
    "SELECT integration, count(*) AS calls, max(updated_at) AS last FROM steps WHERE integration IS NOT NULL AND status IN ('completed', 'failed', 'skipped') GROUP BY integration",
  );
  try {
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < optIns) {
          const i = next++;
          const res = await fetch(`${base}/lead-optin`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `drain-${i}@example.com`, first_name: 'Drain', segment: i % 2 ? 'fitness' : 'beauty-salon' }),
          });
          await res.arrayBuffer();
          if (res.status !== 202) throw new Error(`the receiver answered ${res.status}`);
        }
      }),
    );
    const deadline = Date.now() + 30 * 60_000;
    while ((unfinished.get() as number) > 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the vendors to drain');
      await sleep(250);
    }
    const rows = perIntegration.all() as { integration: string; calls: number; last: string }[];
    const figures: VendorDrainFigures['vendors'] = {};
    for (const v of vendors) {
      const row = rows.find((r) => r.integration === v);
      const requests = fakes[v].server.requests;
      figures[v] = {
        calls: row?.calls ?? 0,
        requests: requests.length,
        refused429: requests.filter((r) => r.status === 429).length,
        seconds: row ? (Date.parse(row.last) - started) / 1000 : 0,
      };
    }
    return {
      optIns,
      vendors: figures,
      failedRuns: db.prepare("SELECT count(*) FROM runs WHERE status != 'completed'").pluck().get() as number,
      duplicateEmails: [...fakes.loops.sendsByKey().values()].filter((n) => n > 1).length,
    };
  } finally {
    db.close();
    await core.kill('SIGTERM');
    await fakes.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchVendorDrain(), null, 2)}\n`);
}
