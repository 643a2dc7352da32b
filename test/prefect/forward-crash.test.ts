/**
 * 1,000 opt-ins forwarded to Prefect, with the core (a child process) killed with SIGKILL while
 * Prefect has stored a batch and its answer has not arrived. Restarted on the same data folder,
 * the core sends what was not answered again with the same event ids: the fake, which like
 * Prefect keeps an event id once, holds every acknowledged event exactly once, none extra, and
 * received them in batches rather than one request each.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { startCoreProcess, type CoreProcess } from '../engine/core-process-client.js';
import type { CoreProcessConfig } from '../engine/core-process.js';
import { PrefectFake } from '../fakes/prefect-fake.js';
import { tempDir } from '../helpers/core.js';
import { burstOptins } from '../reliability/support/burst.js';
import { until } from '../helpers/wait.js';

const COUNT = 1_000;
const AUTH = 'leadbell:crash-test-password';
let fake: PrefectFake;
const children: CoreProcess[] = [];
beforeAll(async () => {
  fake = await PrefectFake.start({ authString: AUTH });
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await fake?.stop();
});


it('every opt-in reaches Prefect exactly once across a kill -9 mid-forwarding, in batches', async () => {
  const dataDir = tempDir('leadbell-prefect-crash-');
  const config: CoreProcessConfig = {
    dataDir,
    secrets: { 'integration.prefect.auth_string': AUTH },
    settings: { integrations: { prefect: { api_url: fake.apiUrl } }, receiver: { rate_limit_per_minute: 0 } },
    logLevel: 'warn',
  };
  // Stored at once, answered late: a kill lands between Prefect storing a batch and Leadbell hearing.
  fake.setAnswerDelay(150);
  const first = await startCoreProcess(config);
  children.push(first);
  const burst = burstOptins(() => `http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, COUNT, 16, 'prefect-crash');
  await burst.done;
  expect(burst.acked()).toBe(COUNT);
  await until('a batch stored and not yet answered, some way in', () => fake.events.size >= 200 && fake.unanswered > 0, 120_000, 5);
  await first.kill('SIGKILL');
  const atKill = fake.events.size;
  expect(atKill).toBeLessThan(COUNT);

  fake.setAnswerDelay(0);
  const second = await startCoreProcess(config);
  children.push(second);
  await until('every event at Prefect', () => fake.events.size >= COUNT, 120_000, 5);

  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    await until(
      'every send recorded',
      () => (db.prepare(`SELECT count(*) FROM runs WHERE flow = 'prefect' AND status = 'completed'`).pluck().get() as number) === COUNT,
      60_000,
    );
    const runs = db.prepare(`SELECT status, count(*) AS n FROM runs WHERE flow = 'prefect' GROUP BY status`).all();
    expect(runs).toEqual([{ status: 'completed', n: COUNT }]);
  } finally {
    db.close();
  }
  const ids = burst.optins.map((o) => o.eventId!.toLowerCase());
  expect(new Set(ids).size).toBe(COUNT);
  expect(fake.events.size).toBe(COUNT);
  for (const id of ids) expect(fake.events.has(id), id).toBe(true);
  const delivered = fake.batches.reduce((a, b) => a + b, 0);
  const resent = delivered - COUNT;
  // Resent: at most what was in flight at the kill (one batch, the lane sends one at a time).
  expect(resent).toBeLessThanOrEqual(200);
  expect(fake.batches.length).toBeLessThan(COUNT / 10);
  console.log(`prefect crash: ${atKill} stored at the kill; ${fake.batches.length} requests for ${COUNT} events (largest ${Math.max(...fake.batches)}); ${resent} resent after the restart and kept once`);
}, 300_000);
