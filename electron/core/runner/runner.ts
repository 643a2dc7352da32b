/**
 * The durable runner: a pool of workers moving runs forward from their stored state, one round
 * per commit (see advance.ts). Local steps never wait for a vendor: a ready call step is marked
 * `running` (its attempt counted) and handed to its integration's outbox, and the run goes on
 * with whatever does not need that call. The answer is committed with the next round of its run.
 * A step found `running` after a restart is handed over again with the same idempotency key,
 * which the vendor recognises. Retries wait durably (next_attempt_at) and end in `dead`.
 */
import { setMaxListeners } from 'node:events';
import type { Flow } from '../flows/flow.js';
import type { Logger } from '../log/logger.js';
import { Outbox, type BacklogItem, type OutboxJob } from '../outbound/outbox.js';
import { INTEGRATIONS, isIntegrationName } from '../../../shared/integrations/index.js';
import { LanePausedError } from '../integrations/types.js';
import type { AppHealthStore } from '../storage/app-health-store.js';
import type { Db } from '../storage/database.js';
import type { RunRecord, RunStore } from '../storage/run-store.js';
import { newRoundWork, Stepper, type CallResult, type HandedCall, type Round, type RoundWork } from './advance.js';
import type { BatchWriter } from './batch-writer.js';
import { DueTimes } from './due-times.js';
import type { Lifecycle } from './lifecycle.js';
import type { Services } from './services.js';
import type { AppProblem } from './tell-owner.js';

export interface RunnerOptions {
  db: Db;
  batches: BatchWriter;
  runs: RunStore;
  lifecycle: Lifecycle;
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
  /** Calls under way at once per integration (the vendor's pacer sets the rate). */
  outboxConcurrency?: Partial<Record<string, number>>;
  health: AppHealthStore;
  /** An app's calls were given up or its lane paused (once per episode, after the bell). */
  onProblem?: (p: AppProblem) => void;
}

/** After an unexpected storage error a run is tried again this much later. */
const ERROR_PAUSE_MS = 5_000;

export class Runner {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, Promise<void>>();
  /** Runs touched while being advanced: they get another pass. */
  private readonly again = new Set<string>();
  /** Runs waiting for a time (a schedule or a retry). */
  private readonly waiting: DueTimes;
  private readonly abort = shareableAbort();
  private stopping = false;
  private idleWaiters: (() => void)[] = [];
  private readonly inFlight = new Set<string>();
  private readonly stepper: Stepper;
  private readonly outbox: Outbox<HandedCall>;
  /** Answers being committed (they count as work: the run is not idle until they are). */
  private readonly answering = new Set<Promise<void>>();
  /** A savepoint around a new run's first round: one that throws undoes only itself. */
  private readonly firstRound: (round: () => Round) => Round;
  /** Bumped when an app's key or settings change: a refusal of a call sent before that is not the new key's. */
  private readonly keyEpochs = new Map<string, number>();

  constructor(private readonly opts: RunnerOptions) {
    this.stepper = new Stepper({ ...opts, inFlight: this.inFlight, wake: (ids) => ids.forEach((id) => this.enqueue(id)) });
    this.waiting = new DueTimes(opts.clock, (id) => this.enqueue(id));
    this.firstRound = opts.db.transaction((round: () => Round) => round());
    this.outbox = new Outbox<HandedCall>({
      send: (group) => this.send(group),
      concurrency: opts.outboxConcurrency,
      onIdle: () => this.checkIdle(),
    });
  }

  /** An app's key or settings changed: calls under way were sent with the old ones. */
  keyChanged(integration: string): void {
    this.keyEpochs.set(integration, (this.keyEpochs.get(integration) ?? 0) + 1);
  }

  /** Calls waiting for their vendors, by integration and kind, with progress and time left. */
  backlog(): BacklogItem[] {
    return this.outbox.backlog();
  }

