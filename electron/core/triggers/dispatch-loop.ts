/**
 * Hands stored events to the dispatcher through the engine's batches (each event's runs take their
 * first round in the change that plans them), and keeps at it: an event whose dispatch failed (a
 * full disk, say) stays undispatched and the undispatched backlog is read again later, with a
 * growing pause while storage keeps failing. Events stored while the engine was not running are
 * dispatched from the same backlog at start.
 */
import type { EventRecord } from '../../../shared/api/models.js';
import type { Logger } from '../log/logger.js';
import { backoffDelay, type BackoffPolicy } from '../backoff.js';
import type { EventStore } from '../storage/event-store.js';
import type { Dispatcher } from './dispatcher.js';

/** Storage trouble heals slowly: a second, doubling, at most a minute, no jitter (one process). */
const RETRY: BackoffPolicy = { baseMs: 1_000, capMs: 60_000, jitter: 'none' };
const BACKLOG_PAGE = 500;

export interface DispatchLoopDeps {
  /** Commits `plan` (it returns the runs it created) with the new runs' first rounds. */
  startPlanned: (plan: () => string[], opts: { urgent: boolean; droppable: boolean }) => Promise<string[]>;
  dispatcher: Dispatcher;
  events: EventStore;
  log: Logger;
  /** A committed dispatch and the runs it created, to show live. */
  onDispatched: (e: EventRecord, runIds: string[]) => void;
}

export class DispatchLoop {
  private readonly work = new Set<Promise<void>>();
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: DispatchLoopDeps) {}

  dispatch(e: EventRecord): Promise<void> {
    // Droppable: an event not dispatched by shutdown is still undispatched, and is dispatched
    // on the next start.
    const urgent = this.deps.dispatcher.isUrgent(e);
    const done = this.deps
      .startPlanned(() => this.deps.dispatcher.dispatch(e), { droppable: true, urgent })
      .then((runIds) => {
        this.failures = 0;
        this.deps.onDispatched(e, runIds);
      })
      .catch((err: unknown) => {
        if (this.stopped) return;
        this.deps.log.error('an event could not be dispatched; trying again shortly', { event_id: e.id, error: err as Error });
        this.retryLater();
      });
    return this.track(done);
  }

  /** Dispatches every stored event not dispatched yet (at start, and after a failure). */
  dispatchBacklog(): void {
    void this.track(
      this.readBacklog().catch((err: unknown) => {
        if (this.stopped) return;
        this.deps.log.error('stored events could not be dispatched; trying again shortly', { error: err as Error });
        this.retryLater();
      }),
    );
  }

  isIdle(): boolean {
    return this.work.size === 0;
  }

  async idle(): Promise<void> {
    while (this.work.size) await Promise.allSettled([...this.work]);
  }

  /** Stops retrying; work under way finishes (or is refused by the closing batches). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private track(p: Promise<void>): Promise<void> {
    const tracked: Promise<void> = p.finally(() => this.work.delete(tracked));
    this.work.add(tracked);
    return tracked;
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer) return;
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dispatchBacklog();
    }, backoffDelay(RETRY, this.failures));
  }

  private async readBacklog(): Promise<void> {
    const tried = new Set<string>();
    let total = 0;
    for (;;) {
      if (this.stopped) return;
      const page = this.deps.events.undispatched(BACKLOG_PAGE).filter((e) => !tried.has(e.id));
      if (!page.length) break;
      for (const e of page) tried.add(e.id);
      total += page.length;
      await Promise.all(page.map((e) => this.dispatch(e)));
    }
    if (total) this.deps.log.info('dispatched events stored while the engine was not running', { events: total });
  }
}
