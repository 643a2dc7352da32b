/**
 * The queue's SQLite storage, at a constant cost per request whatever the backlog: the Workers
 * Free plan allows 5 million rows read and 100,000 rows written a day per account, and every
 * storage call fails after that until 00:00 UTC
 * (https://developers.cloudflare.com/durable-objects/platform/pricing/#sqlite-storage-backend).
 *
 * - A stored request writes one row: no AUTOINCREMENT (its sqlite_sequence row), no secondary
 *   index (its entry). Count and bytes are never scanned: each row carries the bytes received up
 *   to and including it (`through`), and the object reads the newest row and `meta` once when it
 *   starts, then keeps the counters in memory (it is single-threaded).
 * - Sequence numbers are never reused, also after the object restarts: the next one follows the
 *   highest ever given, which is either the newest row or the highest acknowledged (`meta`).
 * - An acknowledgement that leaves requests waiting deletes its rows and updates `meta` once per
 *   batch (the acknowledged count and bytes, the highest sequence number acknowledged).
 * - An acknowledgement that empties the queue (every request of live traffic) writes one row, not
 *   two: the newest row is kept as a marker (`sealed` emptied) instead of being deleted and
 *   `meta` updated, and the next request is stored by rewriting that marker in place (one row
 *   written either way). So a request delivered live costs 2 rows written, the least that keeps
 *   both the stored request and its acknowledgement durable. After a restart the marker gives the
 *   highest sequence number; with no request waiting, count and bytes are 0.
 * - `meta` may then be older than the last acknowledgements, so every row also carries the
 *   acknowledged count and bytes as they were when it was written: a restart takes the newer of
 *   that snapshot (newest row) and `meta` (the acknowledged count only grows). Either is exact
 *   when written: a later acknowledgement either empties the queue (nothing waits: 0) or writes
 *   `meta`.
 * - The relay's own use today (requests, rows read and written, from each cursor's counters)
 *   rides along in those same writes: the newest row and `meta` each carry the day's running
 *   totals, so no extra row is written to keep them.
 */
import type { WireUsage } from '../../shared/relay-wire.js';

export interface Counters {
  /** The highest sequence number given so far (they start at 1 and never repeat). */
  issued: number;
  /** Bytes received through `issued`. */
  through: number;
  ackedCount: number;
  ackedBytes: number;
  /** The highest acknowledged sequence number and the bytes received through it. */
  ackedSeq: number;
  ackedThrough: number;
}

export interface QueuedRow {
  seq: number;
  sealed: ArrayBuffer;
}

