/**
 * Keeps the request log bounded. Accepted requests are the record and are never pruned here, nor
 * are held ones (answered 2xx, waiting for the owner to map them). Rejected, spam, duplicate and
 * ignored requests are deleted once older than the retention period, and, oldest first, whenever
 * together with the held ones they take more than the size cap. Deleted space is reused by
 * SQLite, so under a flood of junk the file stops growing instead of filling the disk.
 */
import type { InboxUsage } from '../../../shared/api/models.js';
import type { InboxSettings } from '../../../shared/settings.js';
import type { Logger } from '../log/logger.js';
import type { Db } from './database.js';
import { statement } from './statements.js';

/** What a row costs on disk, near enough (the stored columns plus a fixed overhead). */
const ROW_BYTES = "length(body) + length(headers_json) + length(path) + coalesce(length(reason), 0) + 100";
const BATCH = 500;
const MB = 1024 * 1024;

export class InboxRetention {
  constructor(
    private readonly db: Db,
    private readonly settings: () => InboxSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Prunes now, every minute, and at once when the settings change; returns the stop function. */
  keepPruned(onSettingsChange: (listener: () => void) => () => void, log: Logger): () => void {
    const prune = () => {
      try {
        const gone = this.prune();
        if (gone.rows) log.info('pruned the request log', { rows: gone.rows, bytes: gone.bytes });
      } catch (err) {
        log.error('could not prune the request log', { error: err as Error });
      }
    };
    prune();
    const timer = setInterval(prune, 60_000);
    timer.unref();
    const stopOnChange = onSettingsChange(prune);
    return () => {
      clearInterval(timer);
      stopOnChange();
    };
  }

  usage(): InboxUsage {
    const accepted = statement(this.db, `SELECT count(*) AS rows, coalesce(sum(${ROW_BYTES}), 0) AS bytes FROM inbox WHERE outcome = 'accepted'`).get() as {
      rows: number;
      bytes: number;
    };
    return { accepted, other: this.other() };
  }

  /** The partial index on outcome keeps this to the non-accepted rows (held ones count: they take room too). */
  private other(): InboxUsage['other'] {
    return statement(
      this.db,
      `SELECT count(*) AS rows, coalesce(sum(${ROW_BYTES}), 0) AS bytes, min(received_at) AS oldest FROM inbox WHERE outcome != 'accepted'`,
    ).get() as InboxUsage['other'];
  }

  /** Room for a held request of `bytes`: held requests are never pruned, so together they stay under the cap. */
  roomToHold(bytes: number): boolean {
    const held = statement(this.db, `SELECT coalesce(sum(${ROW_BYTES}), 0) AS bytes FROM inbox WHERE outcome = 'held'`).get() as { bytes: number };
    return held.bytes + bytes <= this.settings().max_mb * MB;
  }

  /** Deletes what the settings no longer keep; returns how many rows and bytes went. */
  prune(): { rows: number; bytes: number } {
    const { retention_days, max_mb } = this.settings();
    const cutoff = new Date(this.now() - retention_days * 24 * 3600_000).toISOString();
    let rows = 0;
    let bytes = 0;
    const oldest = statement(
      this.db,
      `SELECT id, received_at, ${ROW_BYTES} AS bytes FROM inbox WHERE outcome != 'accepted' AND outcome != 'held' ORDER BY id LIMIT ${BATCH}`,
    );
    const remove = statement(this.db, 'DELETE FROM inbox WHERE id = ?');
    let excess = this.other().bytes - max_mb * MB;
    // In batches, each its own transaction, so the receiver's writes are never held up for long.
    for (;;) {
      const batch = oldest.all() as { id: number; received_at: string; bytes: number }[];
      const doomed: typeof batch = [];
      for (const r of batch) {
        if (r.received_at >= cutoff && excess <= 0) break;
        doomed.push(r);
        excess -= r.bytes;
      }
      if (!doomed.length) break;
      this.db.transaction(() => {
        for (const r of doomed) remove.run(r.id);
      })();
      rows += doomed.length;
      bytes += doomed.reduce((n, r) => n + r.bytes, 0);
      if (doomed.length < batch.length) break;
    }
    return { rows, bytes };
  }
}
