/**
 * The outbound calls' retry schedule: long enough to ride out a vendor's outage of hours, and
 * never sooner than the vendor's Retry-After. It follows Svix's documented schedule
 * (https://docs.svix.com/retries: immediately, 5 seconds, 5 minutes, 30 minutes, 2 hours,
 * 5 hours, 10 hours, 10 hours): eight attempts over about 27.6 hours, so a call is given up
 * (and the owner told) only after more than a day.
 */

/** The wait after failed attempt n (index n - 1); the first attempt goes at once. */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 60 * 60_000,
  5 * 60 * 60_000,
  10 * 60 * 60_000,
  10 * 60 * 60_000,
];

/** Attempts a step gets before it is given up (visible on Home, retryable by hand): the schedule's. */
export const DEFAULT_MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

/** Each wait is spread by up to ±10%, so calls that failed together do not all come back at once. */
export const RETRY_SPREAD = 0.1;

/** An outbound call's next attempt after failed attempt `attempt`: the schedule, never sooner than Retry-After. */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, Math.ceil(retryAfterMs)) : 0;
  const i = Math.min(Math.max(1, Math.floor(Number.isFinite(attempt) ? attempt : 1)), RETRY_SCHEDULE_MS.length) - 1;
  const wait = Math.round(RETRY_SCHEDULE_MS[i]! * (1 + RETRY_SPREAD * (random() * 2 - 1)));
  return Math.max(wait, floor);
}

/** The whole schedule's length without spread: how long a call is retried before it is given up. */
export const RETRY_SPAN_MS = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
