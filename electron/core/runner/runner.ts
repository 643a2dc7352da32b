/**
 * The durable runner: a small pool of workers advancing runs step by step from their stored
 * state. Every transition is committed before the next one starts; a call step is marked
 * `running` (with its attempt counted) before the vendor is called, and a step found `running`
 * after a restart is simply called again with the same idempotency key, which the vendor
 * recognises. Retries wait durably (next_attempt_at) and end in `dead` after the last attempt.
 */
import { setMaxListeners } from 'node:events';
import type { Step } from '../../../shared/api/models.js';
import type { Flow } from '../flows/flow.js';
import type { Logger } from '../log/logger.js';
import type { RunRecord, RunStore, StepPatch } from '../storage/run-store.js';
import type { BatchWriter } from './batch-writer.js';
import { classifyFailure } from './failure.js';
import { finalStatus, isFinished, nextAction } from './progress.js';
import type { Services } from './services.js';
import type { AnyStep, CallOutcome, LocalContext, StepContext, StepOutcome } from './step.js';

function outcomePatch(outcome: StepOutcome<unknown>, attempts: number): StepPatch {
  return outcome.status === 'completed'
    ? { status: 'completed', attempts, output: outcome.output, error: null }
    : { status: 'skipped', attempts, output: { skipped: outcome.reason }, error: null };
}

export interface RunnerOptions {
  writer: BatchWriter;
  runs: RunStore;
  flows: ReadonlyMap<string, Flow>;
  services: Services;
  log: Logger;
  clock: () => number;
  /** Runs advanced at the same time. */
  concurrency: number;
  maxAttempts: number;
  /** Delay after failed attempt `attempt`, never shorter than the vendor's Retry-After. */
  backoff: (attempt: number, retryAfterMs?: number) => number;
  /** A run (and maybe its lead) changed: live updates for the UI. */
  onRunChanged: (run: RunRecord) => void;
}

/** setTimeout's limit; a longer wait is re-armed when it expires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After an unexpected storage error a run is tried again this much later. */
const ERROR_PAUSE_MS = 5_000;

