/**
 * One round of a run, synchronously inside an engine batch: the run starts, every local
 * step that can run does (each in its own savepoint, its effect committed with its completion),
 * blocked steps are skipped, ready call steps are handed over (their attempt counted), and the
 * run finishes when its last step has, all in the same commit. Many runs' rounds share one
 * transaction, so commits grow with batches, not with steps.
 */
import type { Flow } from '../flows/flow.js';
import type { Db } from '../storage/database.js';
import type { RunRecord, RunStore, StepRecord, StoredStep } from '../storage/run-store.js';
import type { AppHealthStore } from '../storage/app-health-store.js';
import { classifyFailure, type Failure } from './failure.js';
import type { Lifecycle } from './lifecycle.js';
import { problemNotice, type AppProblem } from './tell-owner.js';
import { nextAction } from './progress.js';
import { heldBack } from './reach-gate.js';
import type { Lead } from '../../../shared/api/models.js';
import type { Services } from './services.js';
import type { CallOutcome, CallStep, LocalContext, StepContext, StepOutcome } from './step.js';

/** A call step handed to its integration's outbox in this round. */
export interface HandedCall {
  run: RunRecord;
  step: StoredStep;
  def: CallStep<unknown, unknown>;
  input: unknown;
  attempt: number;
}

export interface Round {
  /** The run as it is after the round (null when it is gone or already finished). */
  run: RunRecord | null;
  calls: HandedCall[];
  /** When the run next has something to do by itself (Infinity: when a call answers). */
  waitUntil: number;
  /** Live updates and notifications, to run once the transaction has committed. */
  after: (() => void)[];
}

export type CallResult = { ok: true; outcome: CallOutcome<unknown> } | { ok: false; error: unknown };

/** What a round collects; filled in place, so a rolled-back round's claims can be released. */
export type RoundWork = Pick<Round, 'calls' | 'after'>;
export const newRoundWork = (): RoundWork => ({ calls: [], after: [] });

export interface StepperDeps {
  db: Db;
  runs: RunStore;
  lifecycle: Lifecycle;
  flows: ReadonlyMap<string, Flow>;
  services: Services;
  clock: () => number;
  maxAttempts: number;
  /** Delay after failed attempt `attempt`, never shorter than the vendor's Retry-After. */
  backoff: (attempt: number, retryAfterMs?: number) => number;
  /** Call steps handed over and not answered yet (claimed inside the transaction). */
  inFlight: Set<string>;
  /** Each app's health from its calls' outcomes, and whether its lane waits for a new key. */
  health: AppHealthStore;
  /** After the commit that gave up a call or paused a lane, once per app per episode (besides the bell). */
  onProblem?: (p: AppProblem) => void;
  /** Runs to advance after the commit (their waiting steps became due). */
  wake?: (runIds: string[]) => void;
}

const FINISHED_RUN = new Set(['completed', 'partial', 'failed']);

export class Stepper {
  /** A savepoint around a step's effect (prepared once: building a transaction function is not free). */
  private readonly savepoint: (fn: () => void) => void;

  constructor(private readonly deps: StepperDeps) {
    this.savepoint = deps.db.transaction((fn: () => void) => fn());
  }

  private iso(ms = this.deps.clock()): string {
    return new Date(ms).toISOString();
  }

