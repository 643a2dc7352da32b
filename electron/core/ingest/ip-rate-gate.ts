/**
 * Per-client-IP rate limit, a sliding window over two fixed one-minute buckets. Memory is
 * bounded: idle entries are swept and the table is capped.
 */
export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
  /** True for the first refusal of a window: only that one is written to the inbox. */
  firstRefusal: boolean;
}

interface Entry {
  window: number;
  current: number;
  previous: number;
  refusedInWindow: boolean;
}

const WINDOW_MS = 60_000;
const MAX_ENTRIES = 100_000;

export class IpRateGate {
  private entries = new Map<string, Entry>();

  constructor(
    private limitPerMinute: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  check(ip: string): RateDecision {
    const limit = this.limitPerMinute();
    if (limit <= 0) return { allowed: true, retryAfterSeconds: 0, firstRefusal: false };
    const t = this.now();
    const window = Math.floor(t / WINDOW_MS);
    let e = this.entries.get(ip);
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) this.sweep(window);
      e = { window, current: 0, previous: 0, refusedInWindow: false };
      this.entries.set(ip, e);
    } else if (e.window !== window) {
      e.previous = e.window === window - 1 ? e.current : 0;
      e.current = 0;
      e.window = window;
      e.refusedInWindow = false;
    }
    const elapsed = (t % WINDOW_MS) / WINDOW_MS;
    const estimated = e.previous * (1 - elapsed) + e.current;
    if (estimated >= limit) {
      const first = !e.refusedInWindow;
      e.refusedInWindow = true;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - elapsed) * WINDOW_MS) / 1000)), firstRefusal: first };
    }
    e.current++;
    return { allowed: true, retryAfterSeconds: 0, firstRefusal: false };
  }

  private sweep(window: number): void {
    for (const [ip, e] of this.entries) if (e.window < window - 1) this.entries.delete(ip);
    // Still full (a flood of distinct addresses): drop the oldest half rather than grow.
    if (this.entries.size >= MAX_ENTRIES) {
      let n = 0;
      for (const ip of this.entries.keys()) {
        if (n++ >= MAX_ENTRIES / 2) break;
        this.entries.delete(ip);
      }
    }
  }
}
