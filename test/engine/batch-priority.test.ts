/**
 * The engine's batch writer takes changes by priority: a hot lead's alert, then new events' runs
 * (the lead is created), then vendors' answers; and an alert does not sit out a burst's pause.
 */
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { BatchWriter, type Priority } from '../../electron/core/runner/batch-writer.js';
import { MAX_PAUSE_MS } from '../../electron/core/scheduling/pressure.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { tempDir } from '../helpers/core.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // stands in for a slow change
  }
}

it('changes submitted together are committed alert first, then fresh, then the rest, each in submission order', async () => {
  const db = openDatabase(tempDir());
  db.exec('CREATE TABLE t (name TEXT)');
  const writer = new BatchWriter(db);
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  const submitted: [string, Priority][] = [
    ['answer-1', 'rest'],
    ['lead-1', 'fresh'],
    ['answer-2', 'rest'],
    ['hot-1', 'alert'],
    ['lead-2', 'fresh'],
    ['hot-2', 'alert'],
  ];
  await Promise.all(submitted.map(([name, priority]) => writer.write(() => insert.run(name), { priority })));
  expect(db.prepare('SELECT name FROM t ORDER BY rowid').pluck().all()).toEqual(['hot-1', 'hot-2', 'lead-1', 'lead-2', 'answer-1', 'answer-2']);
  writer.close();
  db.close();
});

it('under pressure, an alert is committed at once instead of after the pause that follows a batch', async () => {
  const db = openDatabase(tempDir());
  db.exec('CREATE TABLE t (name TEXT)');
  // A share so small that any batch earns the longest pause.
  const writer = new BatchWriter(db, () => ({ budgetMs: 1, share: 0.001 }));
  const committedAt = new Map<string, number>();
  const change = (name: string, ms = 0) => () => {
    busy(ms);
    db.prepare('INSERT INTO t VALUES (?)').run(name);
    committedAt.set(name, performance.now());
  };
  const first = writer.write(change('slow', 5));
  const second = writer.write(change('queued')); // waits out the pause after the first batch
  await first;
  const pauseStarted = performance.now();
  await writer.write(change('hot'), { priority: 'alert' });
  await second;
  // The alert went ahead of the change that was already waiting, without waiting for the pause.
  expect(committedAt.get('hot')! - pauseStarted).toBeLessThan(MAX_PAUSE_MS / 2);
  expect(committedAt.get('hot')!).toBeLessThan(committedAt.get('queued')!);
  writer.close();
  db.close();
});
