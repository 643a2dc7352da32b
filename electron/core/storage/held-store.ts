/**
 * Held requests: answered 2xx and stored whole, waiting for the owner to show Leadbell which field
 * is the email. Grouped by endpoint and body shape, one group per sender; read back in arrival order.
 */
import { z } from 'zod';
import type { Db } from './database.js';
import { readJson } from './json-column.js';
import { statement } from './statements.js';

export interface HeldGroup {
  endpoint: string;
  shape: string;
  count: number;
  /** The first held request: the one the owner maps on. */
  first_id: number;
  first_at: string;
  last_at: string;
  reason: string | null;
}

export interface StoredRequest {
  id: number;
  received_at: string;
  endpoint: string;
  headers: Record<string, string>;
  content_type: string | null;
  body: Buffer;
  outcome: string;
  reason: string | null;
  event_id: string | null;
}

const headersSchema = z.record(z.string(), z.string());
// Repeating the partial index's condition lets SQLite use it.
const HELD = "outcome = 'held' AND outcome != 'accepted'";

type Row = Omit<StoredRequest, 'headers'> & { headers_json: string };
const toStored = ({ headers_json, ...r }: Row): StoredRequest => ({ ...r, headers: readJson(headersSchema, headers_json, 'inbox headers') });

export class HeldStore {
  constructor(private readonly db: Db) {}

  groups(): HeldGroup[] {
    return statement(
      this.db,
      `SELECT g.*, (SELECT reason FROM inbox WHERE id = g.first_id) AS reason FROM (
         SELECT endpoint, shape, count(*) AS count, min(id) AS first_id, min(received_at) AS first_at, max(received_at) AS last_at
         FROM inbox WHERE ${HELD} AND shape IS NOT NULL GROUP BY endpoint, shape) g
       ORDER BY g.first_id`,
    ).all() as HeldGroup[];
  }

  count(): number {
    return (statement(this.db, `SELECT count(*) AS n FROM inbox WHERE ${HELD}`).get() as { n: number }).n;
  }

  /** The ids of one sender's held requests, in arrival order. */
  ids(endpoint: string, shape: string): number[] {
    return statement(this.db, `SELECT id FROM inbox WHERE ${HELD} AND endpoint = ? AND shape = ? ORDER BY id`).pluck().all(endpoint, shape) as number[];
  }

  get(id: number): StoredRequest | undefined {
    const row = statement(
      this.db,
      'SELECT id, received_at, endpoint, headers_json, content_type, body, outcome, reason, event_id FROM inbox WHERE id = ?',
    ).get(id) as Row | undefined;
    return row && toStored(row);
  }

  /** The last requests of a shape, held or not, newest first (what a mapping is previewed on). */
  lastOfShape(endpoint: string, shape: string, limit: number): StoredRequest[] {
    return (
      statement(
        this.db,
        `SELECT id, received_at, endpoint, headers_json, content_type, body, outcome, reason, event_id FROM inbox
         WHERE endpoint = ? AND shape = ? AND body_truncated = 0 ORDER BY id DESC LIMIT ?`,
      ).all(endpoint, shape, limit) as Row[]
    ).map(toStored);
  }
}
