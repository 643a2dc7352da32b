/**
 * The run/step lifecycle: the one place where run and step status change. Each transition is
 * named, lists the states it may leave, and is written as a guarded UPDATE (`... AND status IN
 * (...)`): a transition from any other state changes nothing and throws, so two writers can
 * never both move the same step. Call these inside an engine batch (runner/batch-writer.ts).
 *
 * Steps:  (plan) -> pending|skipped|failed
 *         pending -> running (startAttempt; a call handed to its integration's outbox)
 *         pending|running -> completed (complete) | skipped (skip) | failed (fail)
 *         running -> pending (retryLater) | dead (giveUp)
 *         running -> pending, waiting for a new key, attempt given back (waitForKey)
 *         pending (waiting to retry) -> pending, due now (retryNowFor: its integration changed)
 *         failed|dead|skipped-not-configured -> pending (manualRetry)
 * Runs:   (plan) -> scheduled|pending|failed
 *         scheduled|pending -> running (startRun) -> completed|partial|failed (finish)
 *         completed|partial|failed|running -> pending (reopen, by a manual retry)
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/database.js';
import type { NewRun, NewStep, RunStatus, RunStore, StepStatus } from '../storage/run-store.js';
import type { CallFailure } from '../../../shared/failure-words.js';
import type { FinalStatus } from './progress.js';

export class TransitionError extends Error {}

type Transition<S> = { from: readonly S[] };

export const STEP_TRANSITIONS = {
  startAttempt: { from: ['pending', 'running'] },
  complete: { from: ['pending', 'running'] },
  skip: { from: ['pending', 'running'] },
  fail: { from: ['pending', 'running'] },
  retryLater: { from: ['running'] },
  waitForKey: { from: ['running'] },
  giveUp: { from: ['running'] },
  manualRetry: { from: ['failed', 'dead', 'skipped'] },
} as const satisfies Record<string, Transition<StepStatus>>;

export const RUN_TRANSITIONS = {
  startRun: { from: ['scheduled', 'pending'] },
  finish: { from: ['running'] },
  reopen: { from: ['completed', 'partial', 'failed', 'running'] },
} as const satisfies Record<string, Transition<RunStatus>>;

export type StepTransition = keyof typeof STEP_TRANSITIONS;
export type RunTransition = keyof typeof RUN_TRANSITIONS;

/** Why a step was skipped: its own reason, the step it needed, or a missing integration. */
export interface SkipInfo {
  reason: string;
  blockedBy?: string | null;
  notConfigured?: boolean;
  /** The app a not-configured step needed (kept when already recorded). */
  integration?: string;
}

/**
 * When a step whose app refused its key is next due: not at a time but when a new key is saved
 * (retryNowFor). A far date rather than none keeps it in the index of steps waiting to retry,
 * where the new key finds it, and makes every reader treat it as waiting.
 */
export const KEY_WAIT_UNTIL = '9999-12-31T00:00:00.000Z';

const failureParams = (failure: CallFailure | undefined) => ({ failure_kind: failure?.kind ?? null, failure_said: failure?.said ?? null });

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');

