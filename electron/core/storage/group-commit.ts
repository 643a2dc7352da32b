/**
 * Group commit: every write submitted while the event loop is busy is committed together in
 * one transaction; committed batches are then made durable by one `sync` (an fsync) at a time,
 * covering every batch committed before it began. Each caller's promise resolves only after
 * its batch is durable. Durability per request is unchanged; the fsync's cost is shared, and
 * the event loop keeps accepting and committing while the disk flushes.
 */
import type { Db } from './database.js';

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

interface Committed<T, R> {
  batch: Pending<T, R>[];
  results: R[];
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private closed = false;
  private awaitingSync: Committed<T, R>[] = [];
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    /** Runs inside the transaction; returns one result per item, in order. */
    private readonly apply: (items: T[]) => R[],
    /** Makes every commit so far durable; callers are answered only after it resolves. */
    private readonly sync: () => Promise<void> = async () => {},
    /** Runs after a batch is durable, before its callers' promises resolve. */
    private readonly afterDurable: (results: R[]) => void = () => {},
    private readonly maxBatch = 2000,
  ) {}

  submit(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request already read in this loop turn join the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now (also used on shutdown). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = this.db.transaction(() => this.apply(batch.map((p) => p.item)))();
        this.awaitingSync.push({ batch, results });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.startSync();
  }

  private startSync(): void {
    if (this.syncing || !this.awaitingSync.length) return;
    const covered = this.awaitingSync;
    this.awaitingSync = [];
    this.syncing = this.sync().then(
      () => {
        for (const { batch, results } of covered) {
          this.afterDurable(results);
          batch.forEach((p, i) => p.resolve(results[i]!));
        }
      },
      (err: unknown) => {
        for (const { batch } of covered) for (const p of batch) p.reject(err);
      },
    );
    void this.syncing.finally(() => {
      this.syncing = null;
      this.startSync();
    });
  }

  /** Commits what is queued and waits until every batch is durable and answered. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    while (this.syncing) await this.syncing.catch(() => {});
  }
}
