/**
 * Migration 12 rebuilds the steps table (to drop the idempotency key's own unique index) on a
 * real database file: every step survives unchanged, the keys still hold, and the engine's
 * lifecycle goes on over the rebuilt table.
 */
import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../electron/core/runner/lifecycle.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { MIGRATIONS } from '../../electron/core/storage/migrations.js';
import { RunStore } from '../../electron/core/storage/run-store.js';
import { tempDir } from '../helpers/core.js';

const NOW = '2026-03-02T09:00:00.000Z';
const LATER = '2026-03-02T09:05:00.000Z';

describe('steps rebuild (migration 12)', () => {
  it('keeps every step, its key and its state, and the engine carries on', () => {
    const dir = tempDir();
    const before = openDatabase(dir, MIGRATIONS.filter((m) => m.version < 12));
    const runs = new RunStore(before, () => NOW);
    const life = new Lifecycle(before, runs, () => NOW);
    for (const id of ['r1', 'r2']) {
      life.plan(
        { id, flow: 'lead-optin', trigger_id: null, event_id: null, lead_id: null, status: 'pending', parameters: { email: `${id}@example.com` }, scheduled_for: NOW, created_at: NOW },
        [{ name: 'upsert', input: { email: `${id}@example.com` } }, { name: 'welcome', input: {} }, { name: 'notion', input: {}, skip: 'turned off' }],
      );
    }
    const [done, waiting] = runs.steps('r1');
    // Today's lifecycle writes columns later migrations add, so the old states are set by hand.
    before.prepare("UPDATE steps SET status = 'completed', attempts = 1, output_json = ? WHERE id = ?").run(JSON.stringify({ lead_id: 'lead-1' }), done!.id);
    before
      .prepare("UPDATE steps SET status = 'pending', attempts = 1, integration = 'loops', error = 'Loops answered 503', next_attempt_at = ? WHERE id = ?")
      .run(LATER, waiting!.id);
    const rows = before.prepare('SELECT * FROM steps ORDER BY id').all() as Record<string, unknown>[];
    const oldColumns = Object.keys(rows[0]!);
    expect(rows).toHaveLength(6);
    before.close();

    const db = openDatabase(dir);
    expect(db.prepare(`SELECT ${oldColumns.join(', ')} FROM steps ORDER BY id`).all()).toEqual(rows);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // (run, position) is still unique, so the key derived from it is too.
    expect(() =>
      db.prepare("INSERT INTO steps (id, run_id, idx, name, status, idempotency_key, updated_at) VALUES ('x', 'r1', 1, 'dup', 'pending', 'k', ?)").run(NOW),
    ).toThrow(/UNIQUE constraint failed: steps.run_id, steps.idx/);

    const after = new RunStore(db, () => NOW);
    const lifeAfter = new Lifecycle(db, after, () => NOW);
    expect(lifeAfter.retryNowFor('loops')).toEqual(['r1']);
    lifeAfter.startAttempt(waiting!.id, 2, 'loops');
    lifeAfter.complete(waiting!.id, 2, { sent: true });
    expect(after.steps('r1')[1]).toMatchObject({ status: 'completed', attempts: 2, idempotency_key: waiting!.idempotency_key });
    db.close();
  });
});
