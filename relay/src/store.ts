/**
 * The queue's SQLite storage, at a constant cost per request whatever the backlog: the Workers
 * Free plan allows 5 million rows read and 100,000 rows written a day per account, and every
 * storage call fails after that until 00:00 UTC
 * (https://developers.cloudflare.com/durable-objects/platform/pricing/#sqlite-storage-backend).
 *
 * - A stored request writes one row: no AUTOINCREMENT (its sqlite_sequence row), no secondary
 *   index (its entry). Sequence numbers are still never reused: the next one follows the highest
 *   ever given, which is either the newest row or the highest acknowledged (kept in `meta`).
 * - Count and bytes are never scanned: the newest row carries the bytes received up to and
 *   including it (`through`), `meta` the count and bytes acknowledged; both are read once when
 *   the object starts and then kept in memory (the object is single-threaded).
 * - An acknowledgement deletes its rows and updates `meta` once per batch.
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
    day TEXT NOT NULL, requests REAL NOT NULL, rows_read INTEGER NOT NULL, rows_written INTEGER NOT NULL);
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

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.usage = { day: utcDay(now()), requests: 0, rows_read: 0, rows_written: 0, exceeded_at: null };
    this.run(SCHEMA);
    this.upgradeFromV1();
    this.run(`INSERT OR IGNORE INTO meta VALUES (1, 0, 0, 0, 0, '', 0, 0, 0)`);
    const meta = this.run('SELECT * FROM meta WHERE k = 1')[0]!;
    const last = this.run('SELECT seq, through, day, requests, rows_read, rows_written FROM waiting ORDER BY seq DESC LIMIT 1')[0];
    const n = (r: Row | undefined, k: string) => Number(r?.[k] ?? 0);
    const lastSeq = n(last, 'seq');
    const ackedSeq = n(meta, 'acked_seq');
    this.c = {
      issued: Math.max(lastSeq, ackedSeq),
      through: lastSeq > ackedSeq ? n(last, 'through') : n(meta, 'acked_through'),
      ackedCount: n(meta, 'acked_count'),
      ackedBytes: n(meta, 'acked_bytes'),
      ackedSeq,
      ackedThrough: n(meta, 'acked_through'),
    };
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

  /** Stores one sealed request: one row written. Returns its sequence number. */
  push(sealed: Uint8Array, size: number): number {
    this.rollDay();
    const seq = this.c.issued + 1;
    const through = this.c.through + size;
    const u = this.usage;
    this.run('INSERT INTO waiting VALUES (?, ?, ?, ?, ?, ?, ?, ?)', seq, size, through, sealed, u.day, u.requests, u.rows_read, u.rows_written);
    this.c.issued = seq;
    this.c.through = through;
    return seq;
  }

  /**
   * The oldest rows after `after`: up to `limit` of them and `maxBytes` of sealed data (at least
   * one row). The cursor is read lazily, so only the rows returned (and one more) are read.
   */
  after(after: number, limit: number, maxBytes: number): QueuedRow[] {
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

  /** Deletes acknowledged rows (unknown ones are ignored) and updates `meta` once. Returns how many were deleted. */
  ack(seqs: number[]): number {
    this.rollDay();
    const next = { ...this.c };
    let deleted = 0;
    for (const seq of seqs) {
      const row = this.run('DELETE FROM waiting WHERE seq = ? RETURNING size, through', seq)[0];
      if (!row) continue;
      deleted += 1;
      next.ackedCount += 1;
      next.ackedBytes += Number(row.size);
      if (seq > next.ackedSeq) {
        next.ackedSeq = seq;
        next.ackedThrough = Number(row.through);
      }
    }
    if (!deleted) return 0;
    const u = this.usage;
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
   * A queue kept by the first relay version (AUTOINCREMENT, a unique id index) is moved over once,
   * numbered from 1 in arrival order; the upgrade restarted every connection, so no socket holds
   * an old number.
   */
  private upgradeFromV1(): void {
    if (!this.run("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'queue'").length) return;
    this.run(`INSERT INTO waiting SELECT row_number() OVER w, size, sum(size) OVER w, sealed, '', 0, 0, 0 FROM queue WINDOW w AS (ORDER BY seq);
      DROP TABLE queue;`);
  }
}
