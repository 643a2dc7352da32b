/**
 * The outbound calls' retry schedule, on the core's one backoff (../backoff.ts): jittered, and
 * never sooner than the vendor's Retry-After.
 */
import { backoffDelay, type BackoffPolicy } from '../backoff.js';

/**
 * Attempts a step gets before it is dead-lettered (visible, retryable by hand): with the cap
 * below, about a quarter of an hour of retrying on average, so a vendor's short outage heals by
 * itself instead of needing the owner.
 */
export const DEFAULT_MAX_ATTEMPTS = 12;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Outbound calls: fully jittered, so a vendor coming back is not hit by every retry at once. */
export const CALL_BACKOFF: BackoffPolicy = { baseMs: BACKOFF_BASE_MS, capMs: BACKOFF_CAP_MS, jitter: 'full' };

/** An outbound call's next attempt: the call schedule, never sooner than the vendor's Retry-After. */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, Math.ceil(retryAfterMs)) : 0;
  return Math.max(backoffDelay(CALL_BACKOFF, attempt, random), floor);
}
