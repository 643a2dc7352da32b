/**
 * Per-vendor pacing. A sliding-window pacer makes calls wait (in order) so that no window of
 * the vendor's length ever sees more calls than the vendor allows, and a 429 pauses every call
 * to that vendor account for as long as the vendor asked.
 */
import { createHash } from 'node:crypto';
import { INTEGRATION_LIST, INTEGRATION_NAMES, type IntegrationName, type RatePolicy } from '../../../shared/integrations/index.js';

export type { RatePolicy };

export const VENDORS = INTEGRATION_NAMES;
export type Vendor = IntegrationName;

/** The vendors' documented rates, as the integration catalog gives them. */
export const RATE_POLICIES = Object.fromEntries(INTEGRATION_LIST.map((e) => [e.name, e.rate])) as Record<Vendor, RatePolicy>;

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: unknown) => void;
}

/**
 * A call reaches the vendor at some moment between being let go and its answer arriving. So a
 * call counts against the window from the moment it is let go until one window after it ended:
 * then no window at the vendor, wherever the vendor measures, can hold more than `limit` calls,
 * whatever the network jitter.
 */
export class VendorPacer {
  /** End times of the calls that still count (Infinity while in flight). */
  private readonly counting: number[] = [];
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly policy: RatePolicy) {
    if (!(policy.limit >= 1 && policy.windowMs > 0)) throw new Error('a rate policy needs limit >= 1 and windowMs > 0');
  }

  /**
   * Resolves with a release function when the caller may start its call; the caller calls it when
   * the call has ended (answered or failed). Rejects with the signal's reason on abort.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Holds every call for `ms` (the vendor's Retry-After). Longer pauses win over shorter ones. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + Math.max(0, ms));
  }

  /** How long a vendor-imposed pause still lasts, in ms (0 when not paused). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - performance.now());
  }

  /** 0 when a call may start now; Infinity when only a call ending can free a place. */
  private waitMs(): number {
    const t = performance.now();
    for (let i = this.counting.length - 1; i >= 0; i--) if (this.counting[i]! + this.policy.windowMs <= t) this.counting.splice(i, 1);
    const full = this.counting.length >= this.policy.limit ? Math.min(...this.counting) + this.policy.windowMs - t : 0;
    return Math.max(0, this.pausedUntil - t, full);
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length) {
      const wait = this.waitMs();
      if (wait > 0) {
        // A pause that arrives meanwhile only lengthens the wait: the pump re-checks when it wakes.
        if (wait !== Infinity) this.timer = setTimeout(() => this.pump(), Math.ceil(wait));
        return;
      }
      this.counting.push(Infinity);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        // Calls in flight are interchangeable here: one of them has now ended.
        this.counting[this.counting.indexOf(Infinity)] = performance.now();
        this.pump();
      };
      this.queue.shift()!.resolve(release);
    }
  }
}

/**
 * Pacers by vendor account. A vendor limits per team, token or webhook, so the scope is what
 * identifies that account (base URL plus credential); it is hashed so no secret is kept as a key.
 */
export class PacerRegistry {
  private readonly pacers = new Map<string, VendorPacer>();

  get(vendor: Vendor, scope: string, policy: RatePolicy = RATE_POLICIES[vendor]): VendorPacer {
    const key = createHash('sha256').update(`${vendor}\n${policy.limit}/${policy.windowMs}\n${scope}`).digest('hex');
    let pacer = this.pacers.get(key);
    if (!pacer) {
      pacer = new VendorPacer(policy);
      this.pacers.set(key, pacer);
    }
    return pacer;
  }
}

/** One per process: every client of the same vendor account shares its pacer. */
export const sharedPacers = new PacerRegistry();
