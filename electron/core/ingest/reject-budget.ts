/**
 * A global budget for storing rejected requests. The per-IP rate limit bounds one sender; many
 * senders (or one with many addresses) could still write rejections as fast as the disk takes
 * them. Past the budget a rejected request is still answered, but not stored; how many were
 * left out is logged once per minute. Accepted requests and spam records (which back the 2xx a
 * bot is told) never count against it.
 */
export const REJECTS_STORED_PER_MINUTE = 600;
const WINDOW_MS = 60_000;

export class RejectBudget {
  private window = -1;
  private used = 0;
  private skipped = 0;

  constructor(
    private readonly onSkipped: (count: number) => void,
    private readonly perMinute = REJECTS_STORED_PER_MINUTE,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this rejection may be stored. */
  take(): boolean {
    const w = Math.floor(this.now() / WINDOW_MS);
    if (w !== this.window) {
      if (this.skipped) this.onSkipped(this.skipped);
      this.window = w;
      this.used = 0;
      this.skipped = 0;
    }
    if (this.used < this.perMinute) {
      this.used++;
      return true;
    }
    this.skipped++;
    return false;
  }
}
