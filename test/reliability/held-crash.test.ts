/**
 * Held requests survive kill -9: a headless core in its own process holds requests from a sender
 * nobody has mapped (each answered 202 {"status":"held"} only once stored), and is killed with
 * SIGKILL. Restarted on the same data folder, every held request is still there, is mapped, and
 * becomes exactly one event. A second kill lands in the middle of a release (the mapping saved,
 * some held requests released, some not): after the restart each one is released once, none is
 * lost or doubled, and the events keep the requests' arrival order.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { startCoreProcess, type CoreProcess } from '../engine/core-process-client.js';
import { post, startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

const children: CoreProcess[] = [];
let t: TestCore | undefined;
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await t?.stop();
});

const start = async (dataDir: string) => {
  const c = await startCoreProcess({ dataDir, secrets: {}, settings: { receiver: { rate_limit_per_minute: 0 } }, logLevel: 'warn' });
  children.push(c);
  return c;
};

/** A sender whose body has no email-looking value: the address comes as "Name <address>". */
const body = (i: number) => ({ entry: { who: `Guest ${i}`, contact: `Guest ${i} <guest${i}@salon.example>` } });
const MAPPING = { email: ['entry', 'contact'], full_name: ['entry', 'who'], ratings: [] };

describe('kill -9 and held requests', () => {
  it('between holding and mapping, and again in the middle of a release, loses nothing and doubles nothing', async () => {
    const dataDir = tempDir('leadbell-held-crash-');
    const first = await start(dataDir);
    const COUNT = 400;
    const answers: number[] = [];
    for (let i = 0; i < COUNT; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) => post(`http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, body(i + j))),
      );
      for (const a of batch) {
        expect(a.body).toEqual({ status: 'held' });
        answers.push(a.status);
      }
    }
    expect(answers.every((s) => s === 202)).toBe(true);
    await first.kill('SIGKILL');

    // The owner maps the sender while the core is down (the state a crash right after saving leaves).
    const file = path.join(dataDir, DB_FILE);
    const db = new Database(file);
    const shapes = db.prepare("SELECT DISTINCT shape FROM inbox WHERE outcome = 'held'").pluck().all() as string[];
    expect(shapes).toHaveLength(1);
    expect(db.prepare("SELECT count(*) FROM inbox WHERE outcome = 'held'").pluck().get()).toBe(COUNT);
    const now = new Date().toISOString();
    db.prepare('INSERT INTO mappings (endpoint, shape, mapping_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
      'lead-optin',
      shapes[0],
      JSON.stringify(MAPPING),
      now,
      now,
    );
    const released = () => db.prepare('SELECT count(*) FROM events').pluck().get() as number;

    // Started again, it releases what is held; it is killed part way through.
    const second = await start(dataDir);
    await until('a release under way', () => released() > 0, 30_000, 2);
    await second.kill('SIGKILL');
    const atKill = released();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(COUNT);

    // Started a third time (with the admin API): the rest is released; each request once.
    t = await startTestCore({}, dataDir);
    await t.core.releaser.idle();
    expect((await t.api('GET', '/api/held')).body.total).toBe(0);
    const rows = db
      .prepare(
        `SELECT i.id, i.outcome, e.seq, e.resource_id, (SELECT count(*) FROM events x WHERE x.inbox_id = i.id) AS n
         FROM inbox i LEFT JOIN events e ON e.id = i.event_id ORDER BY i.id`,
      )
      .all() as { id: number; outcome: string; seq: number; resource_id: string; n: number }[];
    expect(rows).toHaveLength(COUNT);
    expect(rows.filter((r) => r.outcome !== 'accepted' || r.n !== 1)).toEqual([]);
    expect(released()).toBe(COUNT);
    expect(new Set(rows.map((r) => r.resource_id)).size).toBe(COUNT);
    // Arrival order: the events' sequence follows the requests' ids.
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    // And every one of them became a lead.
    await until('every lead', () => (db.prepare('SELECT count(*) FROM leads').pluck().get() as number) === COUNT, 60_000);
    db.close();
  }, 120_000);
});
