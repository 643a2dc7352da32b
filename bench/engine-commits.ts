/**
 * The engine's SQLite commits per opt-in: a core in this process against instant vendor fakes,
 * counting the engine writer's transactions and the state changes submitted to it.
 * - paced: one opt-in at a time, so nothing shares a transaction (the worst case);
 * - burst: many opt-ins at once, as under a promo (changes share transactions).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { DB_FILE } from '../electron/core/storage/database.js';
import { BatchWriter } from '../electron/core/runner/batch-writer.js';
import { PacerRegistry, VENDORS, type RatePolicy, type Vendor } from '../electron/core/outbound/rate-limiter.js';
import { configureFakes, startFakes } from '../test/fakes/vendors.js';
import { post, startTestCore } from '../test/helpers/core.js';

export interface CommitFigures {
  paced: { optIns: number; commitsPerOptIn: number; changesPerOptIn: number };
  burst: { optIns: number; commitsPerOptIn: number; changesPerOptIn: number };
}

const RUNS_PER_OPTIN = 3;
const UNLIMITED: RatePolicy = { limit: 1_000_000, windowMs: 1_000 };

export async function benchEngineCommits(paced = 50, burst = 1000): Promise<CommitFigures> {
  const counts = { commits: 0, changes: 0 };
  // Counted around the writer's own methods so the figure means the same before and after a change.
  const proto = BatchWriter.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const origWrite = proto.write!;
  const origFlush = proto.flushBatch!;
  proto.write = function (this: unknown, ...a: unknown[]) {
    counts.changes++;
    return origWrite.apply(this, a);
  };
  proto.flushBatch = function (this: { pending: number }, ...a: unknown[]) {
    if (this.pending) counts.commits++;
    return origFlush.apply(this, a);
  };
  const fakes = await startFakes({ loops: UNLIMITED, discord: UNLIMITED, slack: UNLIMITED, notion: UNLIMITED, meta: UNLIMITED });
  const pacers = new PacerRegistry();
  const tc = await startTestCore({
    integrations: { pacers, timeoutMs: 5_000, rateLimits: Object.fromEntries(VENDORS.map((v) => [v, UNLIMITED])) as Record<Vendor, RatePolicy> },
  });
  const set = await tc.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 0 } });
  if (set.status !== 200) throw new Error(`settings: ${JSON.stringify(set.body)}`);
  configureFakes(tc.core, fakes);
  const url = tc.url('/api/webhooks/lead-optin');
  const db = new Database(path.join(tc.dataDir, DB_FILE), { readonly: true });
  const finished = db.prepare("SELECT count(*) FROM runs WHERE status IN ('completed', 'partial', 'failed')").pluck();
  const allDone = async (runs: number) => {
    const end = Date.now() + 600_000;
    while ((finished.get() as number) < runs) {
      if (Date.now() > end) throw new Error('timed out waiting for the runs to finish');
      if (process.env.DEBUG_BENCH) console.error(finished.get(), runs, db.prepare('select flow, status, count(*) n from runs group by 1,2').all());
      await new Promise((r) => setTimeout(r, 20));
    }
    await tc.core.engine.idle();
  };
  const send = (i: number, tag: string) =>
    post(url, { email: `${tag}-${i}@example.com`, first_name: 'Bench', segment: i % 2 ? 'fitness' : 'beauty-salon' }, { accept: 'application/json' });
  try {
    // Warm up, then measure one at a time.
    await send(0, 'warm');
    await allDone(RUNS_PER_OPTIN);
    counts.commits = counts.changes = 0;
    for (let i = 0; i < paced; i++) {
      const r = await send(i, 'paced');
      if (r.status !== 202) throw new Error(`the receiver answered ${r.status}`);
      await allDone(RUNS_PER_OPTIN * (i + 2));
    }
    const p = { optIns: paced, commitsPerOptIn: counts.commits / paced, changesPerOptIn: counts.changes / paced };
    counts.commits = counts.changes = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < burst) {
          const r = await send(next++, 'burst');
          if (r.status !== 202) throw new Error(`the receiver answered ${r.status}`);
        }
      }),
    );
    await allDone(RUNS_PER_OPTIN * (paced + 1 + burst));
    const b = { optIns: burst, commitsPerOptIn: counts.commits / burst, changesPerOptIn: counts.changes / burst };
    return { paced: p, burst: b };
  } finally {
    proto.write = origWrite;
    proto.flushBatch = origFlush;
    db.close();
    await tc.stop();
    await fakes.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchEngineCommits(), null, 2)}\n`);
}
