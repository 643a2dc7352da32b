/**
 * Commits the engine's state changes in small batches: every change submitted while the event
 * loop is busy shares one transaction, each in its own savepoint so one failing change rolls
 * back alone. Between batches the writer yields, so a burst never holds up the receiver.
 */
import type { Db } from '../storage/database.js';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class BatchWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private readonly savepoint;
  private readonly release;
  private readonly rollback;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 200,
  ) {
    this.savepoint = db.prepare('SAVEPOINT change');
    this.release = db.prepare('RELEASE change');
    this.rollback = db.prepare('ROLLBACK TO change');
  }

  /** Runs `fn` inside a transaction; resolves with its result once committed. */
  write<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the engine is stopped'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flushBatch());
  }

  private flushBatch(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (!batch.length) return;
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          // Each change in its own savepoint: a throwing change undoes only itself.
          this.savepoint.run();
          try {
            results.push({ ok: true, value: p.fn() });
          } catch (error) {
            this.rollback.run();
            results.push({ ok: false, error });
          }
          this.release.run();
        }
      })();
    } catch (error) {
      for (const p of batch) p.reject(error);
      if (this.queue.length) this.schedule();
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.error);
    });
    if (this.queue.length) this.schedule();
  }

  /** Commits whatever is queued, then refuses new work. */
  close(): void {
    while (this.queue.length) this.flushBatch();
    this.closed = true;
  }
}
