/**
 * Runs waiting for a time (a schedule or a retry): one timer, armed for the earliest, hands each
 * run back to the runner when its time has come.
 */

/** setTimeout's limit; a longer wait is re-armed when it expires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DueTimes {
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: () => number,
    /** Called for each run whose time has come. */
    private readonly onDue: (runId: string) => void,
  ) {}

  set(runId: string, at: number): void {
    if (this.stopped) return;
    this.due.set(runId, at);
    this.arm();
  }

  delete(runId: string): void {
    this.due.delete(runId);
  }

  /** Hands over every run whose time has come (the timer does this; tests with a moved clock call it). */
  wake(): void {
    const now = this.clock();
    for (const [id, at] of [...this.due]) {
      if (at > now) continue;
      this.due.delete(id);
      this.onDue(id);
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    let next = Infinity;
    for (const at of this.due.values()) next = Math.min(next, at);
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (!Number.isFinite(next) || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.wake();
    }, Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock())));
    this.timer.unref();
  }
}
