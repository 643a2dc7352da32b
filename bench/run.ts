/**
 * `npm run bench`: every benchmark in one run, printing figures and ratios measured side by
 * side. `npm run bench -- ingest` runs one section.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { benchBacklog } from './backlog.js';
import { benchCrash } from './crash.js';
import { benchCsvImport } from './csv-import.js';
import { benchEngine } from './engine.js';
import { benchEngineCommits } from './engine-commits.js';
import { benchIngest } from './ingest.js';
import { benchPrefect } from './prefect.js';
import { benchRelay } from './relay.js';
import { benchRelayCost } from './relay-cost.js';
import { fmt } from './lib.js';
import { soak } from './soak.js';
import { benchTunnel } from './tunnel.js';
import { benchUi } from './ui.js';
import { benchVendorDrain } from './vendor-drain.js';

type Section = { name: string; run: () => Promise<Record<string, unknown>>; print: (r: any) => string[] };

const sections: Section[] = [
  {
    name: 'ingest',
    run: () => benchIngest() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `bare node http:   ${fmt(r.bare.requestsPerSecond)} req/s  p50 ${r.bare.p50Ms} ms  p99 ${r.bare.p99Ms} ms`,
      `leadbell durable: ${fmt(r.leadbell.requestsPerSecond)} req/s  p50 ${r.leadbell.p50Ms} ms  p99 ${r.leadbell.p99Ms} ms  (non-2xx ${r.leadbell.non2xx}, errors ${r.leadbell.errors})`,
      `ratio:            ${fmt(r.ratio, 2)}  (required >= 0.30; medians of ${r.rounds} alternating ${r.secondsPerRound} s rounds, 32 connections)`,
      `CPU per request:  ${fmt(r.cpuUsPerRequest.bare)} us bare, ${fmt(r.cpuUsPerRequest.leadbell)} us Leadbell (the server process, every thread; the engine yields to the burst)`,
      `durability:       ${fmt(r.acknowledged)} acknowledged 2xx, ${fmt(r.storedEvents)} stored (stored >= acknowledged)`,
      ...Object.entries(r.shapes as Record<string, { leadbell: { requestsPerSecond: number; p99Ms: number; non2xx: number }; ratio: number; acknowledged: number; storedEvents: number; cpuUs: number }>).map(
        ([name, s]) =>
          `${`${name} body:`.padEnd(18)}${fmt(s.leadbell.requestsPerSecond)} req/s  p99 ${s.leadbell.p99Ms} ms  ratio ${fmt(s.ratio, 2)} to the same rounds' bare node  ${fmt(s.cpuUs)} us CPU/request  (non-2xx ${s.leadbell.non2xx}; ${fmt(s.acknowledged)} acknowledged, ${fmt(s.storedEvents)} stored)`,
      ),
      `engine catch-up:  ${r.engineCatchUp.map((c: { ms: number; optIns: number }) => `${fmt(c.ms / 1000, 1)} s for ${fmt(c.optIns)}`).join(', ')} opt-ins after each ${r.secondsPerRound} s burst (their flows all run)`,
    ],
  },
  {
    name: 'engine',
    run: async () => ({ ...(await benchEngine()), commits: await benchEngineCommits() }) as unknown as Record<string, unknown>,
    print: (r) => [
      `engine commits per opt-in: ${fmt(r.commits.paced.commitsPerOptIn, 2)} one at a time (${fmt(r.commits.paced.changesPerOptIn, 1)} state changes), ${fmt(r.commits.burst.commitsPerOptIn, 2)} in a burst of ${fmt(r.commits.burst.optIns)}`,
      `burst (instant fakes): ${fmt(r.burst.events)} opt-ins -> ${fmt(r.burst.runs)} runs, ${fmt(r.burst.runsPerSecond)} runs/s (${fmt(r.burst.eventsPerSecond)} opt-ins/s), ${fmt(r.vendorCalls)} vendor calls`,
      `core CPU per opt-in: ${fmt(r.coreCpuMsPerOptIn, 2)} ms (one core carries at most ${fmt(1000 / r.coreCpuMsPerOptIn)} opt-ins/s), ${fmt(r.callsPerOptIn, 2)} vendor calls per opt-in, ${r.coreKiBWrittenPerOptIn === null ? 'n/a' : fmt(r.coreKiBWrittenPerOptIn, 1)} KiB to disk per opt-in`,
      `one loopback HTTP call: ${fmt(r.loopbackCall.clientUs)} us CPU calling + ${fmt(r.loopbackCall.serverUs)} us answering; the calls alone cost the core ${fmt((r.loopbackCall.clientUs * r.callsPerOptIn) / 1000, 2)} ms per opt-in`,
      `at 3,000 opt-ins/s the vendor calls alone would take ${fmt((3000 * r.callsPerOptIn * r.loopbackCall.clientUs) / 1e6, 2)} cores to make and ${fmt((3000 * r.callsPerOptIn * r.loopbackCall.serverUs) / 1e6, 2)} to answer (this machine has ${os.availableParallelism()})`,
      `202 -> run completed at ${fmt(r.paced.eventsPerSecond)} opt-ins/s: p50 ${fmt(r.paced.p50Ms)} ms  p99 ${fmt(r.paced.p99Ms)} ms  max ${fmt(r.paced.maxMs)} ms`,
      `failed runs ${r.failedRuns}, duplicate sends ${r.duplicateSends}`,
    ],
  },
  {
    name: 'backlog',
    run: () => benchBacklog() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `${fmt(r.optIns)} opt-ins at once, Loops at 10 requests/s, 20 hot leads posted during the burst:`,
      `  burst: ${fmt(r.burst.seconds, 1)} s at ${fmt(r.burst.perSecond)} requests/s acknowledged; ${fmt(r.burst.leadsAtEnd)} leads existed when it ended`,
      `  202 -> lead exists: p50 ${fmt(r.leadDelay.p50Ms)} ms  p99 ${fmt(r.leadDelay.p99Ms)} ms  max ${fmt(r.leadDelay.maxMs)} ms  (${r.leadDelay.over5s} over 5 s; required 0)`,
      `  202 -> hot-lead notification (${r.hotLeadNotification.count}): p50 ${fmt(r.hotLeadNotification.p50Ms)} ms  p99 ${fmt(r.hotLeadNotification.p99Ms)} ms  (required p99 <= 1,000 ms)`,
      `  welcome emails while draining: ${fmt(r.drain.perSecond, 1)}/s over ${fmt(r.drain.seconds, 1)} s (Loops allows 10/s), ${r.drain.duplicates} sent twice, ${r.drain.refused429} refused with 429`,
      `  ingest while draining: ${fmt(r.ingestWhileDraining.leadbell)} req/s vs bare Node ${fmt(r.ingestWhileDraining.bare)} req/s, ratio ${fmt(r.ingestWhileDraining.ratio, 2)} (goal >= 0.45)`,
    ],
  },
  {
    name: 'drain',
    run: () => benchVendorDrain() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `${fmt(r.optIns)} opt-ins at once, every vendor at its documented rate; until each vendor's calls are done:`,
      ...Object.entries(r.vendors as Record<string, { calls: number; requests: number; refused429: number; seconds: number }>).map(
        ([v, d]) =>
          `  ${v.padEnd(7)} ${fmt(d.calls)} calls in ${fmt(d.requests)} requests (${fmt(d.requests / Math.max(1, d.calls), 2)} per call; ${d.refused429} refused with 429), done ${fmt(d.seconds, 1)} s after the burst began`,
      ),
      `  failed runs ${r.failedRuns}, welcome emails sent twice ${r.duplicateEmails}`,
    ],
  },
  {
    name: 'crash',
    run: () => benchCrash() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `SIGKILL at ${fmt(r.acknowledged)} acknowledged opt-ins, Loops at 10 requests/s, then a restart:`,
      `  every acknowledged opt-in a lead ${fmt(r.leadsAfterRestartMs)} ms after the restart (required <= 10,000 ms); ${fmt(r.backlogRunsAtLeads)} runs still waiting for Loops then`,
      `  email backlog drained in ${fmt(r.drain.seconds, 1)} s: ${fmt(r.drain.emails)} calls, ${fmt(r.drain.perSecond, 1)}/s; ${r.drain.missing} leads missing an email, ${r.drain.duplicates} sent twice (required 0 and 0)`,
    ],
  },
  {
    name: 'tunnel',
    run: () => benchTunnel() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `recovery to online on the same URL (median / max of ${r.rounds} rounds, product timings):`,
      ...(['sleep', 'outageEnd', 'silent', 'restart'] as const).map(
        (k) => `  ${k.padEnd(10)} ${fmt(r[k].medianMs / 1000, 1)} s / ${fmt(r[k].maxMs / 1000, 1)} s`,
      ),
    ],
  },
  {
    name: 'relay',
    run: async () => ({ ...(await benchRelay()), cost: await benchRelayCost() }) as unknown as Record<string, unknown>,
    print: (r) => [
      `relay CPU of the workerd process per MB of posted body (stored, sealed, pushed, acknowledged), same run: before (base64 JSON, compression offered) ${fmt(r.cost.cpuMsPerMb.before, 1)} ms, now (binary frames, no compression) ${fmt(r.cost.cpuMsPerMb.after, 1)} ms;`,
      `  now with a desktop offering permessage-deflate: ${fmt(r.cost.cpuMsPerMb.afterDeflate, 1)} ms; a Worker that only reads the body: ${fmt(r.cost.cpuMsPerMb.bare, 1)} ms, so the relay's own work costs ${fmt(r.cost.cpuMsPerMb.ratio, 1)}x less than before`,
      `  (the whole process: HTTP, sockets and the runtime included, an upper bound of the CPU time Cloudflare counts)`,
      `relay rows per request delivered live (stored, sent, acknowledged one at a time; its SQL cursor counters): ${fmt(r.cost.perRequest.rowsRead, 2)} read, ${fmt(r.cost.perRequest.rowsWritten, 2)} written`,
      `  -> the Workers Free plan carries about ${fmt(r.cost.dailyCapacity)} requests a day (5,000,000 rows read, 100,000 rows written, 100,000 requests)`,
      `relay (workerd) -> desktop, ${r.concurrency} senders, same run as the direct posts below:`,
      `  live:   ${fmt(r.delivery.requests)} opt-ins, relay accepted ${fmt(r.delivery.acceptedPerSecond)} req/s, delivered ${fmt(r.delivery.deliveredPerSecond)} req/s`,
      `          relay 202 -> desktop commit p50 ${fmt(r.delivery.from202.p50Ms, 1)} ms  p99 ${fmt(r.delivery.from202.p99Ms, 1)} ms; post sent -> desktop commit p50 ${fmt(r.delivery.fromSend.p50Ms, 1)} ms  p99 ${fmt(r.delivery.fromSend.p99Ms, 1)} ms`,
      `  drain:  ${fmt(r.drain.requests)} held while away -> all committed in ${fmt(r.drain.seconds, 1)} s (${fmt(r.drain.perSecond)} req/s)`,
      `  direct: ${fmt(r.direct.requests)} opt-ins to the local receiver ${fmt(r.direct.perSecond)} req/s, 202 (after commit) p50 ${fmt(r.direct.latency.p50Ms, 1)} ms  p99 ${fmt(r.direct.latency.p99Ms, 1)} ms`,
      `  ratios: live delivery / direct ${fmt(r.ratio.delivery, 2)}, drain / direct ${fmt(r.ratio.drain, 2)}; every relayed request stored once: ${r.exactlyOnce}`,
    ],
  },
  {
    name: 'prefect',
    run: () => benchPrefect() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `${fmt(r.optIns)} opt-ins with forwarding to the Prefect fake on, in one run:`,
      `  ingest (first post -> last 2xx):          ${fmt(r.ingestPerSecond)} opt-ins/s`,
      `  forwarded (first post -> all at Prefect): ${fmt(r.forwardedPerSecond)} events/s, ratio to ingest ${fmt(r.ratio, 2)}`,
      `  ${fmt(r.requests)} requests to POST /events, ${fmt(r.meanBatch, 1)} events each on average, ${fmt(r.duplicates)} sent twice`,
    ],
  },
  {
    name: 'import',
    run: () => benchCsvImport() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `CSV import of ${fmt(r.rows)} rows (10 bad): ${fmt(r.leads)} leads, ${fmt(r.errors)} rows listed as errors (required 9,990 and 10)`,
      `  preview ${fmt(r.previewMs)} ms, import ${fmt(r.importMs)} ms (${fmt(r.rowsPerSecond)} rows/s)`,
      `  vs the same rows in a bare better-sqlite3 transaction: ${fmt(r.bareMs)} ms, ratio ${fmt(r.ratio, 1)}x (checks, search index, timeline)`,
    ],
  },
  {
    name: 'ui',
    run: () => benchUi() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `Leads view in Chromium with ${fmt(r.leads)} leads (seeded in ${fmt(r.seedMs)} ms), ${r.domRows} rows in the DOM:`,
      `  first render (navigation -> first row): median ${fmt(r.firstRender.medianMs)} ms`,
      `  search (typing -> rows updated, incl. ${r.search.debounceMs} ms debounce): p50 ${fmt(r.search.p50Ms)} ms  p95 ${fmt(r.search.p95Ms)} ms  (API p50 ${fmt(r.search.apiP50Ms)} ms)`,
      `  jump to the middle of the list -> rows loaded: median ${fmt(r.scrollJump.medianMs)} ms`,
    ],
  },
  {
    name: 'soak',
    run: () => soak() as unknown as Promise<Record<string, unknown>>,
    print: (r) => [
      `${fmt(r.seconds)} s at ${fmt(r.offeredPerSecond)}/s offered (${fmt(r.achievedPerSecond, 1)}/s achieved), flows running against fake vendors`,
      `requests ${fmt(r.requests)}, acknowledged ${fmt(r.acknowledged)}, errors ${fmt(r.errors)}`,
      `latency p50 ${fmt(r.latency.p50Ms)} ms  p99 ${fmt(r.latency.p99Ms)} ms  max ${fmt(r.latency.maxMs)} ms`,
      `RSS start ${fmt(r.rss.startMb)} MB, end ${fmt(r.rss.endMb)} MB, peak ${fmt(r.rss.peakMb)} MB`,
      `runs finished ${fmt(r.runs.finished)}, failed ${fmt(r.runs.failed)}, queued at end ${fmt(r.runs.queuedAtEnd)}; duplicate sends ${fmt(r.duplicateSends)}`,
    ],
  },
];

const only = process.argv.slice(2);
const results: Record<string, unknown> = {};
let failed = false;
for (const s of sections) {
  if (only.length && !only.includes(s.name)) continue;
  process.stdout.write(`\n== ${s.name}\n`);
  try {
    const r = await s.run();
    results[s.name] = r;
    for (const line of s.print(r)) process.stdout.write(`  ${line}\n`);
  } catch (e) {
    failed = true;
    process.stdout.write(`  FAILED: ${(e as Error).stack ?? e}\n`);
  }
}
const out = path.join(import.meta.dirname, 'results');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
process.exit(failed ? 1 : 0);
