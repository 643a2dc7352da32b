/**
 * kill -9 of a headless Leadbell in the middle of draining 1,000 relayed requests: after a
 * restart every request is stored exactly once and the relay's queue is empty.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { post, tempDir } from '../helpers/core.js';
import { relayQueue, startTestRelay, until, type TestRelay } from './world.js';

let relay: TestRelay | undefined;
const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await relay?.close();
});

const TOKEN = 'relay-crash-token-0123456789';

function startLeadbell(dataDir: string, r: TestRelay): { proc: ChildProcess; ready: Promise<number> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/headless-entry.ts')], {
    env: {
      ...process.env,
      LEADBELL_DATA_DIR: dataDir,
      LEADBELL_PORT: '0',
      LEADBELL_ADMIN_PORT: '0',
      LEADBELL_TUNNEL_PORT: '0',
      LEADBELL_TUNNEL: 'off',
      LEADBELL_ADMIN_TOKEN: TOKEN,
      LEADBELL_RELAY_URL: r.url,
      LEADBELL_RELAY_SECRET: r.secret,
      LEADBELL_LOG_LEVEL: 'warn',
    },
  });
  procs.push(proc);
  let stderr = '';
  const ready = new Promise<number>((resolve, reject) => {
    proc.stderr!.on('data', (d) => {
      stderr += d;
      const m = /Open the UI: +http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`Leadbell exited (${code}): ${stderr}`)));
  });
  return { proc, ready };
}

async function relayState(adminPort: number): Promise<{ state: string; backlog: number | null }> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { relay: { state: string; backlog: number | null } }).relay;
}

function counts(dataDir: string) {
  const db = new Database(path.join(dataDir, 'leadbell.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT (SELECT count(*) FROM inbox WHERE via = 'relay') AS inbox, (SELECT count(DISTINCT relay_id) FROM inbox) AS ids,
                (SELECT count(*) FROM events) AS events, (SELECT count(DISTINCT idempotency_key) FROM events) AS keys`,
      )
      .get() as { inbox: number; ids: number; events: number; keys: number };
  } catch {
    return { inbox: 0, ids: 0, events: 0, keys: 0 };
  } finally {
    db.close();
  }
}

it('survives kill -9 mid-drain of 1,000 requests: each stored once, the relay emptied', { timeout: 240_000 }, async () => {
  relay = await startTestRelay();
  const dataDir = tempDir();
  const first = startLeadbell(dataDir, relay);
  const admin1 = await first.ready;
  await until('first hello', async () => (await relayState(admin1)).state === 'connected');
  first.proc.kill('SIGKILL');

  const N = 1000;
  for (let i = 0; i < N; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        post(`${relay!.url}/api/webhooks/lead-optin`, { email: `crash${i + j}@example.com` }, { 'idempotency-key': `k-${i + j}` }),
      ),
    );
    expect(batch.every((b) => b.status === 202)).toBe(true);
  }
  expect(relayQueue(relay.persistDir)).toHaveLength(N);

  const second = startLeadbell(dataDir, relay);
  await second.ready;
  const atKill = await until('mid-drain', () => {
    const c = counts(dataDir).inbox;
    return c >= 150 && c;
  }, 120_000);
  second.proc.kill('SIGKILL');
  expect(atKill).toBeLessThan(N);
  const restarted = Date.now();

  const third = startLeadbell(dataDir, relay);
  const admin3 = await third.ready;
  await until('all stored', () => counts(dataDir).inbox === N, 120_000);
  await until('relay empty', async () => (await relayState(admin3)).backlog === 0 && relayQueue(relay!.persistDir).length === 0, 60_000);
  expect(counts(dataDir)).toEqual({ inbox: N, ids: N, events: N, keys: N });
  console.log(`relay kill -9 mid-drain: ${atKill} of ${N} stored at the kill, all ${N} stored once ${Date.now() - restarted} ms after the restart`);
});
