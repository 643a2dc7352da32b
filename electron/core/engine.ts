/**
 * The automation engine: triggers turn stored events into durable runs of the built-in flows,
 * and the runner carries them out through the integrations. Runs in the core's process, after
 * the receiver has acknowledged, from durable state only: stopping or crashing loses nothing.
 */
import type { ApiHandlers } from '../../shared/api/contract.js';
import type { EventRecord, Notification, TimelineItem } from '../../shared/api/models.js';
import { ApiError } from './api/api-error.js';
import { engineHandlers, type EngineStateHandlers } from './api/engine-handlers.js';
import { healthHandlers, type HealthHandlers } from './api/health-handlers.js';
import { catchUpHandlers, type CatchUpHandlers } from './api/catch-up.js';
import type { LiveBus } from './api/live-bus.js';
import type { FieldProblem, Flow } from './flows/flow.js';
import { prefectForwardFlow } from './flows/prefect-forward.js';
import { BUILT_IN_FLOWS, flowMap } from './flows/registry.js';
import type { Integrations } from './integrations/registry.js';
import type { Logger } from './log/logger.js';
import { Notifier, type Deliver } from './notify/notifier.js';
import { backoffMs, DEFAULT_MAX_ATTEMPTS } from './outbound/backoff.js';
import { BatchWriter } from './runner/batch-writer.js';
import { Lifecycle } from './runner/lifecycle.js';
import type { Slice } from './scheduling/pressure.js';
import { Runner } from './runner/runner.js';
import { sendTeamMessage } from './runner/team-message.js';
import type { Services } from './runner/services.js';
import type { Db } from './storage/database.js';
import { AppHealthStore } from './storage/app-health-store.js';
import { EmailClickStore } from './storage/email-click-store.js';
import { openEngineConnection } from './storage/engine-connection.js';
import { EventStore, type NewEvent } from './storage/event-store.js';
import { LeadStore } from './storage/lead-store.js';
import { LeadActivityStore } from './storage/lead-activity-store.js';
import { applyLeadFacts } from './leads/do-not-contact.js';
import { NotificationStore } from './storage/notification-store.js';
import { RunStore } from './storage/run-store.js';
import type { SettingsStore } from './storage/settings-store.js';
import { TriggerStore } from './storage/trigger-store.js';
import { VisitorStore } from './storage/visitor-store.js';
import { defaultTriggers } from './triggers/default-triggers.js';
import { DispatchLoop } from './triggers/dispatch-loop.js';
import { Dispatcher } from './triggers/dispatcher.js';
import { eventEffects, type EventEffects } from './triggers/event-effects.js';
import { triggerApi } from './triggers/trigger-api.js';

export interface EngineOptions {
  /** Milliseconds since the epoch; injectable so tests can move time (thresholds, delays, retries). */
  clock?: () => number;
  /** Runs advanced at the same time (vendor pacing is the clients' job). */
  concurrency?: number;
  /** Calls under way at once per integration (default 32; Meta, Prefect, Slack and Discord 1, so what waits batches). */
  outboxConcurrency?: Partial<Record<string, number>>;
  /** Attempts a failing call gets before it is dead-lettered. */
  maxAttempts?: number;
  /** The wait after a failed attempt (default: the long schedule, outbound/backoff.ts); real-time tests shrink it. */
  backoff?: (attempt: number, retryAfterMs?: number) => number;
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
  notify?: Deliver;
  /** The time slice background commits may take (the receiver has priority during a burst). */
  slice?: () => Slice;
  /** Told how much loop time each background batch took, so it is not mistaken for the receiver's. */
  backgroundSpent?: (ms: number) => void;
  /** Stores an event through the ingest writer (replays); it comes back through dispatch(). */
  emit: (event: NewEvent) => Promise<unknown>;
}