  /** Moves the run as far as it can go without waiting for a vendor or a time. */
  advance(runId: string, acc: RoundWork = newRoundWork()): Round {
    const { runs, lifecycle, flows } = this.deps;
    const { calls, after } = acc;
    let run = runs.get(runId);
    if (!run || FINISHED_RUN.has(run.status)) return { run: null, calls, waitUntil: Infinity, after };
    const now = this.deps.clock();
    if (run.status === 'scheduled' && Date.parse(run.scheduled_for) > now) return { run, calls, waitUntil: Date.parse(run.scheduled_for), after };
    if (run.status !== 'running') {
      lifecycle.startRun(run.id, this.iso(now));
      run = { ...run, status: 'running', started_at: run.started_at ?? this.iso(now) };
    }
    const flow = flows.get(run.flow);
    const needsOf = (name: string) => flow?.step(name)?.needs?.map((n) => n.name) ?? [];
    // Read once, then each step this round moves is read back alone: only transitions change them.
    const steps = runs.steps(run.id);
    const reread = (id: string) => {
      const i = steps.findIndex((s) => s.id === id);
      steps[i] = runs.step(id)!;
    };
    for (;;) {
      const action = nextAction(steps, needsOf, now, (id) => this.deps.inFlight.has(id));
      if (action.kind === 'wait') return { run, calls, waitUntil: action.until, after };
      if (action.kind === 'done') {
        const leadId = run.lead_id ?? this.leadByEmail(run);
        lifecycle.finish(run.id, action.status, leadId);
        return { run: runs.get(run.id) ?? null, calls, waitUntil: Infinity, after };
      }
      if (action.kind === 'skip') {
        lifecycle.skip(action.step.id, action.step.attempts, { reason: action.reason, blockedBy: action.blockedBy });
        reread(action.step.id);
        continue;
      }
      const step = action.step;
      const def = flow?.step(step.name);
      if (!def) {
        lifecycle.fail(step.id, step.attempts, `this version of Leadbell has no step "${step.name}" in flow "${run.flow}"`);
        reread(step.id);
        continue;
      }
      const input = def.input.safeParse(step.input);
      if (!input.success) {
        lifecycle.fail(step.id, step.attempts, `the step's stored input is invalid: ${input.error.issues[0]?.message}`);
        reread(step.id);
        continue;
      }
      // A person who must not be reached is not: the step says why (one rule: reach-gate.ts).
      const held = def.kind === 'call' ? heldBack(def.integration, this.runLead(run), run.event_id ? this.deps.services.events.testMark(run.event_id) : null) : null;
      if (held && def.kind === 'call') {
        lifecycle.skip(step.id, step.attempts, { reason: held, integration: def.integration });
        reread(step.id);
        continue;
      }
      // Not set up: skipped in this round, unattempted, instead of handed over to fail at once.
      const unavailable = def.kind === 'call' ? this.deps.services.integrations.unavailable(def.integration) : null;
      if (unavailable && def.kind === 'call') {
        lifecycle.skip(step.id, step.attempts, { reason: unavailable, notConfigured: true, integration: def.integration });
        reread(step.id);
        continue;
      }
      const attempt = step.attempts + 1;
      if (def.kind === 'call') {
        lifecycle.startAttempt(step.id, attempt, def.integration);
        this.deps.inFlight.add(step.id);
        calls.push({ run, step, def, input: input.data, attempt });
        reread(step.id);
        continue;
      }
      run = this.applyLocal(run, step, attempt, (ctx) => def.apply(input.data, ctx), after);
      reread(step.id);
    }
  }

  /** Records a call's answer (or failure), then goes on with the run in the same transaction. */
  answered(call: HandedCall, result: CallResult, acc: RoundWork = newRoundWork(), staleKey = false): Round {
    const { step, attempt } = call;
    this.deps.inFlight.delete(step.id);
    const run = this.deps.runs.get(call.run.id) ?? call.run;
    if (result.ok) {
      // The key works after all (a call sent with it went through): what waited for one goes now.
      if (this.deps.health.success(call.def.integration, this.iso())) {
        const waiting = this.deps.lifecycle.retryNowFor(call.def.integration);
        acc.after.push(() => this.deps.wake?.(waiting));
      }
      const { outcome } = result;
      const decide = (ctx: LocalContext) => {
        if (outcome.status === 'completed') outcome.localEffects?.(ctx);
        return outcome;
      };
      this.applyLocal(run, step, attempt, decide, acc.after, 'the call succeeded but its result could not be stored: ');
    } else {
      this.failedAttempt(call, attempt, result.error, acc.after, staleKey);
    }
    return this.advance(run.id, acc);
  }

