/** A local relay (the real Worker in workerd) and helpers to reach and inspect it. */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startLocalRelay, type LocalRelay } from '../../scripts/relay-local.js';
// @ts-expect-error: a plain ES module script without type declarations
import { bundleRelay } from '../../scripts/relay-bundle.mjs';
import { tempDir } from '../helpers/core.js';

export interface TestRelay extends LocalRelay {
  secret: string;
  persistDir: string;
}

export async function startTestRelay(vars: Record<string, string> = {}, script?: string): Promise<TestRelay> {
  const secret = randomBytes(32).toString('base64url');
  const persistDir = tempDir('leadbell-relay-');
  const relay = await startLocalRelay({ secret, persistDir, script, vars: { RELAY_RATE_LIMIT_PER_MINUTE: '100000', ...vars } });
  return { ...relay, secret, persistDir };
}

/**
 * The relay with its storage watched (GET /__rows: the rows its SQL cursors read and wrote since
 * the last call) and, with FAKE_DAILY_ROWS_READ / FAKE_DAILY_ROWS_WRITTEN, Cloudflare's daily quota.
 */
export async function startWatchedRelay(vars: Record<string, string> = {}): Promise<TestRelay & { rows(): Promise<{ read: number; written: number }> }> {
  const script = (await bundleRelay(undefined, path.join(import.meta.dirname, '../fakes/durable-object-storage.ts'))) as string;
  const relay = await startTestRelay(vars, script);
  return { ...relay, rows: async () => (await fetch(`${relay.url}/__rows`)).json() as Promise<{ read: number; written: number }> };
}

/** The relay's Durable Object SQLite files, read raw (what Cloudflare's storage holds). */
export function relayStorageFiles(persistDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sqlite')) out.push(p);
    }
  };
  walk(persistDir);
  return out;
}

/** Requests still queued on the relay (read straight from its SQLite file; the emptied marker row is none). */
export function relayQueue(persistDir: string): { seq: number; sealed: Buffer }[] {
  return relayStorageFiles(persistDir).flatMap((file) => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'waiting'").get();
      return has ? (db.prepare('SELECT seq, sealed FROM waiting WHERE length(sealed) > 0 ORDER BY seq').all() as { seq: number; sealed: Buffer }[]) : [];
    } finally {
      db.close();
    }
  });
}

export { until } from '../helpers/wait.js';