export type EngineHandlers = EngineStateHandlers & HealthHandlers & CatchUpHandlers & Pick<ApiHandlers, 'listTriggers' | 'saveTrigger' | 'deleteTrigger' | 'dryRunTrigger'>;

export interface Engine {
  handlers: EngineHandlers;
  /** Runs (with their steps) for a lead's timeline. */
  runsForLead(leadId: string): TimelineItem[];
  /** What an event led to: its lead and each automation's outcome. */
  effectsOf(eventId: string): EventEffects;
  /** Checks the flows part of a settings patch against each flow's schema before saving it. */
  checkedSettingsUpdate(update: ApiHandlers['updateSettings']): ApiHandlers['updateSettings'];
  /** Hands newly committed events to the triggers (wired to IngestWriter.onCommitted). */
  dispatch(events: EventRecord[]): void;
  /** Resumes unfinished runs and dispatches events stored while the engine was not running. */
  start(): void;
  stop(): Promise<void>;
  /** Resolves when nothing is being dispatched or advanced (runs waiting for a time excepted). */
  idle(): Promise<void>;
  /** Whether events are being dispatched or runs advanced, or calls are under way (runs waiting for a time excepted). */
  busy(): boolean;
  /** Re-checks runs waiting for a time, e.g. after a test moved the clock. */
  wake(): void;
  /** An integration's settings or credentials changed: its calls waiting to retry go now. */
  retryNowFor(integration: string): Promise<void>;
  notifier: Notifier;
}