type Row = Record<string, SqlStorageValue>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY, size INTEGER NOT NULL, through INTEGER NOT NULL, sealed BLOB NOT NULL,
    day TEXT NOT NULL, requests REAL NOT NULL, rows_read INTEGER NOT NULL, rows_written INTEGER NOT NULL,
    acked_count INTEGER NOT NULL DEFAULT 0, acked_bytes INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS meta (k INTEGER PRIMARY KEY CHECK (k = 1), acked_count INTEGER NOT NULL, acked_bytes INTEGER NOT NULL,
    acked_seq INTEGER NOT NULL, acked_through INTEGER NOT NULL,
    day TEXT NOT NULL, requests REAL NOT NULL, rows_read INTEGER NOT NULL, rows_written INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS config (k TEXT PRIMARY KEY, v TEXT NOT NULL);`;

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/** Cloudflare's answer when a daily free limit is used up (its wording varies by product and over time). */
export function isQuotaError(err: unknown): boolean {
  return /exceeded/i.test(String((err as Error)?.message ?? err)) && /(daily|free|limit|quota|allowance)/i.test(String((err as Error)?.message ?? err));
}

export class QueueStore {
  private c: Counters;
  private usage: WireUsage;
  /** The marker row's sequence number (it is then the newest row and nothing waits), or null. */
  private marker: number | null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.usage = { day: utcDay(now()), requests: 0, rows_read: 0, rows_written: 0, exceeded_at: null };
    this.run(SCHEMA);
    this.upgrade();
    this.run(`INSERT OR IGNORE INTO meta VALUES (1, 0, 0, 0, 0, '', 0, 0, 0)`);
    const meta = this.run('SELECT * FROM meta WHERE k = 1')[0]!;
    const last = this.run(
      'SELECT seq, through, length(sealed) AS held, acked_count, acked_bytes, day, requests, rows_read, rows_written FROM waiting ORDER BY seq DESC LIMIT 1',
    )[0];
    const n = (r: Row | undefined, k: string) => Number(r?.[k] ?? 0);
    const lastSeq = n(last, 'seq');
    const ackedSeq = n(meta, 'acked_seq');
    const issued = Math.max(lastSeq, ackedSeq);
    const through = lastSeq > ackedSeq ? n(last, 'through') : n(meta, 'acked_through');
    this.marker = last && n(last, 'held') === 0 ? lastSeq : null;
    if (!last || this.marker !== null) {
      // Nothing waits: everything issued is acknowledged.
      this.c = { issued, through, ackedCount: issued, ackedBytes: through, ackedSeq: issued, ackedThrough: through };
    } else {
      const snapshot = n(last, 'acked_count') > n(meta, 'acked_count') ? last : meta;
      this.c = {
        issued,
        through,
        ackedCount: n(snapshot, 'acked_count'),
        ackedBytes: n(snapshot, 'acked_bytes'),
        ackedSeq,
        ackedThrough: n(meta, 'acked_through'),
      };
    }
    // Each snapshot holds the day's running totals when it was written: the later one wins. The
    // rows this start-up read and wrote are added on top.
    const startup = { ...this.usage };
    for (const k of ['requests', 'rows_read', 'rows_written'] as const) {
      const saved = Math.max(...[meta, last].map((r) => (r && String(r.day) === startup.day ? n(r, k) : 0)));
      this.usage[k] = saved + startup[k];
    }
  }

  get count(): number {
    return this.c.issued - this.c.ackedCount;
  }

  get bytes(): number {
    return this.c.through - this.c.ackedBytes;
  }

  /** The day's use so far (a copy). */
  today(): WireUsage {
    this.rollDay();
    return { ...this.usage };
  }

  /** Counts requests to the queue (an incoming WebSocket message is 1/20 of one, as Cloudflare bills it). */
  countRequest(weight = 1): void {
    this.rollDay();
    this.usage.requests += weight;
  }

  quotaHit(): void {
    this.rollDay();
    this.usage.exceeded_at ??= new Date(this.now()).toISOString();
  }

  /** Stores one sealed request: one row written (a new one, or the marker rewritten). Returns its sequence number. */
  push(sealed: Uint8Array, size: number): number {
    this.rollDay();
    const seq = this.c.issued + 1;
    const through = this.c.through + size;
    const u = this.usage;
    const values = [seq, size, through, sealed, u.day, u.requests, u.rows_read, u.rows_written, this.c.ackedCount, this.c.ackedBytes] as const;
    if (this.marker === null) this.run('INSERT INTO waiting VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', ...values);
    else {
      this.run(
        'UPDATE waiting SET seq = ?, size = ?, through = ?, sealed = ?, day = ?, requests = ?, rows_read = ?, rows_written = ?, acked_count = ?, acked_bytes = ? WHERE seq = ?',
        ...values,
        this.marker,
      );
      this.marker = null;
    }
    this.c.issued = seq;
    this.c.through = through;
    return seq;
  }

  /**
   * The oldest rows after `after`: up to `limit` of them and `maxBytes` of sealed data (at least
   * one row). The cursor is read lazily, so only the rows returned (and one more) are read.
   */
  after(after: number, limit: number, maxBytes: number): QueuedRow[] {
    // Nothing waits (the marker, if any, is not a request): no look-up.
    if (this.count === 0 || after >= this.c.issued) return [];
    const cursor = this.sql.exec<{ seq: number; sealed: ArrayBuffer }>('SELECT seq, sealed FROM waiting WHERE seq > ? ORDER BY seq LIMIT ?', after, limit);
    const rows: QueuedRow[] = [];
    let bytes = 0;
    for (const row of cursor) {
      if (rows.length && bytes + row.sealed.byteLength > maxBytes) break;
      rows.push(row);
      bytes += row.sealed.byteLength;
    }
    this.account(cursor);
    return rows;
  }

  /**
   * Deletes acknowledged rows (unknown ones are ignored). Returns how many were acknowledged.
   * Leaving requests waiting, it updates `meta` once; emptying the queue, it keeps the newest row
   * as the marker instead (see the top of this file).
   */
  ack(seqs: number[]): number {
    this.rollDay();
    if (this.count === 0) return 0;
    const next = { ...this.c };
    const acked = (row: Row | undefined, seq: number) => {
      if (!row) return 0;
      next.ackedCount += 1;
      next.ackedBytes += Number(row.size);
      if (seq > next.ackedSeq) {
        next.ackedSeq = seq;
        next.ackedThrough = Number(row.through);
      }
      return 1;
    };
    const unique = [...new Set(seqs)];
    let deleted = 0;
    for (const seq of unique) {
      if (seq !== this.c.issued) deleted += acked(this.run('DELETE FROM waiting WHERE seq = ? RETURNING size, through', seq)[0], seq);
    }
    const u = this.usage;
    if (unique.includes(this.c.issued)) {
      const newest = this.c.issued;
      // The newest row is the last one waiting (it may have been acknowledged already: then nothing is found).
      if (this.count - deleted === 1) {
        const row = this.run(
          "UPDATE waiting SET sealed = x'', day = ?, requests = ?, rows_read = ?, rows_written = ? WHERE seq = ? AND length(sealed) > 0 RETURNING size, through",
          u.day,
          u.requests,
          u.rows_read,
          u.rows_written,
          newest,
        )[0];
        if (acked(row, newest)) {
          this.c = next;
          this.marker = newest;
          return deleted + 1;
        }
      } else deleted += acked(this.run('DELETE FROM waiting WHERE seq = ? RETURNING size, through', newest)[0], newest);
    }
    if (!deleted) return 0;
    if (next.ackedCount < next.issued) {
      this.run(
        'UPDATE meta SET acked_count = ?, acked_bytes = ?, acked_seq = ?, acked_through = ?, day = ?, requests = ?, rows_read = ?, rows_written = ? WHERE k = 1',
        next.ackedCount,
        next.ackedBytes,
        next.ackedSeq,
        next.ackedThrough,
        u.day,
        u.requests,
        u.rows_read,
        u.rows_written,
      );
    }
    this.c = next;
    return deleted;
  }

  config(key: string): string | null {
    const row = this.run('SELECT v FROM config WHERE k = ?', key)[0];
    return row ? String(row.v) : null;
  }

  setConfig(entries: Record<string, string>): void {
    for (const [k, v] of Object.entries(entries)) this.run('INSERT OR REPLACE INTO config (k, v) VALUES (?, ?)', k, v);
  }

  /** Runs a statement to the end and adds its cursor's row counters to the day's use. */
  private run(query: string, ...args: (SqlStorageValue | Uint8Array)[]): Row[] {
    // A Uint8Array binds as a BLOB, like an ArrayBuffer.
    const cursor = this.sql.exec<Row>(query, ...(args as SqlStorageValue[]));
    const rows = cursor.toArray();
    this.account(cursor);
    return rows;
  }

  private account(cursor: SqlStorageCursor<Row>): void {
    this.usage.rows_read += cursor.rowsRead;
    this.usage.rows_written += cursor.rowsWritten;
  }

  private rollDay(): void {
    const day = utcDay(this.now());
    if (day !== this.usage.day) this.usage = { day, requests: 0, rows_read: 0, rows_written: 0, exceeded_at: null };
  }

  /**
   * Older layouts are moved over once. A queue kept by the first relay version (AUTOINCREMENT, a
   * unique id index) is numbered from 1 in arrival order; the upgrade restarted every connection,
   * so no socket holds an old number. Rows of the version before the marker get the acknowledged
   * snapshot columns at 0: its `meta` was updated with every acknowledgement, so it is the newer.
   */
  private upgrade(): void {
    const tables = new Map(this.run("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('queue', 'waiting')").map((r) => [String(r.name), String(r.sql)]));
    if (!/acked_count/.test(tables.get('waiting') ?? '')) {
      this.run(`ALTER TABLE waiting ADD COLUMN acked_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE waiting ADD COLUMN acked_bytes INTEGER NOT NULL DEFAULT 0;`);
    }
    if (!tables.has('queue')) return;
    this.run(`INSERT INTO waiting (seq, size, through, sealed, day, requests, rows_read, rows_written)
        SELECT row_number() OVER w, size, sum(size) OVER w, sealed, '', 0, 0, 0 FROM queue WINDOW w AS (ORDER BY seq);
      DROP TABLE queue;`);
  }
}
