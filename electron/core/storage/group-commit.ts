/**
 * Group commit: every write submitted while the event loop is busy is committed together in
 * one transaction (one fsync), and each caller's promise resolves only after that commit.
 * Durability per request is unchanged; the cost of the fsync is shared.
 */
import type { Db } from './database.js';

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    /** Runs inside the transaction; returns one result per item, in order. */
    private readonly apply: (items: T[]) => R[],
    /** Runs after each successful commit, before the callers' promises resolve. */
    private readonly afterCommit: (results: R[]) => void = () => {},
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
      let results: R[];
      try {
        results = this.db.transaction(() => this.apply(batch.map((p) => p.item)))();
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      this.afterCommit(results);
      batch.forEach((p, i) => p.resolve(results[i]!));
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}
