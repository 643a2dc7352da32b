/** The inbox: every inbound request with its outcome, rejected ones included. */
import { z } from 'zod';
import type { InboxRequest, requestOutcome } from '../../../shared/api/models.js';
import type { Db } from './database.js';
import { statement } from './statements.js';
import { readJson } from './json-column.js';

export type Outcome = z.infer<typeof requestOutcome>;

export interface InboxRow {
  received_at: string;
  endpoint: string | null;
  method: string;
  path: string;
  client_ip: string;
  via: 'direct' | 'tunnel' | 'test-fire' | 'relay' | 'replay';
  headers: Record<string, string>;
  content_type: string | null;
  body: Buffer;
  body_size: number;
  body_truncated: boolean;
  status: number;
  outcome: Outcome;
  reason: string | null;
  event_id: string | null;
  /** The relay's request id, for a request that came through the relay. */
  relay_id?: string | null;
  /** The body's shape (shared/mapping/fingerprint.ts), for requests to a lead endpoint. */
  shape?: string | null;
  /** For a replay: the request it replays. */
  replay_of?: number | null;
}

const headersSchema = z.record(z.string(), z.string());

/**
 * Only accepted and held requests keep their whole body (the record, and what is still to be
 * read). A rejected, spam, duplicate or ignored request keeps this much of it: enough to see what was sent, too little for a stranger
 * to fill the disk with.
 */
export const EXCERPT_BYTES = 4096;

/** The row as it is stored: the body cut to an excerpt unless the request was accepted. */
export function storedForm(row: InboxRow): InboxRow {
  if (row.outcome === 'accepted' || row.outcome === 'held' || row.body.length <= EXCERPT_BYTES) return row;
  return { ...row, body: row.body.subarray(0, EXCERPT_BYTES), body_truncated: true };
}

interface DbRow {
  id: number;
  received_at: string;
  endpoint: string | null;
  method: string;
  path: string;
  client_ip: string;
  via: InboxRow['via'];
  headers_json: string;
  content_type: string | null;
  body: Buffer;
  body_size: number;
  body_truncated: number;
  status: number;
  outcome: Outcome;
  reason: string | null;
  event_id: string | null;
  relay_id: string | null;
  shape: string | null;
  replay_of: number | null;
  replayed_event_id?: string | null;
}

/** A stored request, whole, for a replay through the receiver (api/replay-requests.ts). */
export interface StoredRequest {
  id: number;
  received_at: string;
  endpoint: string | null;
  method: string;
  path: string;
  client_ip: string;
  headers: Record<string, string>;
  body: Buffer;
  body_truncated: boolean;
  outcome: Outcome;
  event_id: string | null;
  /** For a replay: the request it replays. */
  replay_of: number | null;
  /** The event an earlier replay of it became, if one did. */
  replayed_event_id: string | null;
}

/** Which requests a bulk replay takes: these ids, or every refused request matching Events' filters. */
export type ReplaySelection = { ids: number[] } | { refused: { endpoint?: string; since?: string } };

/** The event a replay of the request `inbox.id` became (the first, if several did). */
const REPLAYED_EVENT = '(SELECT r.event_id FROM inbox r WHERE r.replay_of = inbox.id AND r.event_id IS NOT NULL ORDER BY r.id LIMIT 1) AS replayed_event_id';

