/**
 * The automation engine: triggers turn stored events into durable runs of the built-in flows,
 * and the runner carries them out through the integrations. Runs in the core's process, after
 * the receiver has acknowledged, from durable state only: stopping or crashing loses nothing.
 */
import type { ApiHandlers } from '../../shared/api/contract.js';
import type { EventRecord, Notification, TimelineItem } from '../../shared/api/models.js';
import { ApiError, notFound } from './api/api-error.js';
import type { LiveBus } from './api/live-bus.js';
import type { FieldProblem, Flow } from './flows/flow.js';
import { BUILT_IN_FLOWS, flowMap } from './flows/registry.js';
import type { Integrations } from './integrations/registry.js';
import type { Logger } from './log/logger.js';
import { Notifier } from './notify/notifier.js';
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from './outbound/backoff.js';
import { BatchWriter } from './runner/batch-writer.js';
import type { Slice } from './scheduling/pressure.js';
import { Runner } from './runner/runner.js';
import type { Services } from './runner/services.js';
import type { Db } from './storage/database.js';
import { EmailClickStore } from './storage/email-click-store.js';
import { openEngineConnection } from './storage/engine-connection.js';
import { EventStore } from './storage/event-store.js';
import { LeadStore } from './storage/lead-store.js';
import { NotificationStore } from './storage/notification-store.js';
import { RunStore } from './storage/run-store.js';
import type { SettingsStore } from './storage/settings-store.js';
import { TriggerStore } from './storage/trigger-store.js';
import { VisitorStore } from './storage/visitor-store.js';
import { defaultTriggers } from './triggers/default-triggers.js';
import { Dispatcher } from './triggers/dispatcher.js';
import { triggerApi } from './triggers/trigger-api.js';
import { uuidv7 } from './ids.js';

export interface EngineOptions {
  /** Milliseconds since the epoch; injectable so tests can move time (thresholds, delays, retries). */
  clock?: () => number;
  /** Runs advanced at the same time (vendor pacing is the clients' job). */
  concurrency?: number;
  /** Attempts a failing call gets before it is dead-lettered. */
  maxAttempts?: number;
  /** Flows to offer instead of the built-in ones. */
  flows?: readonly Flow[];
}

export interface EngineDeps {
  /** The data folder, whose database the core has already opened and migrated. */
  dataDir: string;
  settings: SettingsStore;
  live: LiveBus;
  log: Logger;
  integrations: Integrations;
  notify?: (n: Notification) => void;
  /** The time slice background commits may take (the receiver has priority during a burst). */
  slice?: () => Slice;
}

export type EngineHandlers = Pick<
  ApiHandlers,
  | 'replayEvent'
  | 'listRuns'
  | 'getRun'
  | 'retryStep'
  | 'listTriggers'
  | 'saveTrigger'
  | 'deleteTrigger'
  | 'dryRunTrigger'
  | 'listFlows'
  | 'listNotifications'
  | 'testIntegration'
>;

export interface Engine {
  handlers: EngineHandlers;
  /** Runs (with their steps) for a lead's timeline. */
  runsForLead(leadId: string): TimelineItem[];
  /** Checks the flows part of a settings patch against each flow's schema before saving it. */
  checkedSettingsUpdate(update: ApiHandlers['updateSettings']): ApiHandlers['updateSettings'];
  /** Hands newly committed events to the triggers (wired to IngestWriter.onCommitted). */
  dispatch(events: EventRecord[]): void;
  /** Resumes unfinished runs and dispatches events stored while the engine was not running. */
  start(): void;
  stop(): Promise<void>;
  /** Resolves when nothing is being dispatched or advanced (runs waiting for a time excepted). */
  idle(): Promise<void>;
  /** Re-checks runs waiting for a time, e.g. after a test moved the clock. */
  wake(): void;
  notifier: Notifier;
}