export function createEngine(deps: EngineDeps, options: EngineOptions = {}): Engine {
  const clock = options.clock ?? Date.now;
  const now = () => new Date(clock()).toISOString();
  const log = deps.log.child({ component: 'engine' });
  // Sending events to Prefect is a flow of its own, planned by the dispatcher (never by a trigger).
  const flows = flowMap([...(options.flows ?? BUILT_IN_FLOWS), prefectForwardFlow]);

  const db: Db = openEngineConnection(deps.dataDir);
  const batches = new BatchWriter(db, deps.slice, deps.backgroundSpent);
  const events = new EventStore(db);
  const leads = new LeadStore(db);
  const runs = new RunStore(db, now);
  const lifecycle = new Lifecycle(db, runs, now);
  const triggers = new TriggerStore(db);
  const notifier = new Notifier(new NotificationStore(db), deps.live, deps.notify, log, { settings: () => deps.settings.get().alerts, clock });
  const health = new AppHealthStore(db);
  const services: Services = {
    events,
    leads,
    visitors: new VisitorStore(db),
    clicks: new EmailClickStore(db),
    notifier,
    integrations: deps.integrations,
    live: deps.live,
  };

  const activity = new LeadActivityStore(db);
  const dispatcher = new Dispatcher({
    db,
    leadFacts: (e) => {
      const changed = applyLeadFacts({ leads, activity }, e);
      if (changed) deps.live.publish({ topic: 'lead', id: changed });
    },
    triggers,
    lifecycle,
    leads,
    flows,
    settings: () => deps.settings.get(),
    prefect: () => deps.integrations.prefect.options(),
    clock,
    log,
  });
  if (triggers.seedOnce(defaultTriggers(now()))) log.info('default triggers saved');
  dispatcher.reload();

  const runner = new Runner({
    db,
    batches,
    runs,
    lifecycle,
    flows,
    services,
    log,
    clock,
    concurrency: options.concurrency ?? 256,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: options.backoff ?? ((attempt, retryAfterMs) => backoffMs(attempt, retryAfterMs)),
    onRunChanged: (run) => deps.live.publish({ topic: 'run', id: run.id }),
    health,
    onProblem: (p) => void sendTeamMessage(deps.settings.get().app.problem_message, p, deps.integrations, log, `leadbell-problem-${p.integration}-${clock()}`),
    // One batch at a time where calls are batched: what waits meanwhile goes in the next one
    // (team-chat alerts too, so a burst becomes a few messages instead of a message per lead).
    outboxConcurrency: { meta: 1, prefect: 1, notion: 1, slack: 1, discord: 1, ...options.outboxConcurrency },
  });

  let stopped = false;
  const dispatching = new DispatchLoop({
    startPlanned: (plan, opts) => runner.startPlanned(plan, opts),
    dispatcher,
    events,
    log,
    onDispatched: (e, runIds) => {
      for (const id of runIds) deps.live.publish({ topic: 'run', id });
      // No run to announce (nothing listens, or a threshold only counted): what the event led to changed all the same.
      if (!runIds.length) deps.live.publish({ topic: 'event', id: e.id });
    },
  });

  const settingsProblems = (patchFlows: Record<string, Record<string, unknown>>): FieldProblem[] => {
    const stored = deps.settings.getStored().flows;
    return Object.entries(patchFlows).flatMap(([name, value]): FieldProblem[] => {
      const flow = flows.get(name);
      if (!flow) return [{ path: `flows.${name}`, message: `unknown flow (known: ${[...flows.keys()].join(', ')})` }];
      const r = flow.readSettings({ ...(stored[name] ?? {}), ...value });
      return r.ok ? [] : r.problems;
    });
  };

  async function retryNowFor(integration: string): Promise<void> {
    if (stopped) return;
    runner.keyChanged(integration);
    const runIds = await batches.write(() => {
      health.resume(integration);
      return lifecycle.retryNowFor(integration);
    });
    for (const id of runIds) runner.enqueue(id);
    if (runIds.length) log.info('calls waiting to retry go now: their integration changed', { integration, runs: runIds.length });
  }

  const handlers: EngineHandlers = {
    ...triggerApi({ triggers, events, flows, dispatcher, live: deps.live, now }),
    ...engineHandlers({
      batches,
      events,
      runs,
      lifecycle,
      runner,
      flows,
      settings: deps.settings,
      notifier,
      integrations: deps.integrations,
      live: deps.live,
      emit: deps.emit,
      now,
    }),
    ...healthHandlers({
      db,
      health,
      integrations: deps.integrations,
      runner,
      runs,
      lifecycle,
      batches,
      flows,
      live: deps.live,
      now,
      retryNowFor: (integration) => retryNowFor(integration),
    }),
    ...catchUpHandlers({ db, runs, lifecycle, batches, runner, flows, integrations: deps.integrations, live: deps.live }),
  };

  return {
    handlers,
    notifier,
    runsForLead: (leadId) => runs.forLead(leadId).map((run) => ({ kind: 'run', at: run.created_at, run })),
    effectsOf: (eventId) => eventEffects({ events, triggers, runs, leads, flows }, eventId),
    checkedSettingsUpdate: (update) => async (patch) => {
      const problems = patch.flows ? settingsProblems(patch.flows) : [];
      if (problems.length) {
        throw new ApiError('invalid_input', `invalid settings: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
      }
      return update(patch);
    },
    dispatch: (stored) => {
      if (stopped) return; // stays undispatched: picked up on the next start
      for (const e of stored) void dispatching.dispatch(e);
    },
    start: () => {
      const resumed = runner.resumeAll();
      if (resumed) log.info('resuming unfinished runs', { runs: resumed });
      dispatching.dispatchBacklog();
      notifier.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      notifier.stop();
      dispatching.stop();
      // Queued dispatches are redone on the next start: dropped first, so the runs in flight
      // record their last steps at once instead of after the whole backlog.
      batches.dropDroppable();
      await runner.stop();
      batches.close();
      await dispatching.idle();
      db.close();
    },
    async idle() {
      while (!dispatching.isIdle() || !runner.isIdle()) {
        await dispatching.idle();
        await runner.idle();
      }
    },
    busy: () => !dispatching.isIdle() || !runner.isIdle(),
    wake: () => runner.wake(),
    retryNowFor,
  };
}
