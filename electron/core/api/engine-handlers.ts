/**
 * The engine's API handlers: runs and their steps, manual retries, event replays, flows,
 * notifications, integration tests. What changes state goes through the lifecycle (retries) or
 * the ingest writer (replays), like everything else.
 */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import type { EventRecord } from '../../../shared/api/models.js';
import type { Flow } from '../flows/flow.js';
import type { Integrations } from '../integrations/registry.js';
import type { Notifier } from '../notify/notifier.js';
import type { BatchWriter } from '../runner/batch-writer.js';
import { canRetryByHand, type Lifecycle } from '../runner/lifecycle.js';
import type { Runner } from '../runner/runner.js';
import type { EventStore, NewEvent } from '../storage/event-store.js';
import type { RunStore } from '../storage/run-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { uuidv7 } from '../ids.js';
import { usualTrigger } from '../triggers/default-triggers.js';
import { ApiError, notFound } from './api-error.js';
import { reopenSteps } from './retry-by-hand.js';
import type { LiveBus } from './live-bus.js';

export type EngineStateHandlers = Pick<
  ApiHandlers,
  'replayEvent' | 'listRuns' | 'getRun' | 'retryStep' | 'listFlows' | 'listNotifications' | 'getBacklog'
>;

export interface EngineHandlerDeps {
  batches: BatchWriter;
  events: EventStore;
  runs: RunStore;
  lifecycle: Lifecycle;
  runner: Runner;
  flows: ReadonlyMap<string, Flow>;
  settings: SettingsStore;
  notifier: Notifier;
  integrations: Integrations;
  live: LiveBus;
  /** Stores an event the way every event is stored (the ingest writer); it is dispatched from there. */
  emit: (event: NewEvent) => Promise<unknown>;
  now: () => string;
}

export function engineHandlers(d: EngineHandlerDeps): EngineStateHandlers {
  return {
    replayEvent: async ({ id }) => {
      const original = d.events.get(id);
      if (!original) throw notFound(`event ${id}`);
      const copy: EventRecord = { ...original, id: uuidv7(), received_at: d.now(), source: 'replay', inbox_id: null, idempotency_key: null };
      const { seq: _seq, ...event } = copy;
      await d.emit(event);
      return { event_id: copy.id };
    },

    listRuns: async (q) => d.runs.list(q),

    getRun: async ({ id }) => {
      const run = d.runs.withSteps(id);
      if (!run) throw notFound(`run ${id}`);
      return run;
    },

    retryStep: async ({ id }) => {
      const step = d.runs.step(id);
      if (!step) throw notFound(`step ${id}`);
      if (!canRetryByHand(step)) {
        throw new ApiError(
          'conflict',
          step.status === 'failed' || step.status === 'dead'
            ? `step ${step.name} records why the run could not start: fix the automation (or the event) and the next event runs it`
            : `step ${step.name} is ${step.status}: only failed or dead-lettered steps, or steps skipped because an integration was not set up, can be retried`,
        );
      }
      await d.batches.write(() => reopenSteps(d, [step]));
      d.live.publish({ topic: 'run', id: step.run_id });
      d.runner.enqueue(step.run_id);
      return d.runs.withSteps(step.run_id)!;
    },

    listFlows: async () => ({
      items: [...d.flows.values()].filter((f) => !f.internal).map((f) => {
        const r = f.readSettings(d.settings.get().flows[f.name]);
        return {
          name: f.name,
          title: f.title,
          description: f.describe(d.settings.get().flows[f.name]),
          settings: r.ok ? r.value : f.defaults,
          defaults: f.defaults,
          required_parameters: f.requiredParameters,
          usual: usualTrigger(f),
        };
      }),
    }),

    listNotifications: async (q) => d.notifier.list(q),

    getBacklog: async () => ({ items: d.runner.backlog() }),
  };
}
