/** Typed events, with durable idempotency keys and a dispatch mark for crash recovery. */
import { z } from 'zod';
import type { EventRecord } from '../../../shared/api/models.js';
import type { Db } from './database.js';
import { statement } from './statements.js';
import { readJson } from './json-column.js';
import { TEST_LABEL, type TestMark } from '../../../shared/events/test-mark.js';

export interface NewEvent {
  id: string;
  event: string;
  occurred: string;
  received_at: string;
  source: string;
  resource: Record<string, string>;
  payload: Record<string, unknown>;
  inbox_id: number | null;
  idempotency_key: string | null;
}

interface DbRow {
  seq: number;
  id: string;
  event: string;
  occurred: string;
  received_at: string;
  source: string;
  resource_json: string;
  payload_json: string;
  inbox_id: number | null;
  idempotency_key: string | null;
}

const resourceSchema = z.record(z.string(), z.string());
const payloadSchema = z.record(z.string(), z.unknown());

export class EventStore {
  private insertStmt;
  private byKeyStmt;
  private setInboxStmt;
  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO events (id, event, occurred, received_at, source, resource_id, resource_json, payload_json, inbox_id, idempotency_key)
      VALUES (@id, @event, @occurred, @received_at, @source, @resource_id, @resource_json, @payload_json, @inbox_id, @idempotency_key)
      ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`);
    this.byKeyStmt = db.prepare('SELECT id FROM events WHERE idempotency_key = ?').pluck();
    this.setInboxStmt = db.prepare('UPDATE events SET inbox_id = ? WHERE id = ?');
  }

  /**
   * Inserts unless the idempotency key was seen before (durably, across restarts).
   * Call inside a transaction. Returns the stored event's id and whether it was new.
   */
  insert(e: NewEvent): { id: string; seq: number; duplicate: boolean } {
    const info = this.insertStmt.run({
      id: e.id,
      event: e.event,
      occurred: e.occurred,
      received_at: e.received_at,
      source: e.source,
      resource_id: e.resource['prefect.resource.id'] ?? '',
      resource_json: JSON.stringify(e.resource),
      payload_json: JSON.stringify(e.payload),
      inbox_id: e.inbox_id,
      idempotency_key: e.idempotency_key,
    });
    if (info.changes === 0) {
      return { id: this.byKeyStmt.get(e.idempotency_key) as string, seq: 0, duplicate: true };
    }
    return { id: e.id, seq: Number(info.lastInsertRowid), duplicate: false };
  }

  linkInbox(eventId: string, inboxId: number): void {
    this.setInboxStmt.run(inboxId, eventId);
  }

  get(id: string): EventRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM events WHERE id = ?').get(id) as DbRow | undefined;
    return row && toApi(row);
  }

  list(q: { limit: number; offset: number; event?: string; search?: string }): { items: EventRecord[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.event) {
      where.push('event = @event');
      params.event = q.event;
    }
    if (q.search) {
      where.push("(resource_id LIKE @search ESCAPE '\\' OR payload_json LIKE @search ESCAPE '\\')");
      params.search = `%${likeEscape(q.search)}%`;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (statement(this.db, `SELECT count(*) AS n FROM events ${w}`).get(params) as { n: number }).n;
    const rows = statement(this.db, `SELECT * FROM events ${w} ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as DbRow[];
    return { items: rows.map(toApi), total };
  }

  /**
   * Events for any of the given resource ids (a lead's timeline). The resource index covers
   * dispatched events only (migration 4); the undispatched few are scanned through their own index.
   */
  forResources(resourceIds: string[], limit = 500): EventRecord[] {
    if (!resourceIds.length) return [];
    const ids = resourceIds.map(() => '?').join(',');
    const rows = statement(
      this.db,
      `SELECT * FROM events WHERE dispatched = 1 AND resource_id IN (${ids})
       UNION ALL
       SELECT * FROM events WHERE dispatched = 0 AND resource_id IN (${ids})
       ORDER BY seq DESC LIMIT ?`,
    ).all(...resourceIds, ...resourceIds, limit) as DbRow[];
    return rows.map(toApi);
  }

  /** Events stored but not yet handed to the triggers (after a crash, or before the engine started). */
  undispatched(limit = 1000): EventRecord[] {
    return (statement(this.db, 'SELECT * FROM events WHERE dispatched = 0 ORDER BY seq LIMIT ?').all(limit) as DbRow[]).map(toApi);
  }

  /** Whether the event was the owner's test-fire, and whether they chose to send it for real (null: a real event). */
  testMark(id: string): TestMark | null {
    const mark = statement(this.db, `SELECT json_extract(resource_json, '$."${TEST_LABEL}"') FROM events WHERE id = ?`).pluck().get(id);
    return mark === 'true' || mark === 'send_for_real' ? mark : null;
  }

  /** Whether the event has been handed to the triggers yet (undefined: no such event). */
  isDispatched(id: string): boolean | undefined {
    const row = statement(this.db, 'SELECT dispatched FROM events WHERE id = ?').get(id) as { dispatched: number } | undefined;
    return row && row.dispatched === 1;
  }

  markDispatched(id: string): void {
    statement(this.db, 'UPDATE events SET dispatched = 1 WHERE id = ?').run(id);
  }

  /** Recent events, oldest first, for dry runs of draft triggers. */
  recent(limit: number): EventRecord[] {
    return (statement(this.db, 'SELECT * FROM events ORDER BY seq DESC LIMIT ?').all(limit) as DbRow[]).map(toApi).reverse();
  }
}

export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toApi(r: DbRow): EventRecord {
  return {
    id: r.id,
    seq: r.seq,
    event: r.event,
    occurred: r.occurred,
    received_at: r.received_at,
    source: r.source,
    resource: readJson(resourceSchema, r.resource_json, 'event resource'),
    payload: readJson(payloadSchema, r.payload_json, 'event payload'),
    inbox_id: r.inbox_id,
    idempotency_key: r.idempotency_key,
  };
}
