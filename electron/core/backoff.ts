/**
 * The one backoff schedule in the core (outbound calls, the dispatch loop, the tunnel, the relay connection), as a pure
 * function so a caller can store the next attempt's time durably: exponential from a base, capped,
 * with a choice of jitter so many failures do not retry in lockstep.
 */

/**
 * - `'none'`: exactly the exponential delay (one process retrying its own storage).
 * - `'full'`: uniform between 0 and the exponential delay (many calls to one vendor).
 * - `{ spread }`: within ±spread of the exponential delay, e.g. 0.2 = ±20% (many installations
 *   reopening their tunnels, where a near-zero delay would hammer the server).
 */
export type Jitter = 'none' | 'full' | { spread: number };

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  jitter: Jitter;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 = the first attempt failed).
 * `random` returns [0, 1); injectable so a schedule can be tested deterministically.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const doublings = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt) - 1) : 0;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(doublings, 52));
  const { jitter } = policy;
  if (jitter === 'none') return ceiling;
  if (jitter === 'full') return Math.floor(random() * ceiling);
  return Math.round(ceiling * (1 + jitter.spread * (random() * 2 - 1)));
}
