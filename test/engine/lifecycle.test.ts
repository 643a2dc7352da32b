/**
 * The run/step lifecycle on a real SQLite file: each named transition moves only from its
 * allowed states (a guarded UPDATE), sub-states are typed columns shown in the API as before,
 * and the pure decisions (nextAction, finalStatus) decide from stored steps alone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { canRetryByHand, Lifecycle, RUN_TRANSITIONS, STEP_TRANSITIONS, TransitionError } from '../../electron/core/runner/lifecycle.js';
import { finalStatus, nextAction } from '../../electron/core/runner/progress.js';
import { openDatabase, type Db } from '../../electron/core/storage/database.js';
import { apiStep, RunStore, type StoredStep } from '../../electron/core/storage/run-store.js';
import { tempDir } from '../helpers/core.js';

const NOW = '2026-03-02T09:00:00.000Z';
let db: Db;
let runs: RunStore;
let life: Lifecycle;

function plan(status: 'pending' | 'scheduled' = 'pending') {
  life.plan(
    { id: 'r1', flow: 'f', trigger_id: null, event_id: null, lead_id: null, status, parameters: {}, scheduled_for: NOW, created_at: NOW },
    [{ name: 'a', input: {} }, { name: 'b', input: {} }, { name: 'c', input: {}, skip: 'turned off' }],
  );
  return runs.steps('r1');
}
const stepNamed = (name: string) => runs.steps('r1').find((s) => s.name === name)!;

beforeEach(() => {
  db = openDatabase(tempDir());
  runs = new RunStore(db, () => NOW);
  life = new Lifecycle(db, runs, () => NOW);
});

describe('transitions', () => {
  it('plans pending steps and planned skips with their reason as a typed sub-state', () => {
    const [a, , c] = plan();
    expect(a!.status).toBe('pending');
    expect(c).toMatchObject({ status: 'skipped', output: { skipped: 'turned off' }, blocked_by: null, not_configured: false });
    expect(apiStep(c!)).not.toHaveProperty('not_configured');
  });

  it('startAttempt counts the attempt and names the outbox; complete stores the output', () => {
    const [a] = plan();
    life.startAttempt(a!.id, 1, 'loops');
    expect(stepNamed('a')).toMatchObject({ status: 'running', attempts: 1 });
    expect(db.prepare('SELECT integration FROM steps WHERE id = ?').pluck().get(a!.id)).toBe('loops');
    life.complete(a!.id, 1, { ok: true });
    expect(stepNamed('a')).toMatchObject({ status: 'completed', output: { ok: true }, error: null });
  });

  it('every transition refuses states it does not leave from, and changes nothing then', () => {
    const [a] = plan();
    life.complete(a!.id, 1, {});
    for (const attempt of [
      () => life.startAttempt(a!.id, 2, null),
      () => life.complete(a!.id, 2, {}),
      () => life.skip(a!.id, 2, { reason: 'x' }),
      () => life.fail(a!.id, 2, 'x'),
      () => life.retryLater(a!.id, 'x', NOW),
      () => life.giveUp(a!.id, 'x'),
      () => life.manualRetry(a!.id),
    ]) {
      expect(attempt).toThrow(TransitionError);
    }
    expect(stepNamed('a')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(STEP_TRANSITIONS.complete.from).not.toContain('completed');
  });

  it('retryLater and giveUp leave only from running; manualRetry reopens failed, dead and not-configured skips', () => {
    const [a, b] = plan();
    expect(() => life.retryLater(a!.id, 'x', NOW)).toThrow(TransitionError);
    life.startAttempt(a!.id, 1, 'slack');
    life.retryLater(a!.id, 'Slack answered 503', '2026-03-02T09:01:00.000Z');
    expect(stepNamed('a')).toMatchObject({ status: 'pending', error: 'Slack answered 503', next_attempt_at: '2026-03-02T09:01:00.000Z' });
    life.startAttempt(a!.id, 2, 'slack');
    life.giveUp(a!.id, 'gave up');
    expect(canRetryByHand(stepNamed('a'))).toBe(true);
    life.manualRetry(a!.id);
    expect(stepNamed('a')).toMatchObject({ status: 'pending', attempts: 0, error: null });

    life.skip(b!.id, 1, { reason: 'Slack is not configured', notConfigured: true });
    expect(stepNamed('b')).toMatchObject({ output: { skipped: 'Slack is not configured', not_configured: true }, not_configured: true });
    expect(canRetryByHand(stepNamed('b'))).toBe(true);
    expect(canRetryByHand(stepNamed('c'))).toBe(false);
    life.manualRetry(b!.id);
    expect(stepNamed('b')).toMatchObject({ status: 'pending', not_configured: false, blocked_by: null });
  });

  it("retryNowFor makes an integration's steps waiting to retry due now, and touches nothing else", () => {
    const [a, b] = plan();
    life.startAttempt(a!.id, 1, 'loops');
    life.retryLater(a!.id, 'Loops answered 401', '2026-03-02T09:05:00.000Z');
    life.startAttempt(b!.id, 1, 'slack');
    life.retryLater(b!.id, 'Slack answered 503', '2026-03-02T09:05:00.000Z');
    expect(life.retryNowFor('loops')).toEqual(['r1']);
    expect(stepNamed('a')).toMatchObject({ status: 'pending', next_attempt_at: NOW, error: 'Loops answered 401', attempts: 1 });
    expect(stepNamed('b')).toMatchObject({ next_attempt_at: '2026-03-02T09:05:00.000Z' });
    // Nothing waits for Loops any more: a second change finds no step.
    expect(life.retryNowFor('loops')).toEqual([]);
  });

  it('steps carry only partial indexes besides their keys, over the few waiting to retry or failed, and retryNowFor searches one', () => {
    // Each index is rewritten on every step insert and status change, so only small partial ones
    // that a query reads: the steps waiting to retry, and the failed ones (Connected apps, Retry all).
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'steps' AND sql IS NOT NULL").pluck().all();
    expect(indexes).toEqual(['steps_waiting', 'steps_failed']);
    // The keys: the id and (run, position). The idempotency key is derived from the latter, so it has no index of its own.
    const unique = (db.prepare('PRAGMA index_list(steps)').all() as { name: string; unique: number }[])
      .filter((i) => i.unique)
      .map((i) => (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(','));
    expect(unique.sort()).toEqual(['id', 'run_id,idx']);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN UPDATE steps SET next_attempt_at = @at, updated_at = @at
         WHERE status = 'pending' AND integration = @integration AND next_attempt_at > @at RETURNING run_id`,
      )
      .all({ at: NOW, integration: 'loops' }) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH steps USING COVERING INDEX steps_waiting/);
  });

  it('a run starts once, finishes once from running, and is reopened by a manual retry', () => {
    plan('scheduled');
    life.startRun('r1', NOW);
    expect(() => life.startRun('r1', NOW)).toThrow(TransitionError);
    life.finish('r1', 'partial', 'lead-1');
    expect(runs.get('r1')).toMatchObject({ status: 'partial', finished_at: NOW, lead_id: 'lead-1', started_at: NOW });
    expect(() => life.finish('r1', 'completed', null)).toThrow(TransitionError);
    life.reopen('r1');
    expect(runs.get('r1')).toMatchObject({ status: 'pending', finished_at: null });
    expect(RUN_TRANSITIONS.finish.from).toEqual(['running']);
  });
});

describe('decisions', () => {
  const step = (name: string, status: StoredStep['status'], extra: Partial<StoredStep> = {}): StoredStep => ({
    id: name, run_id: 'r', idx: 0, name, status, attempts: 0, input: {}, output: null, error: null,
    next_attempt_at: null, idempotency_key: `k-${name}`, updated_at: NOW, failure: null, integration: null, ...extra,
  });
  const needs = (deps: Record<string, string[]>) => (n: string) => deps[n] ?? [];
  const now = Date.parse(NOW);

  it('nextAction executes in order, skips what needs a broken step, and waits for retries and calls in flight', () => {
    expect(nextAction([step('a', 'pending'), step('b', 'pending')], needs({}), now)).toMatchObject({ kind: 'execute', step: { name: 'a' } });
    expect(nextAction([step('a', 'failed'), step('b', 'pending')], needs({ b: ['a'] }), now)).toMatchObject({ kind: 'skip', blockedBy: 'a', reason: 'needs a, which failed' });
    const later = '2026-03-02T09:05:00.000Z';
    expect(nextAction([step('a', 'pending', { next_attempt_at: later }), step('b', 'pending')], needs({}), now)).toMatchObject({ kind: 'execute', step: { name: 'b' } });
    expect(nextAction([step('a', 'pending', { next_attempt_at: later })], needs({}), now)).toEqual({ kind: 'wait', until: Date.parse(later) });
    // A call in flight is waited for; after a restart (nothing in flight) a running step resumes.
    expect(nextAction([step('a', 'running'), step('b', 'pending')], needs({ b: ['a'] }), now, (id) => id === 'a')).toEqual({ kind: 'wait', until: Infinity });
    expect(nextAction([step('a', 'running')], needs({}), now)).toMatchObject({ kind: 'execute', step: { name: 'a' } });
    expect(nextAction([step('a', 'completed'), step('b', 'skipped')], needs({}), now)).toEqual({ kind: 'done', status: 'completed' });
  });

  it('finalStatus: completed without failures, failed when nothing succeeded, partial otherwise', () => {
    expect(finalStatus([step('a', 'completed'), step('b', 'skipped')])).toBe('completed');
    expect(finalStatus([step('a', 'dead'), step('b', 'skipped')])).toBe('failed');
    expect(finalStatus([step('a', 'completed'), step('b', 'failed')])).toBe('partial');
  });
});

describe('migrations', () => {
  it('a version numbered below the highest applied one still runs (branches numbered apart)', async () => {
    const { migrate } = await import('../../electron/core/storage/database.js');
    const d = openDatabase(tempDir(), []);
    migrate(d, [{ version: 1, name: 'one', sql: 'CREATE TABLE one (x)' }, { version: 7, name: 'seven', sql: 'CREATE TABLE seven (x)' }]);
    migrate(d, [
      { version: 1, name: 'one', sql: 'CREATE TABLE one (x)' },
      { version: 5, name: 'five', sql: 'CREATE TABLE five (x)' },
      { version: 7, name: 'seven', sql: 'CREATE TABLE seven (x)' },
    ]);
    expect(d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('one', 'five', 'seven') ORDER BY name").pluck().all()).toEqual(['five', 'one', 'seven']);
    expect(d.pragma('user_version', { simple: true })).toBe(7);
  });
});
