/**
 * Foreground pressure: whether webhooks are arriving in a burst, or while the event loop is
 * saturated.
 * Background work (the engine's commits) takes its time slice from here, so a burst of
 * webhooks is acknowledged first and the engine catches up from durable state afterwards.
 * Without arriving requests, or with spare loop time, background work runs at full speed.
 */
import { performance } from 'node:perf_hooks';

export interface Slice {
  /** How long one background batch may run before it commits. */
  budgetMs: number;
  /**
   * The share of wall time background batches may take, their commits included: after a
   * batch that took t ms the next waits t * (1 - share) / share. A commit (index pages written
   * to the WAL, sometimes a checkpoint) can take longer than the batch's budget.
   */
  share: number;
}

export const FREE: Slice = { budgetMs: 8, share: 1 };
/** The engine keeps moving during a burst without slowing it, and catches up at full speed afterwards. */
export const UNDER_PRESSURE: Slice = { budgetMs: 1, share: 0.03 };

/** The longest pause: background work looks again this often whether the burst is over. */
export const MAX_PAUSE_MS = 250;

/** How long to leave the loop to the foreground after a background batch that took `tookMs`. */
export function pauseAfter(slice: Slice, tookMs: number): number {
  return slice.share >= 1 ? 0 : Math.min(MAX_PAUSE_MS, (tookMs * (1 - slice.share)) / slice.share);
}

export class Pressure {
  private requests = 0;
  private lastElu = performance.eventLoopUtilization();
  private lastCheck = performance.now();
  private busy = false;

  constructor(
    private readonly windowMs = 100,
    private readonly saturation = 0.8,
    /** Requests a second that count as a burst whatever the loop's load (the engine's writes
     * would otherwise contend with the ingest thread for the database). */
    private readonly burstPerSecond = 200,
  ) {}

  /** The receiver calls this for every request. */
  noteRequest(): void {
    this.requests++;
  }

  underPressure(): boolean {
    const now = performance.now();
    if (now - this.lastCheck >= this.windowMs) {
      const elu = performance.eventLoopUtilization();
      const utilisation = performance.eventLoopUtilization(elu, this.lastElu).utilization;
      const perSecond = (this.requests * 1000) / (now - this.lastCheck);
      this.busy = perSecond >= this.burstPerSecond || (this.requests > 0 && utilisation >= this.saturation);
      this.requests = 0;
      this.lastElu = elu;
      this.lastCheck = now;
    }
    return this.busy;
  }

  slice(): Slice {
    return this.underPressure() ? UNDER_PRESSURE : FREE;
  }
}
