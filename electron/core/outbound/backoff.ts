/**
 * The retry schedule for outbound steps, as a pure function so the runner can store the next
 * attempt's time durably: exponential from about a second, capped, with full jitter so many
 * failed steps do not retry in lockstep, and never sooner than the vendor's Retry-After.
 */

/**
 * Attempts a step gets before it is dead-lettered (visible, retryable by hand): with the cap
 * below, about a quarter of an hour of retrying on average, so a vendor's short outage heals by
 * itself instead of needing the owner.
 */
export const DEFAULT_MAX_ATTEMPTS = 12;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 = the first attempt failed).
 * `random` returns [0, 1); injectable so a schedule can be tested deterministically.
 */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const doublings = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt) - 1) : 0;
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** doublings);
  const jittered = Math.floor(random() * ceiling);
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, Math.ceil(retryAfterMs)) : 0;
  return Math.max(jittered, floor);
}
