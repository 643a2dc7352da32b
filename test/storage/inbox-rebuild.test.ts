/**
 * Migration 13 rebuilds the request log to allow the "ignored" outcome, on a real database file:
 * every request survives with its id (events point at it), the relay's redelivery key still holds,
 * and ignored requests are pruned by age like refusals while accepted ones are kept.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.js';
import { InboxRetention } from '../../electron/core/storage/inbox-retention.js';
import { InboxStore, type InboxRow } from '../../electron/core/storage/inbox-store.js';
import { MIGRATIONS } from '../../electron/core/storage/migrations.js';
import { tempDir } from '../helpers/core.js';

const OLD = '2026-01-02T09:00:00.000Z';

const request = (over: Partial<InboxRow>): InboxRow => ({
  received_at: OLD,
  endpoint: 'email-engagement',
  method: 'POST',
  path: '/api/webhooks/email-engagement',
  client_ip: '203.0.113.9',
  via: 'direct',
  headers: { 'content-type': 'application/json' },
  content_type: 'application/json',
  body: Buffer.from('{"email":"mia@salon.example","event_type":"open"}'),
  body_size: 50,
  body_truncated: false,
  status: 202,
  outcome: 'accepted',
  reason: null,
  event_id: 'evt-1',
  ...over,
});

/** Inserts as the store did before a schema version (the store of today writes columns added later). */
function oldInsert(db: ReturnType<typeof openDatabase>, row: InboxRow): void {
  const { headers, body_truncated, relay_id, shape: _shape, replay_of: _replayOf, ...rest } = row;
  const columns = db.prepare("SELECT name FROM pragma_table_info('inbox')").pluck().all() as string[];
  const values: Record<string, unknown> = { ...rest, headers_json: JSON.stringify(headers), body_truncated: body_truncated ? 1 : 0 };
  if (columns.includes('relay_id')) values.relay_id = relay_id ?? null;
  const names = Object.keys(values);
  db.prepare(`INSERT INTO inbox (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(values);
}

describe('request log rebuild (migration 13)', () => {
  it('keeps every request and its id, takes ignored requests, and prunes them like refusals', () => {
    const dir = tempDir();
    const before = openDatabase(dir, MIGRATIONS.filter((m) => m.version < 13));
    const old = { insert: (row: InboxRow) => oldInsert(before, row) };
    old.insert(request({}));
    old.insert(request({ status: 422, outcome: 'rejected', reason: 'email: is required', event_id: null }));
    old.insert(request({ via: 'relay', relay_id: 'rq_1', event_id: 'evt-2' }));
    expect(() => old.insert(request({ outcome: 'ignored' as InboxRow['outcome'], status: 200, event_id: null }))).toThrow(/CHECK constraint failed/);
    // Later versions add the body's shape (migration 16) and what a replay replays (17): empty for requests stored before.
    const rows = (before.prepare('SELECT * FROM inbox ORDER BY id').all() as object[]).map((r) => ({ ...r, shape: null, replay_of: null }));
    expect(rows).toHaveLength(3);
    before.close();

    const db = openDatabase(dir);
    expect(db.prepare('SELECT * FROM inbox ORDER BY id').all()).toEqual(rows);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const inbox = new InboxStore(db);
    expect(inbox.relayed('rq_1')).toBe(3);
    expect(() => inbox.insert(request({ via: 'relay', relay_id: 'rq_1' }))).toThrow(/UNIQUE constraint failed: inbox.relay_id/);
    const ignored = inbox.insert(request({ status: 200, outcome: 'ignored', reason: `Loops' "email.delivered" is not an open or a click: nothing to do`, event_id: null }));
    expect(inbox.list({ limit: 10, offset: 0, outcome: 'ignored' }).items.map((r) => r.id)).toEqual([ignored]);

    // Thirty days on, the refusal and the ignored request go; the accepted ones stay.
    const retention = new InboxRetention(db, () => ({ retention_days: 30, max_mb: 100 }), () => Date.parse(OLD) + 31 * 24 * 3600_000);
    expect(retention.prune().rows).toBe(2);
    expect(db.prepare('SELECT id, outcome FROM inbox ORDER BY id').all()).toEqual([
      { id: 1, outcome: 'accepted' },
      { id: 3, outcome: 'accepted' },
    ]);
    db.close();
  });
});

describe('request log rebuild (migration 16)', () => {
  it("keeps every request and its id, takes held requests with their shape, and never prunes them", () => {
    const dir = tempDir();
    const before = openDatabase(dir, MIGRATIONS.filter((m) => m.version < 16));
    oldInsert(before, request({}));
    oldInsert(before, request({ status: 200, outcome: 'ignored', reason: 'not an open', event_id: null }));
    expect(() => oldInsert(before, request({ outcome: 'held', status: 202, event_id: null }))).toThrow(/CHECK constraint failed/);
    // Migration 17 adds what a replay replays: empty for requests stored before.
    const rows = (before.prepare('SELECT * FROM inbox ORDER BY id').all() as object[]).map((r) => ({ ...r, shape: null, replay_of: null }));
    before.close();

    const db = openDatabase(dir);
    expect(db.prepare('SELECT * FROM inbox ORDER BY id').all()).toEqual(rows);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const inbox = new InboxStore(db);
    const big = Buffer.from(JSON.stringify({ note: 'x'.repeat(10_000) }));
    const held = inbox.insert(request({ status: 202, outcome: 'held', reason: 'no email', event_id: null, shape: 'abc123', body: big, body_size: big.length }));
    // Held requests keep their whole body, as accepted ones do: they are still to be read.
    expect(inbox.get(held)).toMatchObject({ outcome: 'held', body_truncated: false, body: big.toString() });
    const retention = new InboxRetention(db, () => ({ retention_days: 30, max_mb: 100 }), () => Date.parse(OLD) + 31 * 24 * 3600_000);
    expect(retention.prune().rows).toBe(1);
    expect(db.prepare('SELECT id, outcome, shape FROM inbox ORDER BY id').all()).toEqual([
      { id: 1, outcome: 'accepted', shape: null },
      { id: held, outcome: 'held', shape: 'abc123' },
    ]);
    db.close();
  });
});
