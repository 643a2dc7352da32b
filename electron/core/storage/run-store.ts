/** Flow runs and their steps: the runner's durable state (status, inputs, outputs, attempts, errors). */
import { z } from 'zod';
import { runStatus, stepStatus, type Run, type RunStepCounts, type Step } from '../../../shared/api/models.js';
import { INTEGRATION_NAMES } from '../../../shared/integrations/index.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { readJson, readJsonValue } from './json-column.js';
import { statement } from './statements.js';
import { uuidv7 } from '../ids.js';
import { canRetryByHand, KEY_WAIT_UNTIL } from '../runner/lifecycle.js';
import { failureKind, type CallFailure } from '../../../shared/failure-words.js';

export type RunStatus = z.infer<typeof runStatus>;
export type StepStatus = z.infer<typeof stepStatus>;
/** A run as the engine reads it: the step counts are only worked out for the API. */
export type RunRecord = Omit<Run, 'steps' | 'step_counts'>;

export interface NewRun {
  id: string;
  flow: string;
  trigger_id: string | null;
  event_id: string | null;
  lead_id: string | null;
  status: 'scheduled' | 'pending' | 'failed';
  parameters: Record<string, unknown>;
  scheduled_for: string;
  created_at: string;
  finished_at?: string | null;
}

export interface NewStep {
  name: string;
  input: unknown;
  /** Planned as skipped (with this reason) or failed (with this error); pending otherwise. */
  skip?: string;
  error?: string;
  /** The app a call step calls (null for local steps), known from the plan even if it never runs. */
  integration?: string | null;
}

/** A step with its sub-states, which the API shows inside `output` of a skipped step. */
export type StepRecord = StoredStep & { blocked_by: string | null; not_configured: boolean };
/** A step as the engine reads it (what the API adds, such as whether it may be retried, left out). */
export type StoredStep = Omit<Step, 'retryable' | 'waiting_for_key'>;


export interface RunQuery {
  limit: number;
  offset: number;
  status?: RunStatus;
  flow?: string;
  lead_id?: string;
  dead?: boolean;
  failed?: boolean;
  since?: string;
}

