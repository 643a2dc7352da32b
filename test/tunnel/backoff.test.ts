/** The core's one backoff: the three jitter choices over the same capped exponential schedule. */
import { expect, it } from 'vitest';
import { backoffDelay, type BackoffPolicy } from '../../electron/core/backoff.js';

const base = { baseMs: 1_000, capMs: 30_000 };

it('without jitter the delay doubles from the base and stops at the cap', () => {
  const p: BackoffPolicy = { ...base, jitter: 'none' };
  expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(p, n))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

it('full jitter spreads the delay between 0 and the exponential ceiling', () => {
  const p: BackoffPolicy = { ...base, jitter: 'full' };
  expect(backoffDelay(p, 3, () => 0)).toBe(0);
  expect(backoffDelay(p, 3, () => 0.5)).toBe(2_000);
  expect(backoffDelay(p, 3, () => 0.999999)).toBe(3_999);
});

it('a spread keeps the delay within ±spread of the ceiling, never near zero', () => {
  const p: BackoffPolicy = { ...base, jitter: { spread: 0.2 } };
  expect(backoffDelay(p, 3, () => 0)).toBe(3_200);
  expect(backoffDelay(p, 3, () => 0.5)).toBe(4_000);
  expect(backoffDelay(p, 3, () => 0.999999)).toBe(4_800);
  expect(backoffDelay({ ...base, jitter: { spread: 0 } }, 3, () => 0.9)).toBe(4_000);
});
