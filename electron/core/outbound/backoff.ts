/**
 * The one backoff schedule in the core, as pure functions so a caller can store the next
 * attempt's time durably: exponential from a base, capped, optionally with full jitter (so many
 * failures do not retry in lockstep), and never sooner than the vendor's Retry-After.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Full jitter: a uniform delay between 0 and the exponential ceiling. */
  jitter: boolean;
}

/**
 * Attempts a step gets before it is dead-lettered (visible, retryable by hand): with the cap
 * below, about a quarter of an hour of retrying on average, so a vendor's short outage heals by
 * itself instead of needing the owner.
 */
export const DEFAULT_MAX_ATTEMPTS = 12;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Outbound calls: jittered, so a vendor coming back is not hit by every retry at once. */
export const CALL_BACKOFF: BackoffPolicy = { baseMs: BACKOFF_BASE_MS, capMs: BACKOFF_CAP_MS, jitter: true };

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 = the first attempt failed).
 * `random` returns [0, 1); injectable so a schedule can be tested deterministically.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const doublings = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt) - 1) : 0;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(doublings, 52));
  return policy.jitter ? Math.floor(random() * ceiling) : ceiling;
}

/** An outbound call's next attempt: the call schedule, never sooner than the vendor's Retry-After. */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, Math.ceil(retryAfterMs)) : 0;
  return Math.max(backoffDelay(CALL_BACKOFF, attempt, random), floor);
}
