/**
 * Commits the engine's state changes in small batches: changes submitted while the event loop
 * is busy share one transaction, each in its own savepoint so one failing change rolls back
 * alone. A batch stops when its time slice is used up, and the next one waits as the slice
 * says, so a burst of webhooks is never held up by the engine (see scheduling/pressure.ts).
 * Changes are taken by priority, so what the owner waits for first is committed first.
 */
import { performance } from 'node:perf_hooks';
import { FREE, pauseAfter, type Slice } from '../scheduling/pressure.js';
import type { Db } from '../storage/database.js';

/**
 * `alert`: may raise a desktop alert (a hot lead); `fresh`: a new event's runs are planned and
 * their local steps run (the lead exists after it); `rest`: vendors' answers and what follows.
 * Under a burst, answers wait while leads are created; the outboxes wait for their answers, so
 * what waits stays bounded.
 */
export type Priority = 'alert' | 'fresh' | 'rest';
const ORDER: Record<Priority, number> = { alert: 0, fresh: 1, rest: 2 };

interface Pending {
  fn: () => unknown;
  /** Work that is redone from durable state on the next start, so shutdown need not wait for it. */
  droppable: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class BatchWriter {
  /** One queue per priority, each in submission order. */
  private queues: Pending[][] = [[], [], []];
  private scheduled = false;
  private pauseTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private dropping = false;
  private readonly savepoint;
  private readonly release;
  private readonly rollback;

  constructor(
    private readonly db: Db,
    private readonly slice: () => Slice = () => FREE,
    /** Told the loop time each batch took, commit included (see Pressure.noteBackground). */
    private readonly spent: (ms: number) => void = () => {},
    private readonly maxBatch = 200,
  ) {
    this.savepoint = db.prepare('SAVEPOINT change');
    this.release = db.prepare('RELEASE change');
    this.rollback = db.prepare('ROLLBACK TO change');
  }

  /** Runs `fn` inside a transaction; resolves with its result once committed. */
  write<T>(fn: () => T, { droppable = false, priority = 'rest' as Priority } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the engine is stopped'));
    if (droppable && this.dropping) return Promise.reject(new Error('the engine is stopping'));
    return new Promise<T>((resolve, reject) => {
      this.queues[ORDER[priority]]!.push({ fn, droppable, resolve: resolve as (v: unknown) => void, reject });
      // An alert does not sit out the pause a burst imposes: it is committed at once.
      if (priority === 'alert' && this.pauseTimer) {
        clearTimeout(this.pauseTimer);
        this.pauseTimer = null;
        this.scheduled = false;
      }
      this.schedule(0);
    });
  }

  /** Changes waiting to be committed. */
  get pending(): number {
    return this.queues[0]!.length + this.queues[1]!.length + this.queues[2]!.length;
  }

  private next(): Pending | undefined {
    return this.queues.find((q) => q.length)?.shift();
  }

  private schedule(pauseMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (pauseMs > 0) this.pauseTimer = setTimeout(() => this.flushBatch(), pauseMs);
    else setImmediate(() => this.flushBatch());
  }

  private flushBatch(budgetMs = this.slice().budgetMs): void {
    this.scheduled = false;
    this.pauseTimer = null;
    if (!this.pending) return;
    const started = performance.now();
    const batch: Pending[] = [];
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        while (batch.length < this.maxBatch) {
          if (batch.length && performance.now() - started > budgetMs) break;
          const p = this.next();
          if (!p) break;
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
    const took = performance.now() - batchStarted;
    this.spent(took);
    if (this.pending) this.schedule(pauseAfter(this.slice(), took));
  }

  /**
   * Shutdown has begun: droppable work queued or submitted from now on is refused, so the
   * changes that must be committed (a run's last step) are not queued behind a backlog.
   */
  dropDroppable(): void {
    this.dropping = true;
    const dropped = this.queues.flat().filter((p) => p.droppable);
    this.queues = this.queues.map((q) => q.filter((p) => !p.droppable));
    for (const p of dropped) p.reject(new Error('the engine is stopping'));
  }

  /** Commits what is queued (dropping droppable work), then refuses new work. */
  close(): void {
    this.dropDroppable();
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    while (this.pending) this.flushBatch(Infinity);
    this.closed = true;
  }
}
