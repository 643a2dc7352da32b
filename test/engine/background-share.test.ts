/**
 * Background work under foreground pressure: the gauge notices a burst of requests, and the
 * engine's batch writer then keeps to its share of wall time, commits included.
 */
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { BatchWriter } from '../../electron/core/runner/batch-writer.js';
import { FREE, MAX_BURST_SHARE, MAX_PAUSE_MS, Pressure, UNDER_PRESSURE, pauseAfter } from '../../electron/core/scheduling/pressure.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { tempDir } from '../helpers/core.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // stands in for a slow change
  }
}

it('a burst of requests counts as pressure; a quiet window does not', async () => {
  const gauge = new Pressure(20, 0.8, 200);
  expect(gauge.underPressure()).toBe(false);
  for (let i = 0; i < 200; i++) gauge.noteRequest();
  await sleep(25);
  expect(gauge.underPressure()).toBe(true);
  expect(gauge.slice()).not.toBe(FREE);
  await sleep(25);
  expect(gauge.underPressure()).toBe(false);
  expect(gauge.slice()).toBe(FREE);
});

it('during a burst the engine takes the loop time the receiver leaves spare, at most half', async () => {
  const gauge = new Pressure(20, 0.8, 200);
  const burst = () => {
    for (let i = 0; i < 200; i++) gauge.noteRequest();
  };
  // Requests arrive fast but the loop is idle: the engine's share grows a step a window, up to half.
  gauge.underPressure();
  const shares: number[] = [];
  for (let i = 0; i < 6; i++) {
    burst();
    await sleep(25);
    shares.push(gauge.slice().share);
  }
  expect(shares[0]).toBeGreaterThan(UNDER_PRESSURE.share);
  expect(shares[0]).toBeLessThan(MAX_BURST_SHARE);
  expect(shares).toEqual([...shares].sort((a, b) => a - b));
  expect(gauge.slice()).toEqual({ share: MAX_BURST_SHARE, budgetMs: 8 * MAX_BURST_SHARE });

  // The receiver keeps the loop busy: the engine is left its sliver.
  burst();
  busy(30);
  expect(gauge.slice()).toBe(UNDER_PRESSURE);

  // The same busy loop, but it was the engine's own batches: not held against it.
  await sleep(25);
  gauge.underPressure();
  burst();
  busy(30);
  gauge.noteBackground(30);
  expect(gauge.slice().share).toBeGreaterThan(UNDER_PRESSURE.share);
});

it('the pause after a batch keeps background work to its share of wall time', () => {
  expect(pauseAfter(FREE, 50)).toBe(0);
  expect(pauseAfter({ budgetMs: 1, share: 0.25 }, 4)).toBe(12);
  // A slow commit earns a longer pause, not a fixed one...
  expect(pauseAfter(UNDER_PRESSURE, 5)).toBeCloseTo(5 * (0.97 / 0.03));
  // ...but never so long that the end of a burst goes unnoticed.
  expect(pauseAfter(UNDER_PRESSURE, 60)).toBe(MAX_PAUSE_MS);
});

it('under pressure, batches (commits included) are spaced to the slice share; when free they run back to back', async () => {
  const db = openDatabase(tempDir());
  db.exec('CREATE TABLE t (n INTEGER)');
  let slice = { budgetMs: 1, share: 0.1 };
  const writer = new BatchWriter(db, () => slice);
  const starts: number[] = [];
  const change = (n: number) => () => {
    starts.push(performance.now());
    busy(5);
    db.prepare('INSERT INTO t VALUES (?)').run(n);
  };
  await Promise.all([1, 2, 3].map((n) => writer.write(change(n))));
  // Each batch holds one 5 ms change (over the 1 ms budget), then leaves ~45 ms to the foreground.
  expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(40);
  expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(40);

  slice = FREE;
  starts.length = 0;
  await Promise.all([4, 5, 6].map((n) => writer.write(change(n))));
  // No pause: each change starts as soon as the one before it is done.
  expect(starts[1]! - starts[0]!).toBeLessThan(40);
  expect(starts[2]! - starts[1]!).toBeLessThan(40);
  expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(6);
  writer.close();
  db.close();
});