interface RunRow {
  id: string;
  flow: string;
  trigger_id: string | null;
  event_id: string | null;
  lead_id: string | null;
  status: string;
  parameters_json: string;
  scheduled_for: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface StepRow {
  id: string;
  run_id: string;
  idx: number;
  name: string;
  status: string;
  attempts: number;
  input_json: string | null;
  output_json: string | null;
  error: string | null;
  next_attempt_at: string | null;
  idempotency_key: string;
  updated_at: string;
  skip_reason: string | null;
  blocked_by: string | null;
  not_configured: number;
  integration: string | null;
  failure_kind: string | null;
  failure_said: string | null;
}

const parametersSchema = z.record(z.string(), z.unknown());

interface CountsRow {
  run_id: string;
  total: number;
  skipped: number;
  not_configured: number;
  apps: string | null;
  app_steps: number;
  app_steps_sent: number;
}

/**
 * One aggregate over the steps of many runs (a page of the list, a lead's runs), found through
 * the (run_id, idx) index. A step skipped as not configured calls an app even when its integration
 * was not recorded (runs planned before plans named it).
 */
const COUNTS_SQL = `
  SELECT run_id,
         count(*) AS total,
         sum(status = 'skipped') AS skipped,
         sum(status = 'skipped' AND not_configured = 1) AS not_configured,
         group_concat(DISTINCT CASE WHEN status = 'skipped' AND not_configured = 1 THEN integration END) AS apps,
         sum(integration IS NOT NULL OR not_configured = 1) AS app_steps,
         sum(status = 'completed' AND integration IS NOT NULL) AS app_steps_sent
    FROM steps
   WHERE run_id IN (SELECT value FROM json_each(?))
   GROUP BY run_id`;

const NO_STEPS: RunStepCounts = { total: 0, skipped: 0, not_configured: 0, apps_not_configured: [], app_steps: 0, app_steps_sent: 0 };

const CATALOG_ORDER = new Map<string, number>(INTEGRATION_NAMES.map((name, i) => [name, i]));
const catalogOrder = (a: string, b: string) => (CATALOG_ORDER.get(a) ?? Infinity) - (CATALOG_ORDER.get(b) ?? Infinity);

function stepCounts(r: CountsRow): RunStepCounts {
  return {
    total: r.total,
    skipped: r.skipped,
    not_configured: r.not_configured,
    apps_not_configured: r.apps ? r.apps.split(',').sort(catalogOrder) : [],
    app_steps: r.app_steps,
    app_steps_sent: r.app_steps_sent,
  };
}

/**
 * Runs the owner should know about: failed wholly or in part, or still running with a call that
 * failed and waits to retry (or for a new key). Home's failures tile counts these, and the runs
 * list's `failed` filter shows them.
 */
export const FAILED_OR_RETRYING = `(status IN ('failed', 'partial') OR (status = 'running' AND EXISTS (
  SELECT 1 FROM steps s WHERE s.run_id = runs.id AND s.status = 'pending' AND s.next_attempt_at IS NOT NULL)))`;

/** Stable across retries, resumes and manual retries: one key per (run, step). */
export function stepIdempotencyKey(runId: string, idx: number): string {
  return `leadbell-${runId}-${idx}`;
}

export class RunStore {
  private readonly stepsStmt;
  private readonly runStmt;
  private readonly stepStmt;
  private readonly countsStmt;
  /** Statements by SQL: updates are built from the fields given, and each shape is prepared once. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly now: () => string,
  ) {
    this.stepsStmt = db.prepare('SELECT * FROM steps WHERE run_id = ? ORDER BY idx');
    this.runStmt = db.prepare('SELECT * FROM runs WHERE id = ?');
    this.stepStmt = db.prepare('SELECT * FROM steps WHERE id = ?');
    this.countsStmt = db.prepare(COUNTS_SQL);
  }

  /** Stores a run and its planned steps (call inside the transaction that records the firing). */
  create(run: NewRun, steps: NewStep[]): void {
    this.statement(
      `INSERT INTO runs (id, flow, trigger_id, event_id, lead_id, status, parameters_json, scheduled_for, created_at, finished_at)
       VALUES (@id, @flow, @trigger_id, @event_id, @lead_id, @status, @parameters_json, @scheduled_for, @created_at, @finished_at)`,
    ).run({
        id: run.id,
        flow: run.flow,
        trigger_id: run.trigger_id,
        event_id: run.event_id,
        lead_id: run.lead_id,
        status: run.status,
        parameters_json: JSON.stringify(run.parameters),
        scheduled_for: run.scheduled_for,
        created_at: run.created_at,
        finished_at: run.finished_at ?? null,
      });
    const insert = this.statement(
      `INSERT INTO steps (id, run_id, idx, name, status, input_json, skip_reason, error, idempotency_key, updated_at, integration)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    steps.forEach((s, idx) =>
      insert.run(
        uuidv7(),
        run.id,
        idx,
        s.name,
        s.error !== undefined ? 'failed' : s.skip !== undefined ? 'skipped' : 'pending',
        JSON.stringify(s.input ?? null),
        s.skip ?? null,
        s.error ?? null,
        stepIdempotencyKey(run.id, idx),
        run.created_at,
        s.integration ?? null,
      ),
    );
  }

  get(id: string): RunRecord | undefined {
    const row = this.runStmt.get(id) as RunRow | undefined;
    return row && runToApi(row);
  }

  withSteps(id: string): Run | undefined {
    const run = this.get(id);
    return run && { ...run, step_counts: this.counts([id]).get(id) ?? NO_STEPS, steps: this.steps(id).map(apiStep) };
  }

  /** Step counts of these runs, in one query. */
  counts(runIds: string[]): Map<string, RunStepCounts> {
    if (!runIds.length) return new Map();
    const rows = this.countsStmt.all(JSON.stringify(runIds)) as CountsRow[];
    return new Map(rows.map((r) => [r.run_id, stepCounts(r)]));
  }

  steps(runId: string): StepRecord[] {
    return (this.stepsStmt.all(runId) as StepRow[]).map(stepRecord);
  }

  step(id: string): StepRecord | undefined {
    const row = this.stepStmt.get(id) as StepRow | undefined;
    return row && stepRecord(row);
  }

  list(q: RunQuery): { items: Run[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    for (const k of ['status', 'flow', 'lead_id'] as const) {
      if (q[k]) {
        where.push(`${k} = @${k}`);
        params[k] = q[k];
      }
    }
    if (q.dead) where.push("EXISTS (SELECT 1 FROM steps s WHERE s.run_id = runs.id AND s.status = 'dead')");
    // The same set as Home's "Automations that failed or are retrying" (api/stats.ts).
    if (q.failed) where.push(FAILED_OR_RETRYING);
    if (q.since) {
      where.push('created_at >= @since');
      params.since = q.since;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT count(*) FROM runs ${w}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(`SELECT * FROM runs ${w} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as RunRow[];
    const counts = this.counts(rows.map((r) => r.id));
    // Each run's steps too: a listed run reads in the same words as its page ("Welcome email sent").
    return { items: rows.map((r) => ({ ...runToApi(r), step_counts: counts.get(r.id) ?? NO_STEPS, steps: this.steps(r.id).map(apiStep) })), total };
  }

  forLead(leadId: string, limit = 200): Run[] {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE lead_id = ? ORDER BY created_at DESC LIMIT ?')
      .all(leadId, limit) as RunRow[];
    const counts = this.counts(rows.map((r) => r.id));
    return rows.map((r) => ({ ...runToApi(r), step_counts: counts.get(r.id) ?? NO_STEPS, steps: this.steps(r.id).map(apiStep) }));
  }

  /**
   * One lead's runs for one event, oldest first: found through runs_lead (a lead has few runs),
   * since runs have no index by event (migration 11).
   */
  forLeadAndEvent(leadId: string, eventId: string): RunRecord[] {
    return (statement(this.db, 'SELECT * FROM runs WHERE lead_id = ? AND event_id = ? ORDER BY created_at, rowid').all(leadId, eventId) as RunRow[]).map(runToApi);
  }

  /** Runs not finished yet (to resume after a restart), oldest first. */
  unfinished(): RunRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM runs WHERE status IN ('scheduled', 'pending', 'running') ORDER BY created_at, rowid")
        .all() as RunRow[]
    ).map(runToApi);
  }

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }
}

