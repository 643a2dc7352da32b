/**
 * Durable ingest vs a bare Node http server, side by side in one run: 32 connections posting
 * unique opt-ins. Leadbell answers 202 only after the request and its event are fsynced.
 * Rounds alternate between the two servers (both stay up) so background load hits both alike;
 * the figures are the medians over rounds. The engine runs as in the product: it yields to the
 * burst and runs the flows afterwards.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { cpuSeconds, freePort, load, startChild, tempDir, waitForHttp, waitForIdle, type LoadResult } from './lib.js';

export interface IngestFigures {
  bare: LoadResult;
  leadbell: LoadResult;
  ratio: number;
  rounds: number;
  secondsPerRound: number;
  storedEvents: number;
  acknowledged: number;
  /**
   * CPU (every thread of the server process) per answered request during the rounds, medians:
   * what receiving one request costs, a figure the shared machine's load disturbs far less than
   * requests a second.
   */
  cpuUsPerRequest: { bare: number; leadbell: number };
  /** How long the engine took, after each Leadbell round, to finish the flows of its burst's opt-ins. */
  engineCatchUp: { ms: number; optIns: number }[];
}

const BODY = JSON.stringify({ email: 'bench-[<id>]@example.com', first_name: 'Bench', segment: 'fitness' });

const middle = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** A load round against one server, with the CPU its process spent per answered request. */
async function measured(pid: number, url: string, connections: number, seconds: number) {
  const before = cpuSeconds(pid) ?? NaN;
  const result = await load(url, BODY, connections, seconds);
  return { result, cpuUs: (((cpuSeconds(pid) ?? NaN) - before) * 1e6) / result.total };
}

function median(results: LoadResult[]): LoadResult {
  const pick = (f: (r: LoadResult) => number) => middle(results.map(f));
  return {
    requestsPerSecond: pick((r) => r.requestsPerSecond),
    p50Ms: pick((r) => r.p50Ms),
    p99Ms: pick((r) => r.p99Ms),
    total: results.reduce((s, r) => s + r.total, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    errors: results.reduce((s, r) => s + r.errors, 0),
  };
}

export async function benchIngest(
  rounds = Number(process.env.BENCH_ROUNDS ?? 3),
  seconds = Number(process.env.BENCH_SECONDS ?? 5),
  connections = 32,
): Promise<IngestFigures> {
  const root = path.resolve(import.meta.dirname, '..');
  const barePort = await freePort();
  const bare = startChild([path.join(root, 'bench/bare-server.cjs')], { PORT: String(barePort) });
  const dataDir = tempDir('leadbell-bench-');
  const [port, adminPort, tunnelPort] = [await freePort(), await freePort(), await freePort()];
  const app = startChild([path.join(root, 'dist/electron/headless.cjs')], {
    LEADBELL_DATA_DIR: dataDir,
    LEADBELL_PORT: String(port),
    LEADBELL_ADMIN_PORT: String(adminPort),
    LEADBELL_TUNNEL_PORT: String(tunnelPort),
    LEADBELL_TUNNEL: 'off',
    LEADBELL_RATE_LIMIT: '0',
    LEADBELL_LOG_LEVEL: 'warn',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    const url = `http://127.0.0.1:${port}/api/webhooks/lead-optin`;
    await load(bareUrl, BODY, connections, 1);
    await load(url, BODY.replace('bench-', 'warm-'), connections, 2);
    const bareRuns: LoadResult[] = [];
    const runs: LoadResult[] = [];
    const engineCatchUp: IngestFigures['engineCatchUp'] = [];
    // The bare server is measured only once Leadbell is idle again: its engine runs the flows
    // of each burst after the burst, and must not take CPU from the baseline.
    await waitForIdle(app.proc.pid!);
    const cpu = { bare: [] as number[], leadbell: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      const b = await measured(bare.proc.pid!, bareUrl, connections, seconds);
      bareRuns.push(b.result);
      cpu.bare.push(b.cpuUs);
      const { result: run, cpuUs } = await measured(app.proc.pid!, url, connections, seconds);
      runs.push(run);
      cpu.leadbell.push(cpuUs);
      engineCatchUp.push({ ms: await waitForIdle(app.proc.pid!), optIns: run.total - run.non2xx });
    }
    const b = median(bareRuns);
    const l = median(runs);
    await app.stop();
    const db = new Database(path.join(dataDir, 'leadbell.db'), { readonly: true });
    const storedEvents = (db.prepare("SELECT count(*) AS n FROM events WHERE payload_json LIKE '%\"bench-%'").get() as { n: number }).n;
    db.close();
    return {
      bare: b,
      leadbell: l,
      ratio: l.requestsPerSecond / b.requestsPerSecond,
      rounds,
      secondsPerRound: seconds,
      storedEvents,
      acknowledged: l.total - l.non2xx,
      cpuUsPerRequest: { bare: middle(cpu.bare), leadbell: middle(cpu.leadbell) },
      engineCatchUp,
    };
  } finally {
    await Promise.all([bare.stop(), app.stop()]);
  }
}
