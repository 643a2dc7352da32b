/**
 * Quitting right after a burst: the engine has thousands of events queued for dispatch and a
 * few runs in flight. Stopping must not work through the queue first (the desktop app would
 * hang on quit); the queued events stay undispatched and the next start dispatches them.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { startTestCore } from '../helpers/core.js';
import { newEvent } from '../helpers/events.js';

const EVENTS = 3000;

function optIn(n: number) {
  const email = `quit-${n}@shop.example`;
  return newEvent(`lead.${email}`, { email, first_name: 'Quit', segment: 'fitness' });
}

function count(dataDir: string, sql: string): number {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    return (db.prepare(sql).pluck().get() as number) ?? 0;
  } finally {
    db.close();
  }
}

it('stopping with a dispatch backlog leaves it for the next start instead of working through it', async () => {
  const t = await startTestCore();
  const stored = t.core.db.transaction(() =>
    Array.from({ length: EVENTS }, (_, n) => {
      const e = optIn(n);
      return { ...e, seq: t.core.stores.events.insert(e).seq };
    }),
  )();
  t.core.engine.dispatch(stored);
  // Runs are in flight: their next changes are queued behind the rest of the backlog.
  for (let i = 0; i < 400 && count(t.dataDir, 'SELECT count(*) FROM runs') === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(count(t.dataDir, 'SELECT count(*) FROM runs')).toBeGreaterThan(0);

  await t.stop();
  const left = count(t.dataDir, 'SELECT count(*) FROM events WHERE dispatched = 0');
  expect(left).toBeGreaterThan(EVENTS / 2);

  await t.restart();
  await t.core.engine.idle();
  expect(count(t.dataDir, 'SELECT count(*) FROM events WHERE dispatched = 0')).toBe(0);
  expect(count(t.dataDir, "SELECT count(DISTINCT event_id) FROM runs WHERE flow = 'lead-optin'")).toBe(EVENTS);
  // The runs interrupted by the stop were resumed and finished.
  expect(count(t.dataDir, "SELECT count(*) FROM runs WHERE status IN ('pending', 'running')")).toBe(0);
  await t.stop();
}, 120_000);