  /** `urgent` runs (they may raise a desktop alert) go to the front of the queue. */
  enqueue(runId: string, urgent = false): void {
    if (this.stopping) return;
    this.waiting.delete(runId);
    if (this.active.has(runId)) {
      this.again.add(runId);
      return;
    }
    if (this.queued.has(runId)) return;
    this.queued.add(runId);
    if (urgent) this.queue.unshift(runId);
    else this.queue.push(runId);
    this.pump();
  }

  /** Picks up every run not finished (after a restart). */
  resumeAll(): number {
    const runs = this.opts.runs.unfinished();
    for (const r of runs) this.enqueue(r.id);
    return runs.length;
  }

  /** Re-checks runs waiting for a time (the timer does this; tests with a moved clock call it). */
  wake(): void {
    this.waiting.wake();
  }

  isIdle(): boolean {
    return !this.queue.length && !this.active.size && !this.answering.size && this.outbox.isIdle();
  }

  /** Resolves when no run is queued or being advanced (runs waiting for a time do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Stops taking work, aborts calls in flight (their steps stay `running` and resume next start). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting.stop();
    this.abort.abort(new Error('Leadbell is stopping'));
    this.queue.length = 0;
    this.queued.clear();
    await Promise.allSettled([...this.active.values()]);
    await this.outbox.stop();
    await Promise.allSettled([...this.answering]);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.opts.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      this.queued.delete(id);
      const work = this.advance(id)
        .catch((err: unknown) => {
          this.opts.log.error('a run could not be advanced; trying again shortly', { run_id: id, error: err as Error });
          this.waitUntil(id, this.opts.clock() + ERROR_PAUSE_MS);
        })
        .finally(() => {
          this.active.delete(id);
          if (this.again.delete(id)) this.enqueue(id);
          this.pump();
          this.checkIdle();
        });
      this.active.set(id, work);
    }
    // Runs waiting for a worker hold local work (leads, scores, alerts): vendor calls wait.
    this.outbox.hold(this.queue.length > 0);
  }

  private waitUntil(runId: string, at: number): void {
    if (!this.stopping) this.waiting.set(runId, at);
  }

  /** One round of the run, committed; then its calls go to their outboxes. */
  private async advance(runId: string): Promise<void> {
    if (this.stopping) return;
    const run = this.opts.runs.get(runId);
    if (!run || run.status === 'completed' || run.status === 'partial' || run.status === 'failed') return;
    if (run.status === 'scheduled' && Date.parse(run.scheduled_for) > this.opts.clock()) return this.waitUntil(runId, Date.parse(run.scheduled_for));
    await this.commitRound((work) => this.stepper.advance(runId, work), this.opts.flows.get(run.flow)?.urgent);
  }

  /**
   * Plans runs and moves each through its first round in the same change (`plan` returns the new
   * runs' ids), so a new event's lead exists, and its alert is raised, with one commit. A run whose
   * first round throws is left planned and advanced by a worker instead.
   */
  async startPlanned(plan: () => string[], { urgent = false, droppable = false } = {}): Promise<string[]> {
    const works: RoundWork[] = [];
    let planned: { ids: string[]; rounds: Round[]; later: string[] };
    try {
      planned = await this.opts.batches.write(
        () => {
          const ids = plan();
          const rounds: Round[] = [];
          const later: string[] = [];
          for (const id of ids) {
            const work = newRoundWork();
            try {
              rounds.push(this.firstRound(() => this.stepper.advance(id, work)));
              works.push(work);
            } catch (err) {
              this.release(work);
              later.push(id);
              this.opts.log.error('a new run could not start; a worker tries again', { run_id: id, error: err as Error });
            }
          }
          return { ids, rounds, later };
        },
        { droppable, priority: urgent ? 'alert' : 'fresh' },
      );
    } catch (err) {
      for (const w of works) this.release(w);
      throw err;
    }
    for (const round of planned.rounds) this.afterRound(round);
    for (const id of planned.later) this.enqueue(id, urgent);
    return planned.ids;
  }

