import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_MAX_ATTEMPTS, RETRY_SPAN_MS } from '../../electron/core/outbound/backoff.js';
import { parseRetryAfter } from '../../electron/core/outbound/http-call.js';
import { maskUrl, withoutSecrets } from '../../electron/core/outbound/mask.js';
import { PacerRegistry, VendorPacer } from '../../electron/core/outbound/rate-limiter.js';

/** The most starts inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) max = Math.max(max, times.filter((t) => t >= times[i]! && t - times[i]! < windowMs).length);
  return max;
}

describe('backoff schedule', () => {
  // Svix's documented schedule (https://docs.svix.com/retries): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
  const HOUR = 60 * 60_000;
  it("follows Svix's schedule after each failed attempt, spread by at most ±10%", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, undefined, middle))).toEqual([5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(backoffMs(4, undefined, () => 0)).toBe(Math.round(2 * HOUR * 0.9));
    expect(backoffMs(4, undefined, () => 0.999999)).toBeLessThanOrEqual(Math.round(2 * HOUR * 1.1));
  });

  it('rides out more than a day before giving up: eight attempts over about 27.6 hours', () => {
    expect(DEFAULT_MAX_ATTEMPTS).toBe(8);
    expect(RETRY_SPAN_MS).toBe(27 * HOUR + 35 * 60_000 + 5_000);
    expect(backoffMs(40, undefined, () => 0.5)).toBe(10 * HOUR);
  });

  it('never retries sooner than Retry-After, even above the schedule', () => {
    expect(backoffMs(1, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffMs(2, 900_000, () => 0.9)).toBe(900_000);
    expect(backoffMs(1, 10, () => 0.5)).toBe(5_000);
  });

  it('survives odd input', () => {
    expect(backoffMs(Number.NaN, undefined, () => 0.5)).toBe(5_000);
    expect(backoffMs(0, undefined, () => 0.5)).toBe(5_000);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.25')).toBe(250);
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('vendor pacer', () => {
  it('never lets more than the limit start within a window, in arrival order', async () => {
    const pacer = new VendorPacer({ limit: 3, windowMs: 100 });
    const starts: number[] = [];
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pacer.acquire().then((release) => {
          starts.push(performance.now());
          order.push(i);
          release();
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxInWindow(starts, 100)).toBeLessThanOrEqual(3);
    // Ten calls at three per window need at least three full windows.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(300);
  });

  it('counts a call until one window after it ended, so a slow answer cannot bunch calls at the vendor', async () => {
    const pacer = new VendorPacer({ limit: 1, windowMs: 50 });
    const release = await pacer.acquire();
    let second = false;
    const next = pacer.acquire().then((r) => {
      second = true;
      r();
    });
    await new Promise((r) => setTimeout(r, 120));
    // Still in flight after two windows: the next call waits for it.
    expect(second).toBe(false);
    const ended = performance.now();
    release();
    await next;
    expect(performance.now() - ended).toBeGreaterThanOrEqual(45);
  });

  it('holds every call during a pause', async () => {
    const pacer = new VendorPacer({ limit: 100, windowMs: 1000 });
    pacer.pause(150);
    expect(pacer.pausedForMs()).toBeGreaterThan(100);
    const t0 = performance.now();
    await Promise.all([pacer.acquire(), pacer.acquire()]).then((rs) => rs.forEach((r) => r()));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    expect(pacer.pausedForMs()).toBe(0);
  });

  it('drops a waiter whose signal aborts, and the queue moves on', async () => {
    const pacer = new VendorPacer({ limit: 1, windowMs: 10_000 });
    (await pacer.acquire())();
    const ac = new AbortController();
    const waiting = pacer.acquire(ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('keeps one pacer per vendor account', () => {
    const reg = new PacerRegistry();
    expect(reg.get('loops', 'https://a\nkey1')).toBe(reg.get('loops', 'https://a\nkey1'));
    expect(reg.get('loops', 'https://a\nkey1')).not.toBe(reg.get('loops', 'https://a\nkey2'));
    expect(reg.get('slack', 'x')).not.toBe(reg.get('discord', 'x'));
    expect(reg.get('loops', 'x').policy).toEqual({ limit: 10, windowMs: 1000 });
  });
});

describe('masking', () => {
  it('keeps the origin and hides the token of a webhook URL', () => {
    expect(maskUrl('https://discord.com/api/webhooks/123/abcTOKEN?wait=true')).toBe('https://discord.com/api/webhooks/123/***');
    expect(maskUrl('https://hooks.slack.com/services/T1/B2/s3cr3t')).toBe('https://hooks.slack.com/services/T1/B2/***');
    expect(maskUrl('not a url')).toBe('[invalid URL]');
    expect(withoutSecrets('key abc123 and abc123', ['abc123', null])).toBe('key [redacted] and [redacted]');
  });
});
