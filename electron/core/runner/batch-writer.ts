/**
 * Commits the engine's state changes in small batches: changes submitted while the event loop
 * is busy share one transaction, each in its own savepoint so one failing change rolls back
 * alone. A batch stops when its time slice is used up, and the next one waits as the slice
 * says, so a burst of webhooks is never held up by the engine (see scheduling/pressure.ts).
 */
import { performance } from 'node:perf_hooks';
import { FREE, pauseAfter, type Slice } from '../scheduling/pressure.js';
import type { Db } from '../storage/database.js';

interface Pending {
  fn: () => unknown;
  /** Work that is redone from durable state on the next start, so shutdown need not wait for it. */
  droppable: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class BatchWriter {
  private queue: Pending[] = [];
  /** How many urgent changes are at the front of the queue. */
  private urgentAhead = 0;
  private scheduled = false;
  private closed = false;
  private dropping = false;
  private readonly savepoint;
  private readonly release;
  private readonly rollback;

  constructor(
    private readonly db: Db,
    private readonly slice: () => Slice = () => FREE,
    private readonly maxBatch = 200,
  ) {
    this.savepoint = db.prepare('SAVEPOINT change');
    this.release = db.prepare('RELEASE change');
    this.rollback = db.prepare('ROLLBACK TO change');
  }

  /** Runs `fn` inside a transaction; resolves with its result once committed. */
  write<T>(fn: () => T, { droppable = false, urgent = false } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the engine is stopped'));
    if (droppable && this.dropping) return Promise.reject(new Error('the engine is stopping'));
    return new Promise<T>((resolve, reject) => {
      // Urgent changes (a hot lead's alert) go ahead of queued ones, in their own order.
      const p = { fn, droppable, resolve: resolve as (v: unknown) => void, reject };
      if (urgent) this.queue.splice(this.urgentAhead++, 0, p);
      else this.queue.push(p);
      this.schedule(0);
    });
  }

  private schedule(pauseMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (pauseMs > 0) setTimeout(() => this.flushBatch(), pauseMs);
    else setImmediate(() => this.flushBatch());
  }

  private flushBatch(budgetMs = this.slice().budgetMs): void {
    this.scheduled = false;
    if (!this.queue.length) return;
    const started = performance.now();
    const batch: Pending[] = [];
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        while (this.queue.length && batch.length < this.maxBatch) {
          if (batch.length && performance.now() - started > budgetMs) break;
          const p = this.queue.shift()!;
          if (this.urgentAhead > 0) this.urgentAhead--;
          batch.push(p);
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
      this.scheduleNext(started);
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.error);
    });
    this.scheduleNext(started);
  }

  private scheduleNext(batchStarted: number): void {
    if (this.queue.length) this.schedule(pauseAfter(this.slice(), performance.now() - batchStarted));
  }

  /**
   * Shutdown has begun: droppable work queued or submitted from now on is refused, so the
   * changes that must be committed (a run's last step) are not queued behind a backlog.
   */
  dropDroppable(): void {
    this.dropping = true;
    const dropped = this.queue.filter((p) => p.droppable);
    this.queue = this.queue.filter((p) => !p.droppable);
    this.urgentAhead = 0;
    for (const p of dropped) p.reject(new Error('the engine is stopping'));
  }

  /** Commits what is queued (dropping droppable work), then refuses new work. */
  close(): void {
    this.dropDroppable();
    while (this.queue.length) this.flushBatch(Infinity);
    this.closed = true;
  }
}
