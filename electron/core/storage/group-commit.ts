/**
 * Group commit: writes are committed together, in one transaction, and made durable by one
 * `sync` (an fsync, off the event loop); each caller's promise resolves only after the sync
 * that covers its commit. Up to two syncs run at once: while one waits on the disk, the next
 * batch is committed and its sync started, so the loop never idles on an fsync round trip;
 * answers still go out in commit order. Writes that arrive while both run wait and are
 * committed as one batch when one ends. A lone write is committed on the next loop turn; under
 * load a batch is everything that arrived during a sync, so the per-commit cost (the WAL pages
 * rewritten, the fsync) is shared by more requests the slower the disk. Durability per request
 * is unchanged: a sync started after a commit covers it.
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
  /** Syncs under way; each batch is answered after its own sync and every earlier batch's answer. */
  private syncing = 0;
  private lastAnswered: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    /** Runs inside the transaction; returns one result per item, in order. */
    private readonly apply: (items: T[]) => R[],
    /** Makes every commit so far durable; callers are answered only after it resolves. */
    private readonly sync: () => Promise<void> = async () => {},
    /** Runs after a batch is durable, before its callers' promises resolve. */
    private readonly afterDurable: (results: R[]) => void = () => {},
    private readonly maxBatch = 2000,
    /** A batch may commit while the previous one's sync runs: the loop never idles on the disk. */
    private readonly maxSyncing = 2,
  ) {}

  submit(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.syncing >= this.maxSyncing) return;
    this.scheduled = true;
    // setImmediate lets every request already read in this loop turn join the batch.
    setImmediate(() => this.flush());
  }

  /** Commits what is queued and starts its sync, unless both syncs run (one's end commits). */
  private flush(): void {
    this.scheduled = false;
    if (this.syncing >= this.maxSyncing || !this.queue.length) return;
    const committed: Committed<T, R>[] = [];
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        committed.push({ batch, results: this.db.transaction(() => this.apply(batch.map((p) => p.item)))() });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    if (!committed.length) return;
    this.syncing++;
    // Started after the commit, so it covers it; answered in commit order.
    const durable = this.sync();
    this.lastAnswered = this.lastAnswered
      .then(() => durable)
      .then(
        () => this.answer(committed, null),
        (err: unknown) => this.answer(committed, err),
      )
      .finally(() => {
        this.syncing--;
        if (this.queue.length) this.schedule();
      });
  }

  private answer(committed: Committed<T, R>[], err: unknown): void {
    for (const { batch, results } of committed) {
      if (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      this.afterDurable(results);
      batch.forEach((p, i) => p.resolve(results[i]!));
    }
  }

  /** Refuses new writes, then commits what is queued and waits until all of it is durable and answered. */
  async close(): Promise<void> {
    this.closed = true;
    for (;;) {
      if (this.syncing) await this.lastAnswered;
      else if (this.queue.length) this.flush();
      else return;
    }
  }
}
