/**
 * Crash and recovery at Loops' documented pace: a core with Loops at 10 requests/s takes a burst
 * of opt-ins and is killed with SIGKILL once 1,225 are acknowledged; restarted on the same data
 * folder, measured are the time until every acknowledged opt-in is a lead (required: 10 s), and,
 * once the email backlog has drained at the vendor's pace, that every acknowledged lead got its
 * welcome email and nurture start exactly once (Loops' fake counts accepted sends per key).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../electron/core/storage/database.js';
import { startCoreProcess } from '../test/engine/core-process-client.js';
import type { CoreProcessConfig } from '../test/engine/core-process.js';
import { LoopsFake } from '../test/fakes/loops-fake.js';
import { tempDir } from '../test/helpers/core.js';
import { burstOptins } from '../test/reliability/support/burst.js';

export interface CrashFigures {
  acknowledged: number;
  /** From the restart until every acknowledged opt-in was a lead. */
  leadsAfterRestartMs: number;
  /** Runs waiting when the restarted core had made every lead (the email backlog). */
  backlogRunsAtLeads: number;
  drain: { seconds: number; emails: number; perSecond: number; missing: number; duplicates: number };
}

const LOOPS_PACE = { limit: 10, windowMs: 1_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, timeoutMs: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function benchCrash(killAt = Number(process.env.BENCH_CRASH_ACKED ?? 1225)): Promise<CrashFigures> {
  const loops = await LoopsFake.start({ rateLimit: LOOPS_PACE });
  const dataDir = tempDir('leadbell-bench-crash-');
  const config: CoreProcessConfig = {
    dataDir,
    secrets: { 'integration.loops.api_key': loops.apiKey },
    settings: { integrations: { loops: { base_url: loops.url } }, receiver: { rate_limit_per_minute: 0 } },
    rateLimits: { loops: LOOPS_PACE },
    logLevel: 'warn',
  };
  const first = await startCoreProcess(config);
  const burst = burstOptins(() => `http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, killAt * 2, 32, 'crash');
  let second: Awaited<ReturnType<typeof startCoreProcess>> | null = null;
  let db: Database.Database | null = null;
  try {
    await until('the kill point', 120_000, () => burst.acked() >= killAt);
    await first.kill('SIGKILL');
    burst.stop();
    await burst.done;
    const acked = burst.optins.filter((o) => o.outcome === 'acked');

    const restarted = Date.now();
    second = await startCoreProcess(config);
    db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
    const emails = JSON.stringify(acked.map((o) => o.email));
    const leads = db.prepare('SELECT count(*) FROM leads WHERE email IN (SELECT value FROM json_each(?))').pluck();
    await until('every acknowledged opt-in to be a lead', 120_000, () => leads.get(emails) === acked.length);
    const leadsAfterRestartMs = Date.now() - restarted;
    const unfinished = db.prepare("SELECT count(*) FROM runs WHERE status NOT IN ('completed', 'partial', 'failed')").pluck();
    const backlogRunsAtLeads = unfinished.get() as number;

    const drainStart = Date.now();
    const sentBefore = loops.sends.length;
    await until('the email backlog to drain', 900_000, () => unfinished.get() === 0);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    // Each acknowledged lead: one welcome email (transactional) and one nurture start (event).
    const sent = new Map<string, number>();
    for (const x of loops.sends) sent.set(`${x.kind} ${x.email}`, (sent.get(`${x.kind} ${x.email}`) ?? 0) + 1);
    const once = (email: string) => sent.get(`transactional ${email}`) === 1 && sent.get(`event ${email}`) === 1;
    const missing = acked.filter((o) => !sent.has(`transactional ${o.email}`) || !sent.has(`event ${o.email}`)).length;
    const twice = acked.filter((o) => !once(o.email)).length - missing;
    return {
      acknowledged: acked.length,
      leadsAfterRestartMs,
      backlogRunsAtLeads,
      drain: {
        seconds: drainSeconds,
        emails: loops.sends.length - sentBefore,
        perSecond: (loops.sends.length - sentBefore) / drainSeconds,
        missing,
        duplicates: twice + [...loops.sendsByKey().values()].filter((n) => n > 1).length,
      },
    };
  } finally {
    burst.stop();
    db?.close();
    await first.kill('SIGKILL');
    await second?.kill('SIGTERM');
    await loops.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