  /**
   * Commits a round and acts on it. Call steps claimed by a round that rolled back are released,
   * so they are handed over by a later round instead of being waited for forever.
   */
  private async commitRound(decide: (work: RoundWork) => Round, urgent = false): Promise<void> {
    const work = newRoundWork();
    let round: Round;
    try {
      round = await this.opts.batches.write(() => decide(work), { priority: urgent ? 'alert' : 'rest' });
    } catch (err) {
      this.release(work);
      throw err;
    }
    this.afterRound(round);
  }

  private release(work: RoundWork): void {
    for (const c of work.calls) this.inFlight.delete(c.step.id);
    work.calls.length = 0;
    work.after.length = 0;
  }

  /** After the commit: live updates, calls to their outboxes, and a timer if the run waits for one. */
  private afterRound(round: Round): void {
    for (const fn of round.after) fn();
    if (!round.run) return;
    this.opts.onRunChanged(round.run);
    for (const call of round.calls) {
      const batch = call.def.batch;
      const job: OutboxJob<HandedCall> = { integration: call.def.integration, label: call.def.backlog, data: call };
      if (batch) job.batch = { key: batch.key(call.input), max: batch.max };
      this.outbox.submit(job);
    }
    if (Number.isFinite(round.waitUntil)) this.waitUntil(round.run.id, round.waitUntil);
  }

  /** Sends a group of calls (one, or a batch) and commits each answer with its run's next round. */
  private async send(group: OutboxJob<HandedCall>[]): Promise<void> {
    if (this.stopping) return;
    const calls = group.map((j) => j.data);
    const integration = calls[0]!.def.integration;
    const epoch = this.keyEpochs.get(integration) ?? 0;
    // A lane waiting for a new key sends nothing: each call waits with its step, no attempt spent.
    const results: CallResult[] = this.opts.health.isPaused(integration)
      ? calls.map(() => ({ ok: false, error: new LanePausedError(`${appLabel(integration)} refused the API key: waiting for a new one`) }))
      : await this.callAll(calls);
    if (this.stopping) return; // left `running`: handed over again, with the same keys, on the next start
    const stale = (this.keyEpochs.get(integration) ?? 0) !== epoch;
    await Promise.all(calls.map((call, i) => this.answer(call, results[i]!, stale)));
  }

  private async callAll(calls: HandedCall[]): Promise<CallResult[]> {
    const ctxFor = (c: HandedCall) => ({
      ...this.stepper.context(c.run),
      call: { idempotencyKey: c.step.idempotency_key, attempt: c.attempt, signal: this.abort.signal },
    });
    const first = calls[0]!;
    try {
      if (calls.length > 1 && first.def.batch) {
        const outcomes = await first.def.batch.callMany(calls.map((c) => ({ input: c.input, ctx: ctxFor(c) })));
        return outcomes.map((outcome): CallResult => (outcome instanceof Error ? { ok: false, error: outcome } : { ok: true, outcome }));
      }
      return [{ ok: true, outcome: await first.def.call(first.input, ctxFor(first)) }];
    } catch (error) {
      return calls.map(() => ({ ok: false, error }));
    }
  }

  private answer(call: HandedCall, result: CallResult, staleKey: boolean): Promise<void> {
    const work = this.commitRound((w) => this.stepper.answered(call, result, w, staleKey), this.opts.flows.get(call.run.flow)?.urgent)
      .catch((err: unknown) => {
        // Left `running` in storage: the run is advanced again shortly and hands it over anew.
        this.inFlight.delete(call.step.id);
        this.opts.log.error('a call\'s answer could not be stored; trying again shortly', { run_id: call.run.id, error: err as Error });
        this.waitUntil(call.run.id, this.opts.clock() + ERROR_PAUSE_MS);
      })
      .finally(() => {
        this.answering.delete(work);
        this.checkIdle();
      });
    this.answering.add(work);
    return work;
  }
}

const appLabel = (name: string) => (isIntegrationName(name) ? INTEGRATIONS[name].label : name);

/** One controller aborts every call in flight at shutdown: each call listens to it, legitimately. */
function shareableAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