export class InboxStore {
  private insertStmt;
  private byRelayId;
  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO inbox (received_at, endpoint, method, path, client_ip, via, headers_json, content_type, body,
                         body_size, body_truncated, status, outcome, reason, event_id, relay_id, shape, replay_of)
      VALUES (@received_at, @endpoint, @method, @path, @client_ip, @via, @headers_json, @content_type, @body,
              @body_size, @body_truncated, @status, @outcome, @reason, @event_id, @relay_id, @shape, @replay_of)`);
    this.byRelayId = db.prepare('SELECT id FROM inbox WHERE relay_id = ?').pluck();
  }

  /** The inbox row already stored for a relayed request, if any. */
  relayed(relayId: string): number | undefined {
    return this.byRelayId.get(relayId) as number | undefined;
  }

  /**
   * Settles a held request (call inside a transaction): it becomes accepted with its event, or a
   * refusal. False when it was no longer held, so a request is released at most once.
   */
  settleHeld(id: number, outcome: 'accepted' | 'duplicate' | 'rejected', reason: string | null, eventId: string | null): boolean {
    return (
      statement(this.db, "UPDATE inbox SET outcome = @outcome, reason = @reason, event_id = @eventId WHERE id = @id AND outcome = 'held'").run({
        id,
        outcome,
        reason,
        eventId,
      }).changes === 1
    );
  }

  /** Call inside a transaction (the ingest writer's group commit). */
  insert(row: InboxRow): number {
    const { headers, body_truncated, ...rest } = storedForm(row);
    return Number(
      this.insertStmt.run({
        ...rest,
        relay_id: row.relay_id ?? null,
        shape: row.shape ?? null,
        replay_of: row.replay_of ?? null,
        headers_json: JSON.stringify(headers),
        body_truncated: body_truncated ? 1 : 0,
      }).lastInsertRowid,
    );
  }

  list(q: { limit: number; offset: number; endpoint?: string; outcome?: Outcome; since?: string; via?: InboxRequest['via'] }): { items: InboxRequest[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.endpoint) {
      where.push('endpoint = @endpoint');
      params.endpoint = q.endpoint;
    }
    if (q.outcome) {
      // Repeating the partial index's condition lets SQLite use it for the non-accepted filters.
      where.push(q.outcome === 'accepted' ? 'outcome = @outcome' : "outcome = @outcome AND outcome != 'accepted'");
      params.outcome = q.outcome;
    }
    if (q.since) {
      where.push('received_at >= @since');
      params.since = q.since;
    }
    if (q.via) {
      where.push('via = @via');
      params.via = q.via;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (statement(this.db, `SELECT count(*) AS n FROM inbox ${w}`).get(params) as { n: number }).n;
    const rows = statement(this.db, `SELECT *, ${REPLAYED_EVENT} FROM inbox ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as DbRow[];
    return { items: rows.map(toApi), total };
  }

  get(id: number): InboxRequest | undefined {
    const row = statement(this.db, `SELECT *, ${REPLAYED_EVENT} FROM inbox WHERE id = ?`).get(id) as DbRow | undefined;
    return row && toApi(row);
  }

  /**
   * The requests a bulk replay takes, in arrival order, at most `limit`, and how many matched in
   * all. "All refused" leaves out replays themselves (their originals are what is replayed) and
   * requests a replay already turned into an event.
   */
  forReplay(selection: ReplaySelection, limit: number): { items: StoredRequest[]; total: number } {
    let where: string;
    const params: Record<string, unknown> = {};
    if ('ids' in selection) {
      where = `id IN (SELECT value FROM json_each(@ids))`;
      params.ids = JSON.stringify(selection.ids);
    } else {
      const { endpoint, since } = selection.refused;
      where = `outcome = 'rejected' AND outcome != 'accepted' AND replay_of IS NULL
        AND NOT EXISTS (SELECT 1 FROM inbox r WHERE r.replay_of = inbox.id AND r.event_id IS NOT NULL)`;
      if (endpoint) {
        where += ' AND endpoint = @endpoint';
        params.endpoint = endpoint;
      }
      if (since) {
        where += ' AND received_at >= @since';
        params.since = since;
      }
    }
    const total = (statement(this.db, `SELECT count(*) AS n FROM inbox WHERE ${where}`).get(params) as { n: number }).n;
    const rows = statement(this.db, `SELECT *, ${REPLAYED_EVENT} FROM inbox WHERE ${where} ORDER BY id LIMIT @limit`).all({ ...params, limit }) as DbRow[];
    return {
      items: rows.map((r) => ({
        id: r.id,
        received_at: r.received_at,
        endpoint: r.endpoint,
        method: r.method,
        path: r.path,
        client_ip: r.client_ip,
        headers: readJson(headersSchema, r.headers_json, 'inbox headers'),
        body: r.body,
        body_truncated: r.body_truncated === 1,
        outcome: r.outcome,
        event_id: r.event_id,
        replay_of: r.replay_of,
        replayed_event_id: r.replayed_event_id ?? null,
      })),
      total,
    };
  }

  /** What a replay's own row records: its outcome, why, and its event. */
  outcomeOf(id: number): { outcome: Outcome; reason: string | null; event_id: string | null } | undefined {
    return statement(this.db, 'SELECT outcome, reason, event_id FROM inbox WHERE id = ?').get(id) as
      | { outcome: Outcome; reason: string | null; event_id: string | null }
      | undefined;
  }

  /** A request's outcome and event, without its body (what "what happened next" starts from). */
  eventOf(id: number): { outcome: Outcome; event_id: string | null } | undefined {
    return statement(this.db, 'SELECT outcome, event_id FROM inbox WHERE id = ?').get(id) as { outcome: Outcome; event_id: string | null } | undefined;
  }

}

function toApi(r: DbRow): InboxRequest {
  return {
    id: r.id,
    received_at: r.received_at,
    endpoint: r.endpoint,
    method: r.method,
    path: r.path,
    client_ip: r.client_ip,
    via: r.via,
    headers: readJson(headersSchema, r.headers_json, 'inbox headers'),
    content_type: r.content_type,
    body: r.body.toString('utf8'),
    body_size: r.body_size,
    body_truncated: r.body_truncated === 1,
    status: r.status,
    outcome: r.outcome,
    reason: r.reason,
    event_id: r.event_id,
    spam: r.outcome === 'spam',
    shape: r.shape,
    replay_of: r.replay_of,
    replayed_event_id: r.replayed_event_id ?? null,
  };
}