  private failedAttempt(call: HandedCall, attempt: number, err: unknown, after: (() => void)[], staleKey: boolean): void {
    const { lifecycle, health } = this.deps;
    const { step } = call;
    const integration = call.def.integration;
    const f = classifyFailure(err);
    // Marked so the owner can retry it by hand once the integration is set up.
    if (f.kind === 'not-configured') return lifecycle.skip(step.id, attempt, { reason: f.reason, notConfigured: true });
    const at = this.iso();
    // A call that never left (its lane was paused) says nothing new about the app; nor does a 429.
    if (f.failure.kind !== 'rate_limited' && !(f.kind === 'key-refused' && f.notSent)) {
      health.failure(integration, f.failure, f.message, at);
    }
    if (f.kind === 'key-refused') {
      // Sent with the key that was replaced while it was under way: it goes again now, with the new one.
      if (staleKey) return lifecycle.waitForKey(step.id, attempt - 1, f.message, f.failure.said, at);
      lifecycle.waitForKey(step.id, attempt - 1, f.message, f.failure.said);
      health.pauseForKey(integration, at);
      return this.tell(call, f, true, after);
    }
    if (f.kind === 'permanent') {
      lifecycle.fail(step.id, attempt, f.message, f.failure);
      return this.tell(call, f, false, after);
    }
    // The integration refuses everything until its settings are fixed: wait, never give up.
    if (f.kind === 'paused') return lifecycle.retryLater(step.id, f.message, this.iso(this.deps.clock() + this.deps.backoff(attempt)), f.failure);
    // The app asked to slow down: it paces, it is not down. Wait as asked (at least the schedule's
    // first step) without moving along the long schedule or giving up.
    if (f.failure.kind === 'rate_limited') return lifecycle.retryLater(step.id, f.message, this.iso(this.deps.clock() + this.deps.backoff(1, f.retryAfterMs)), f.failure);
    if (attempt >= this.deps.maxAttempts) {
      lifecycle.giveUp(step.id, `gave up after ${attempt} attempts: ${f.message}`, f.failure);
      return this.tell(call, f, false, after);
    }
    lifecycle.retryLater(step.id, f.message, this.iso(this.deps.clock() + this.deps.backoff(attempt, f.retryAfterMs)), f.failure);
  }

  /** The bell (and the team channel), once per app per failure episode. */
  private tell(call: HandedCall, f: Exclude<Failure, { kind: 'not-configured' }>, keyRefused: boolean, after: (() => void)[]): void {
    const integration = call.def.integration;
    if (!this.deps.health.tellOnce(integration)) return;
    const problem: AppProblem = { integration, failure: f.failure, what: call.def.backlog, keyRefused };
    const { notifier } = this.deps.services;
    const stored = notifier.record(problemNotice(problem), this.iso());
    after.push(() => {
      notifier.show(stored);
      this.deps.onProblem?.(problem);
    });
  }

  /**
   * A step's local effects and its outcome in one savepoint: a throwing step undoes only itself
   * and is recorded as failed (a local failure is a bug or bad data, not transient).
   */
  private applyLocal(
    run: RunRecord,
    step: StepRecord | StoredStep,
    attempt: number,
    decide: (ctx: LocalContext) => StepOutcome<unknown>,
    after: (() => void)[],
    failurePrefix = '',
  ): RunRecord {
    let current = run;
    const mine: (() => void)[] = [];
    try {
      this.savepoint(() => {
        const outcome = decide(this.localContext(run, mine, (leadId) => (current = { ...current, lead_id: leadId })));
        if (outcome.status === 'completed') this.deps.lifecycle.complete(step.id, attempt, outcome.output);
        else this.deps.lifecycle.skip(step.id, attempt, { reason: outcome.reason });
      });
      after.push(...mine);
      return current;
    } catch (err) {
      this.deps.lifecycle.fail(step.id, attempt, `${failurePrefix}${(err as Error).message}`);
      return run;
    }
  }

  /** The lead a run is about: its own, or the one its email parameter names. */
  private runLead(run: RunRecord): Lead | undefined {
    const { leads } = this.deps.services;
    if (run.lead_id) return leads.get(run.lead_id);
    const email = run.parameters.email;
    return typeof email === 'string' ? leads.byEmail(email) : undefined;
  }

  /** A run about a lead (by its email parameter) shows on that lead's timeline. */
  private leadByEmail(run: RunRecord): string | null {
    const email = run.parameters.email;
    return typeof email === 'string' ? (this.deps.services.leads.byEmail(email)?.id ?? null) : null;
  }

  context(run: RunRecord): StepContext {
    return {
      runId: run.id,
      flow: run.flow,
      eventId: run.event_id,
      leadId: run.lead_id,
      services: this.deps.services,
      now: () => this.iso(),
      output: (def) => {
        const done = this.deps.runs.steps(run.id).find((s) => s.name === def.name && s.status === 'completed');
        if (!done) return undefined;
        const parsed = def.output.safeParse(done.output);
        if (!parsed.success) throw new Error(`the stored output of step ${def.name} is invalid: ${parsed.error.issues[0]?.message}`);
        return parsed.data;
      },
    };
  }

  private localContext(run: RunRecord, after: (() => void)[], onLead: (id: string) => void): LocalContext {
    return {
      ...this.context(run),
      setLead: (leadId) => {
        this.deps.lifecycle.setLead(run.id, leadId);
        onLead(leadId);
      },
      after: (fn) => after.push(fn),
    };
  }
}
