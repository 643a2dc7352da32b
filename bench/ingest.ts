/**
 * Durable ingest vs a bare Node http server, side by side in one run: 32 connections posting
 * unique opt-ins. Leadbell answers 202 only after the request and its event are fsynced.
 * Besides Leadbell's own field names, each round posts the same opt-ins in a sender preset's
 * shape (Typeform's webhook) and as a multipart/form-data body, each against the same bare
 * baseline, so what reading a sender's body costs shows as a ratio beside the own shape's.
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
  /** The same opt-ins in other bodies, each round beside the same bare baseline. */
  shapes: Record<ShapeName, { leadbell: LoadResult; ratio: number; acknowledged: number; storedEvents: number; cpuUs: number }>;
  /** How long the engine took, after each Leadbell round, to finish the flows of its burst's opt-ins. */
  engineCatchUp: { ms: number; optIns: number }[];
}

const BODY = JSON.stringify({ email: 'bench-[<id>]@example.com', first_name: 'Bench', segment: 'fitness' });

/** Typeform's webhook body (https://www.typeform.com/developers/webhooks/example-payload/), refs made up by Typeform. */
const TYPEFORM_BODY = JSON.stringify({
  event_id: 'benchtf-[<id>]',
  event_type: 'form_response',
  form_response: {
    form_id: 'TZLwUH',
    submitted_at: '2026-11-20T10:01:00Z',
    hidden: { segment: 'fitness' },
    definition: {
      id: 'TZLwUH',
      fields: [
        { id: 'ReGqDc2VqMX9', title: 'Your first name', type: 'short_text', ref: 'ecbb3121-1bc9-42f0-ae29-29aeee5d39d3' },
        { id: 'aScWB6tE7lKg', title: 'Your email', type: 'email', ref: '31c5058f-715a-402a-b5aa-5183d9963484' },
      ],
    },
    answers: [
      { type: 'text', text: 'Bench', field: { id: 'ReGqDc2VqMX9', type: 'short_text', ref: 'ecbb3121-1bc9-42f0-ae29-29aeee5d39d3' } },
      { type: 'email', email: 'benchtf-[<id>]@example.com', field: { id: 'aScWB6tE7lKg', type: 'email', ref: '31c5058f-715a-402a-b5aa-5183d9963484' } },
    ],
  },
});

const BOUNDARY = '----bench7MA4YWxkTrZu0gW';
const MULTIPART_BODY = [
  ['email', 'benchmp-[<id>]@example.com'],
  ['first_name', 'Bench'],
  ['segment', 'fitness'],
]
  .map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
  .join('')
  .concat(`--${BOUNDARY}--\r\n`);

type ShapeName = 'typeform' | 'multipart';
const SHAPES: { name: ShapeName; body: string; contentType: string; marker: string }[] = [
  { name: 'typeform', body: TYPEFORM_BODY, contentType: 'application/json', marker: 'benchtf-' },
  { name: 'multipart', body: MULTIPART_BODY, contentType: `multipart/form-data; boundary=${BOUNDARY}`, marker: 'benchmp-' },
];

const middle = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

/** A load round against one server, with the CPU its process spent per answered request. */
async function measured(pid: number, url: string, connections: number, seconds: number, body = BODY, contentType = 'application/json') {
  const before = cpuSeconds(pid) ?? NaN;
  const result = await load(url, body, connections, seconds, contentType);
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
    const shapeRuns = Object.fromEntries(SHAPES.map((s) => [s.name, { runs: [] as LoadResult[], ratios: [] as number[], cpu: [] as number[] }])) as Record<
      ShapeName,
      { runs: LoadResult[]; ratios: number[]; cpu: number[] }
    >;
    for (const s of SHAPES) await load(url, s.body.replaceAll(s.marker, 'warm-'), connections, 1, s.contentType);
    await waitForIdle(app.proc.pid!);
    for (let i = 0; i < rounds; i++) {
      const b = await measured(bare.proc.pid!, bareUrl, connections, seconds);
      bareRuns.push(b.result);
      cpu.bare.push(b.cpuUs);
      const { result: run, cpuUs } = await measured(app.proc.pid!, url, connections, seconds);
      runs.push(run);
      cpu.leadbell.push(cpuUs);
      engineCatchUp.push({ ms: await waitForIdle(app.proc.pid!), optIns: run.total - run.non2xx });
      for (const s of SHAPES) {
        const m = await measured(app.proc.pid!, url, connections, seconds, s.body, s.contentType);
        shapeRuns[s.name].runs.push(m.result);
        shapeRuns[s.name].ratios.push(m.result.requestsPerSecond / b.result.requestsPerSecond);
        shapeRuns[s.name].cpu.push(m.cpuUs);
        await waitForIdle(app.proc.pid!);
      }
    }
    const b = median(bareRuns);
    const l = median(runs);
    await app.stop();
    const db = new Database(path.join(dataDir, 'leadbell.db'), { readonly: true });
    const stored = (marker: string) => (db.prepare('SELECT count(*) AS n FROM events WHERE payload_json LIKE ?').get(`%"${marker}%`) as { n: number }).n;
    const storedEvents = stored('bench-');
    const shapes = Object.fromEntries(
      SHAPES.map((s) => {
        const r = median(shapeRuns[s.name].runs);
        const ratio = middle(shapeRuns[s.name].ratios);
        return [s.name, { leadbell: r, ratio, acknowledged: r.total - r.non2xx, storedEvents: stored(s.marker), cpuUs: middle(shapeRuns[s.name].cpu) }];
      }),
    ) as IngestFigures['shapes'];
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
      shapes,
      engineCatchUp,
    };
  } finally {
    await Promise.all([bare.stop(), app.stop()]);
  }
}