export function createEngine(deps: EngineDeps, options: EngineOptions = {}): Engine {
  const clock = options.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();
  const log = deps.log.child({ component: 'engine' });
  const flows = flowMap(options.flows ?? BUILT_IN_FLOWS);

  const db: Db = openEngineConnection(deps.dataDir);
  const writer = new BatchWriter(db, deps.slice);
  const events = new EventStore(db);
  const leads = new LeadStore(db);
  const runs = new RunStore(db, now);
  const triggers = new TriggerStore(db);
  const notifier = new Notifier(new NotificationStore(db), deps.live, deps.notify, log);
  const services: Services = {
    leads,
    visitors: new VisitorStore(db),
    clicks: new EmailClickStore(db),
    notifier,
    integrations: deps.integrations,
    live: deps.live,
  };

  const dispatcher = new Dispatcher({ db, triggers, runs, leads, flows, settings: () => deps.settings.get(), clock, log });
  if (triggers.seedOnce(defaultTriggers(now()))) log.info('default triggers saved');
  dispatcher.reload();

  const runner = new Runner({
    writer,
    runs,
    flows,
    services,
    log,
    clock,
    concurrency: options.concurrency ?? 32,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: (attempt, retryAfterMs) => backoffMs(attempt, retryAfterMs),
    onRunChanged: (run) => deps.live.publish({ topic: 'run', id: run.id }),
  });

  let stopped = false;
  const dispatching = new Set<Promise<void>>();

  const dispatchOne = (e: EventRecord): Promise<void> => {
    // Droppable: an event not dispatched by shutdown is still marked undispatched and is
    // dispatched on the next start.
    const work = writer
      .write(() => dispatcher.dispatch(e), { droppable: true })
      .then((runIds) => {
        for (const id of runIds) {
          deps.live.publish({ topic: 'run', id });
          runner.enqueue(id);
        }
      })
      .then(() => {
        retryDelayMs = FIRST_RETRY_MS;
      })
      .catch((err: unknown) => {
        // The event stays undispatched; the backlog is read again shortly (storage may recover).
        if (stopped) return;
        log.error('an event could not be dispatched; trying again shortly', { event_id: e.id, error: err as Error });
        retryBacklogLater();
      })
      .finally(() => dispatching.delete(work));
    dispatching.add(work);
    return work;
  };

  // Events whose dispatch failed (e.g. the disk was full) are picked up again from the
  // undispatched backlog, with a growing pause while storage keeps failing.
  const FIRST_RETRY_MS = 1_000;
  let retryDelayMs = FIRST_RETRY_MS;
  let retryTimer: NodeJS.Timeout | null = null;
  const retryBacklogLater = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      trackBacklog();
    }, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, 60_000);
  };
  const trackBacklog = () => {
    const backlog = dispatchBacklog().catch((err: unknown) => {
      if (stopped) return;
      log.error('stored events could not be dispatched; trying again shortly', { error: err as Error });
      retryBacklogLater();
    });
    const tracked: Promise<void> = backlog.finally(() => dispatching.delete(tracked));
    dispatching.add(tracked);
  };

  const dispatchBacklog = async () => {
    const tried = new Set<string>();
    let total = 0;
    for (;;) {
      if (stopped) return;
      const batch = events.undispatched(500).filter((e) => !tried.has(e.id));
      if (!batch.length) break;
      for (const e of batch) tried.add(e.id);
      total += batch.length;
      await Promise.all(batch.map(dispatchOne));
    }
    if (total) log.info('dispatched events stored while the engine was not running', { events: total });
  };

  const settingsProblems = (patchFlows: Record<string, Record<string, unknown>>): FieldProblem[] => {
    const stored = deps.settings.getStored().flows;
    return Object.entries(patchFlows).flatMap(([name, value]): FieldProblem[] => {
      const flow = flows.get(name);
      if (!flow) return [{ path: `flows.${name}`, message: `unknown flow (known: ${[...flows.keys()].join(', ')})` }];
      const r = flow.readSettings({ ...(stored[name] ?? {}), ...value });
      return r.ok ? [] : r.problems;
    });
  };

  const handlers: EngineHandlers = {
    ...triggerApi({ triggers, events, flows, dispatcher, live: deps.live, now }),

    replayEvent: async ({ id }) => {
      const original = events.get(id);
      if (!original) throw notFound(`event ${id}`);
      const copy: EventRecord = {
        ...original,
        id: uuidv7(),
        received_at: now(),
        source: 'replay',
        inbox_id: null,
        idempotency_key: null,
      };
      await writer.write(() => {
        copy.seq = events.insert(copy).seq;
      });
      deps.live.publish({ topic: 'event', id: copy.id });
      await dispatchOne(copy);
      return { event_id: copy.id };
    },

    listRuns: async (q) => runs.list(q),

    getRun: async ({ id }) => {
      const run = runs.withSteps(id);
      if (!run) throw notFound(`run ${id}`);
      return run;
    },

    retryStep: async ({ id }) => {
      const step = runs.step(id);
      if (!step) throw notFound(`step ${id}`);
      const notConfigured = step.status === 'skipped' && (step.output as { not_configured?: unknown } | null)?.not_configured === true;
      if (step.status !== 'failed' && step.status !== 'dead' && !notConfigured) {
        throw new ApiError(
          'conflict',
          `step ${step.name} is ${step.status}: only failed or dead-lettered steps, or steps skipped because an integration was not set up, can be retried`,
        );
      }
      await writer.write(() => {
        // A fresh set of attempts, with the same idempotency key: what already went out is not repeated.
        runs.updateStep(step.id, { status: 'pending', attempts: 0, error: null, next_attempt_at: null, output: null });
        // Steps skipped only because they needed this one get another chance too.
        const reopened = new Set([step.name]);
        for (const s of runs.steps(step.run_id)) {
          const blockedBy = (s.output as { blocked_by?: unknown } | null)?.blocked_by;
          if (s.idx > step.idx && s.status === 'skipped' && typeof blockedBy === 'string' && reopened.has(blockedBy)) {
            runs.updateStep(s.id, { status: 'pending', error: null, next_attempt_at: null, output: null });
            reopened.add(s.name);
          }
        }
        runs.updateRun(step.run_id, { status: 'pending', finished_at: null });
      });
      deps.live.publish({ topic: 'run', id: step.run_id });
      runner.enqueue(step.run_id);
      return runs.withSteps(step.run_id)!;
    },

    listFlows: async () => ({
      items: [...flows.values()].map((f) => {
        const r = f.readSettings(deps.settings.get().flows[f.name]);
        return { name: f.name, title: f.title, description: f.description, settings: r.ok ? r.value : f.defaults, defaults: f.defaults };
      }),
    }),

    listNotifications: async (q) => notifier.list(q),

    testIntegration: async ({ name }) => deps.integrations.test(name),
  };

  return {
    handlers,
    notifier,
    runsForLead: (leadId) => runs.forLead(leadId).map((run) => ({ kind: 'run', at: run.created_at, run })),
    checkedSettingsUpdate: (update) => async (patch) => {
      const problems = patch.flows ? settingsProblems(patch.flows) : [];
      if (problems.length) {
        throw new ApiError('invalid_input', `invalid settings: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
      }
      return update(patch);
    },
    dispatch: (stored) => {
      if (stopped) return; // stays undispatched: picked up on the next start
      for (const e of stored) void dispatchOne(e);
    },
    start: () => {
      const resumed = runner.resumeAll();
      if (resumed) log.info('resuming unfinished runs', { runs: resumed });
      trackBacklog();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      // Queued dispatches are redone on the next start: dropped first, so the runs in flight
      // record their last steps at once instead of after the whole backlog.
      writer.dropDroppable();
      await runner.stop();
      writer.close();
      await Promise.allSettled([...dispatching]);
      db.close();
    },
    async idle() {
      while (dispatching.size || !runner.isIdle()) {
        await Promise.allSettled([...dispatching]);
        await runner.idle();
      }
    },
    wake: () => runner.wake(),
  };
}