export class Lifecycle {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly runs: RunStore,
    private readonly now: () => string,
  ) {}

  /**
   * A run is born scheduled or pending with its planned steps pending, or skipped with a reason
   * (planned so); or failed at once, with one failed step saying why it could not start.
   */
  plan(run: NewRun, steps: NewStep[]): void {
    this.runs.create(run, steps);
  }

  private step(transition: StepTransition, sets: string, params: Record<string, unknown>): void {
    const from = STEP_TRANSITIONS[transition].from;
    const sql = `UPDATE steps SET ${sets}, updated_at = @updated_at WHERE id = @id AND status IN (${inList(from)})`;
    const changed = this.prepared(sql).run({ ...params, updated_at: this.now() }).changes;
    if (changed !== 1) throw new TransitionError(`step ${String(params.id)}: ${transition} is allowed only from ${from.join(', ')}`);
  }

  private run(transition: RunTransition, sets: string, params: Record<string, unknown>): void {
    const from = RUN_TRANSITIONS[transition].from;
    const sql = `UPDATE runs SET ${sets} WHERE id = @id AND status IN (${inList(from)})`;
    const changed = this.prepared(sql).run(params).changes;
    if (changed !== 1) throw new TransitionError(`run ${String(params.id)}: ${transition} is allowed only from ${from.join(', ')}`);
  }

  private prepared(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** An attempt begins (counted now, so a crash mid-call still counts it). */
  startAttempt(stepId: string, attempt: number, integration: string | null): void {
    this.step('startAttempt', "status = 'running', attempts = @attempts, next_attempt_at = NULL, integration = @integration", {
      id: stepId,
      attempts: attempt,
      integration,
    });
  }

  complete(stepId: string, attempts: number, output: unknown): void {
    this.step('complete', "status = 'completed', attempts = @attempts, output_json = @output, error = NULL, failure_kind = NULL, failure_said = NULL, next_attempt_at = NULL", {
      id: stepId,
      attempts,
      output: JSON.stringify(output ?? null),
    });
  }

  skip(stepId: string, attempts: number, why: SkipInfo): void {
    this.step(
      'skip',
      "status = 'skipped', attempts = @attempts, skip_reason = @reason, blocked_by = @blocked_by, not_configured = @not_configured, integration = coalesce(@integration, integration), output_json = NULL, error = NULL, next_attempt_at = NULL",
      { id: stepId, attempts, reason: why.reason, blocked_by: why.blockedBy ?? null, not_configured: why.notConfigured ? 1 : 0, integration: why.integration ?? null },
    );
  }

  /** Failed for good: a permanent error, bad stored input, a local step that threw. */
  fail(stepId: string, attempts: number, error: string, failure?: CallFailure): void {
    this.step('fail', "status = 'failed', attempts = @attempts, error = @error, failure_kind = @failure_kind, failure_said = @failure_said, next_attempt_at = NULL", {
      id: stepId,
      attempts,
      error,
      ...failureParams(failure),
    });
  }

  /** A transient failure: waits (durably) for its next attempt. */
  retryLater(stepId: string, error: string, at: string, failure?: CallFailure): void {
    this.step('retryLater', "status = 'pending', error = @error, failure_kind = @failure_kind, failure_said = @failure_said, next_attempt_at = @at", {
      id: stepId,
      error,
      at,
      ...failureParams(failure),
    });
  }

  /**
   * The app refused its key (or its lane is paused for that): the step waits for a new key, and
   * the attempt is given back, since the call was refused for the key, not for what it carried.
   */
  waitForKey(stepId: string, attempts: number, error: string, said: string | null = null, at = KEY_WAIT_UNTIL): void {
    this.step('waitForKey', "status = 'pending', attempts = @attempts, error = @error, failure_kind = 'key_refused', failure_said = @said, next_attempt_at = @at", {
      id: stepId,
      attempts,
      error,
      said,
      at,
    });
  }

  /**
   * The integration's settings or credentials changed: its steps waiting for a next attempt go
   * now instead of after a backoff that may have grown to minutes. Returns their runs.
   */
  retryNowFor(integration: string): string[] {
    const at = this.now();
    const runs = this.prepared(
      `UPDATE steps SET next_attempt_at = @at, updated_at = @at
       WHERE status = 'pending' AND integration = @integration AND next_attempt_at > @at RETURNING run_id`,
    )
      .pluck()
      .all({ at, integration }) as string[];
    return [...new Set(runs)];
  }

  /** The last attempt failed: dead-lettered, visible and retryable by hand. */
  giveUp(stepId: string, error: string, failure?: CallFailure): void {
    this.step('giveUp', "status = 'dead', error = @error, failure_kind = @failure_kind, failure_said = @failure_said, next_attempt_at = NULL", {
      id: stepId,
      error,
      ...failureParams(failure),
    });
  }

  /** A fresh set of attempts with the same idempotency key: what already went out is not repeated. */
  manualRetry(stepId: string): void {
    this.step(
      'manualRetry',
      "status = 'pending', attempts = 0, error = NULL, failure_kind = NULL, failure_said = NULL, next_attempt_at = NULL, output_json = NULL, skip_reason = NULL, blocked_by = NULL, not_configured = 0",
      { id: stepId },
    );
  }

  startRun(runId: string, at: string): void {
    this.run('startRun', "status = 'running', started_at = coalesce(started_at, @at)", { id: runId, at });
  }

  finish(runId: string, status: FinalStatus, leadId: string | null): void {
    this.run('finish', 'status = @status, finished_at = @at, lead_id = coalesce(@lead_id, lead_id)', {
      id: runId,
      status,
      at: this.now(),
      lead_id: leadId,
    });
  }

  reopen(runId: string): void {
    this.run('reopen', "status = 'pending', finished_at = NULL", { id: runId });
  }

  /** Not a status change: the lead a run is about, once a step has found it. */
  setLead(runId: string, leadId: string): void {
    this.prepared('UPDATE runs SET lead_id = @lead_id WHERE id = @id').run({ id: runId, lead_id: leadId });
  }
}

/**
 * Steps that only record why a run could not start (its parameters or its event were unusable):
 * there is nothing in the flow to run again, so they are never retried.
 */
export const PLAN_CHECK_STEPS = { parameters: 'check_parameters', event: 'check_event' } as const;
const planChecks = new Set<string>(Object.values(PLAN_CHECK_STEPS));

/** Whether a manual retry may reopen this step: failed, dead-lettered, or skipped for want of an integration. */
export function canRetryByHand(step: { name: string; status: StepStatus; not_configured: boolean }): boolean {
  if (planChecks.has(step.name)) return false;
  return step.status === 'failed' || step.status === 'dead' || (step.status === 'skipped' && step.not_configured);
}
