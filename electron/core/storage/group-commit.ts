/**
 * Group commit: every write submitted while the event loop is busy is committed together in
 * one transaction; committed batches are then made durable by a `sync` (an fsync) that began
 * after their commit. Each caller's promise resolves only after that. Durability per request
 * is unchanged; the fsync's cost is shared, the event loop keeps accepting and committing
 * while the disk flushes, and a few syncs may overlap so a batch committed just after one
 * began does not wait for two.
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
  seq: number;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private closed = false;
  private awaitingSync: Committed<T, R>[] = [];
  /** Commits so far, and the newest one some sync in flight already covers. */
  private committed = 0;
  private covered = 0;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    /** Runs inside the transaction; returns one result per item, in order. */
    private readonly apply: (items: T[]) => R[],
    /** Makes every commit so far durable; callers are answered only after it resolves. */
    private readonly sync: () => Promise<void> = async () => {},
    /** Runs after a batch is durable, before its callers' promises resolve. */
    private readonly afterDurable: (results: R[]) => void = () => {},
    private readonly maxBatch = 2000,
    private readonly maxSyncsInFlight = 3,
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
        this.awaitingSync.push({ batch, results, seq: ++this.committed });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.startSync();
  }

  private startSync(): void {
    if (this.covered === this.committed || this.inFlight.size >= this.maxSyncsInFlight) return;
    const upTo = (this.covered = this.committed);
    const sync = this.sync().then(
      () => this.settle(upTo, null),
      (err: unknown) => this.settle(upTo, err),
    );
    this.inFlight.add(sync);
    void sync.finally(() => {
      this.inFlight.delete(sync);
      this.startSync();
    });
  }

  /** Answers every batch up to `upTo`: a sync covers all that was committed before it began. */
  private settle(upTo: number, err: unknown): void {
    while (this.awaitingSync.length && this.awaitingSync[0]!.seq <= upTo) {
      const { batch, results } = this.awaitingSync.shift()!;
      if (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      this.afterDurable(results);
      batch.forEach((p, i) => p.resolve(results[i]!));
    }
  }

  /** Commits what is queued and waits until every batch is durable and answered. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