export class Runner {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, Promise<void>>();
  /** Runs touched while being advanced: they get another pass. */
  private readonly again = new Set<string>();
  /** Runs waiting for a time (a schedule or a retry), with that time. */
  private readonly waiting = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private readonly abort = shareableAbort();
  private stopping = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: RunnerOptions) {}

  private iso(ms = this.o.clock()): string {
    return new Date(ms).toISOString();
  }

  enqueue(runId: string): void {
    if (this.stopping) return;
    this.waiting.delete(runId);
    if (this.active.has(runId)) {
      this.again.add(runId);
      return;
    }
    if (this.queued.has(runId)) return;
    this.queued.add(runId);
    this.queue.push(runId);
    this.pump();
  }

  /** Picks up every run not finished (after a restart). */
  resumeAll(): number {
    const runs = this.o.runs.unfinished();
    for (const r of runs) this.enqueue(r.id);
    return runs.length;
  }

  /** Re-checks runs waiting for a time (the timer does this; tests with a moved clock call it). */
  wake(): void {
    const now = this.o.clock();
    for (const [id, at] of [...this.waiting]) if (at <= now) this.enqueue(id);
    this.armTimer();
  }

  isIdle(): boolean {
    return !this.queue.length && !this.active.size;
  }

  /** Resolves when no run is queued or being advanced (runs waiting for a time do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, aborts calls in flight (their steps stay `running` and resume next start). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('Leadbell is stopping'));
    this.queue.length = 0;
    this.queued.clear();
    await Promise.allSettled([...this.active.values()]);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.o.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      this.queued.delete(id);
      const work = this.advance(id)
        .catch((err: unknown) => {
          this.o.log.error('a run could not be advanced; trying again shortly', { run_id: id, error: err as Error });
          this.waitUntil(id, this.o.clock() + ERROR_PAUSE_MS);
        })
        .finally(() => {
          this.active.delete(id);
          if (this.again.delete(id)) this.enqueue(id);
          this.pump();
          if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
        });
      this.active.set(id, work);
    }
  }

  private waitUntil(runId: string, at: number): void {
    if (this.stopping) return;
    this.waiting.set(runId, at);
    this.armTimer();
  }

  private armTimer(): void {
    let next = Infinity;
    for (const at of this.waiting.values()) next = Math.min(next, at);
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (!Number.isFinite(next) || this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.wake();
    }, Math.min(MAX_TIMER_MS, Math.max(0, next - this.o.clock())));
    this.timer.unref();
  }

  /** Moves one run forward until it finishes or has to wait. */
  private async advance(runId: string): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const run = this.o.runs.get(runId);
      if (!run || run.status === 'completed' || run.status === 'partial' || run.status === 'failed') return;
      const now = this.o.clock();
      if (run.status === 'scheduled' && Date.parse(run.scheduled_for) > now) return this.waitUntil(runId, Date.parse(run.scheduled_for));
      if (run.status !== 'running') {
        await this.o.writer.write(() => this.o.runs.updateRun(runId, { status: 'running', started_at: run.started_at ?? this.iso(now) }));
        this.o.onRunChanged({ ...run, status: 'running' });
      }
      const flow = this.o.flows.get(run.flow);
      const steps = this.o.runs.steps(runId);
      const action = nextAction(steps, (name) => flow?.step(name)?.needs?.map((n) => n.name) ?? [], now);
      switch (action.kind) {
        case 'done':
          if (await this.finish(run)) return;
          break;
        case 'wait':
          return this.waitUntil(runId, action.until);
        case 'skip':
          await this.settle(run, action.step, { status: 'skipped', output: { skipped: action.reason, blocked_by: action.blockedBy } });
          break;
        case 'execute': {
          const def = flow?.step(action.step.name);
          if (!def) {
            await this.settle(run, action.step, { status: 'failed', error: `this version of Leadbell has no step "${action.step.name}" in flow "${run.flow}"` });
          } else {
            await this.execute(run, action.step, def);
          }
          break;
        }
      }
    }
  }

  /** Records the run's final status from its steps as they are in the database at commit time. */
  private async finish(run: RunRecord): Promise<boolean> {
    const finished = await this.o.writer.write(() => {
      const steps = this.o.runs.steps(run.id);
      if (!steps.every(isFinished)) return null;
      const status = finalStatus(steps);
      const leadId = run.lead_id ?? this.leadByEmail(run);
      this.o.runs.updateRun(run.id, { status, finished_at: this.iso(), ...(leadId && { lead_id: leadId }) });
      return this.o.runs.get(run.id) ?? null;
    });
    if (finished) this.o.onRunChanged(finished);
    return finished !== null;
  }

  /** A run about a lead (by its email parameter) shows on that lead's timeline. */
  private leadByEmail(run: RunRecord): string | null {
    const email = run.parameters.email;
    return typeof email === 'string' ? (this.o.services.leads.byEmail(email)?.id ?? null) : null;
  }

  private settle(run: RunRecord, step: Step, patch: StepPatch): Promise<void> {
    return this.commit(run, step, () => patch);
  }

  /** Applies a step's local effects and records its outcome in one transaction, then announces it. */
  private async commit(run: RunRecord, step: Step, decide: (ctx: LocalContext) => StepPatch): Promise<void> {
    const after: (() => void)[] = [];
    let leadId = run.lead_id;
    await this.o.writer.write(() => {
      const patch = decide(this.localContext(run, after, (id) => (leadId = id)));
      this.o.runs.updateStep(step.id, { next_attempt_at: null, ...patch });
    });
    for (const fn of after) fn();
    this.o.onRunChanged({ ...run, lead_id: leadId });
  }

  private context(run: RunRecord): StepContext {
    return {
      runId: run.id,
      flow: run.flow,
      eventId: run.event_id,
      leadId: run.lead_id,
      services: this.o.services,
      now: () => this.iso(),
      output: (def) => {
        const done = this.o.runs.steps(run.id).find((s) => s.name === def.name && s.status === 'completed');
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
        this.o.runs.updateRun(run.id, { lead_id: leadId });
        onLead(leadId);
      },
      after: (fn) => after.push(fn),
    };
  }

  private async execute(run: RunRecord, step: Step, def: AnyStep): Promise<void> {
    const input = def.input.safeParse(step.input);
    if (!input.success) {
      return this.settle(run, step, { status: 'failed', error: `the step's stored input is invalid: ${input.error.issues[0]?.message}` });
    }
    const attempt = step.attempts + 1;
    if (def.kind === 'local') {
      try {
        await this.commit(run, step, (ctx) => outcomePatch(def.apply(input.data, ctx), attempt));
      } catch (err) {
        // The step's effect was rolled back with it; a local failure is a bug or bad data, not transient.
        await this.settle(run, step, { status: 'failed', attempts: attempt, error: (err as Error).message });
      }
      return;
    }

    await this.o.writer.write(() => this.o.runs.updateStep(step.id, { status: 'running', attempts: attempt, next_attempt_at: null }));
    let result: CallOutcome<unknown>;
    try {
      result = await def.call(input.data, {
        ...this.context(run),
        call: { idempotencyKey: step.idempotency_key, attempt, signal: this.abort.signal },
      });
    } catch (err) {
      if (this.stopping) return; // left `running`: resumed, with the same key, on the next start
      return this.failed(run, step, attempt, err);
    }
    try {
      await this.commit(run, step, (ctx) => {
        if (result.status === 'completed') result.commit?.(ctx);
        return outcomePatch(result, attempt);
      });
    } catch (err) {
      await this.settle(run, step, { status: 'failed', attempts: attempt, error: `the call succeeded but its result could not be stored: ${(err as Error).message}` });
    }
  }

  private async failed(run: RunRecord, step: Step, attempt: number, err: unknown): Promise<void> {
    const f = classifyFailure(err);
    if (f.kind === 'not-configured') {
      // Marked so the owner can retry it by hand once the integration is set up.
      return this.settle(run, step, { status: 'skipped', attempts: attempt, output: { skipped: f.reason, not_configured: true }, error: null });
    }
    if (f.kind === 'permanent') return this.settle(run, step, { status: 'failed', attempts: attempt, error: f.message });
    if (attempt >= this.o.maxAttempts) {
      return this.settle(run, step, { status: 'dead', attempts: attempt, error: `gave up after ${attempt} attempts: ${f.message}` });
    }
    const at = this.o.clock() + this.o.backoff(attempt, f.retryAfterMs);
    return this.settle(run, step, { status: 'pending', attempts: attempt, error: f.message, next_attempt_at: this.iso(at) });
  }
}

/** One controller aborts every call in flight at shutdown: each call listens to it, legitimately. */
function shareableAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