function readEnum<T extends z.ZodEnum>(schema: T, value: string, what: string): z.output<T> {
  // A membership test is the enum's whole check; these are read for every step of every round.
  if (!(schema.options as readonly unknown[]).includes(value)) throw new Error(`stored ${what} "${value}" is not one of ${schema.options.join(', ')}`);
  return value as z.output<T>;
}

function runToApi(r: RunRow): RunRecord {
  return {
    id: r.id,
    flow: r.flow,
    trigger_id: r.trigger_id,
    event_id: r.event_id,
    lead_id: r.lead_id,
    status: readEnum(runStatus, r.status, 'run status'),
    parameters: readJson(parametersSchema, r.parameters_json, 'run parameters'),
    scheduled_for: r.scheduled_for,
    created_at: r.created_at,
    started_at: r.started_at,
    finished_at: r.finished_at,
  };
}

function stepRecord(r: StepRow): StepRecord {
  const status = readEnum(stepStatus, r.status, 'step status');
  const notConfigured = r.not_configured === 1;
  return {
    id: r.id,
    run_id: r.run_id,
    idx: r.idx,
    name: r.name,
    status,
    attempts: r.attempts,
    input: readJsonValue(r.input_json, 'step input'),
    // A skipped step shows why in its output, as it always has: the reason and what blocked it.
    output:
      status === 'skipped'
        ? { skipped: r.skip_reason ?? '', ...(r.blocked_by && { blocked_by: r.blocked_by }), ...(notConfigured && { not_configured: true }) }
        : readJsonValue(r.output_json, 'step output'),
    error: r.error,
    failure: readFailure(r),
    next_attempt_at: r.next_attempt_at,
    idempotency_key: r.idempotency_key,
    updated_at: r.updated_at,
    integration: r.integration,
    blocked_by: r.blocked_by,
    not_configured: notConfigured,
  };
}

/** The step as the API contract has it (sub-states inside `output`, and whether it may be retried by hand). */
export function apiStep(record: StepRecord): Step {
  const { blocked_by: _b, not_configured: _n, ...step } = record;
  const waitingForKey = record.status === 'pending' && record.next_attempt_at === KEY_WAIT_UNTIL;
  return { ...step, next_attempt_at: waitingForKey ? null : step.next_attempt_at, retryable: canRetryByHand(record), waiting_for_key: waitingForKey };
}

function readFailure(r: StepRow): CallFailure | null {
  const kind = failureKind.safeParse(r.failure_kind);
  return kind.success ? { kind: kind.data, said: r.failure_said } : null;
}
