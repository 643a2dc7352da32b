/**
 * Foreground pressure: whether webhooks are arriving in a burst, or while the event loop is
 * saturated.
 * Background work (the engine's commits) takes its time slice from here, so a burst of
 * webhooks is acknowledged first. During a burst the engine takes the loop time the receiver
 * leaves spare (never more than half; it grows a step a window and falls at once): a burst the
 * machine keeps up with gets its leads as it arrives, while one that saturates the loop leaves
 * the engine a sliver and it catches up from durable state afterwards. Without arriving
 * requests background work runs at full speed.
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
/** The most of the loop background work takes during a burst, however quiet the receiver. */
export const MAX_BURST_SHARE = 0.5;
/** Loop time left to the receiver beyond what it used in the last window, so it can speed up. */
const HEADROOM = 0.1;
/** How much the burst share may grow a window: it falls at once when the receiver needs the loop. */
const SHARE_STEP = 0.1;

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
  /** Background work's own loop time in the current window (it must not count as the receiver's). */
  private background = 0;
  /** Background work's slice while under pressure, set once a window. */
  private burstSlice = UNDER_PRESSURE;

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

  /** Background work reports the loop time each of its batches took. */
  noteBackground(ms: number): void {
    this.background += ms;
  }

  underPressure(): boolean {
    const now = performance.now();
    if (now - this.lastCheck >= this.windowMs) {
      const elu = performance.eventLoopUtilization();
      const utilisation = performance.eventLoopUtilization(elu, this.lastElu).utilization;
      const foreground = Math.max(0, utilisation - this.background / (now - this.lastCheck));
      const perSecond = (this.requests * 1000) / (now - this.lastCheck);
      this.busy = perSecond >= this.burstPerSecond || (this.requests > 0 && foreground >= this.saturation);
      const spare = Math.min(MAX_BURST_SHARE, 1 - foreground - HEADROOM);
      const share = this.busy ? Math.min(spare, this.burstSlice.share + SHARE_STEP) : 0;
      // A saturated receiver leaves the engine its sliver; otherwise batches grow with the share.
      this.burstSlice = share <= UNDER_PRESSURE.share ? UNDER_PRESSURE : { budgetMs: Math.max(UNDER_PRESSURE.budgetMs, 8 * share), share };
      this.requests = 0;
      this.background = 0;
      this.lastElu = elu;
      this.lastCheck = now;
    }
    return this.busy;
  }

  slice(): Slice {
    return this.underPressure() ? this.burstSlice : FREE;
  }
}
