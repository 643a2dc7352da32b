/** Contract handlers for triggers: list, save (validated), delete, and dry runs over stored events. */
import { randomUUID } from 'node:crypto';
import type { ApiHandlers, MethodParsedInput } from '../../../shared/api/contract.js';
import type { Trigger } from '../../../shared/api/models.js';
import { ApiError, notFound } from '../api/api-error.js';
import type { LiveBus } from '../api/live-bus.js';
import type { Flow } from '../flows/flow.js';
import type { EventStore } from '../storage/event-store.js';
import type { TriggerStore } from '../storage/trigger-store.js';
import { templateContext, triggerMatches, type Dispatcher } from './dispatcher.js';
import { runsFlowsHere } from '../../../shared/flow-parameters.js';
import { compileTrigger, unmappedParameterProblems, type CompiledTrigger } from './validate-trigger.js';

export interface TriggerApiDeps {
  triggers: TriggerStore;
  events: EventStore;
  flows: ReadonlyMap<string, Flow>;
  dispatcher: Dispatcher;
  live: LiveBus;
  now: () => string;
}

type Draft = MethodParsedInput<'saveTrigger'>;

/**
 * Refuses a trigger that does not compile, and one that runs flows here whose parameters leave
 * out what its flow requires (it could only ever make failed runs).
 */
function compileOrRefuse(t: Trigger, flows: ReadonlyMap<string, Flow>): CompiledTrigger {
  const c = compileTrigger(t, flows);
  const flow = flows.get(t.flow);
  const unmapped = c.ok && flow && runsFlowsHere(t) ? unmappedParameterProblems(t, flow) : [];
  const problems = c.ok ? unmapped : c.problems;
  if (!c.ok || problems.length) {
    throw new ApiError('invalid_input', `the trigger is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  return c.value;
}

function fromDraft(d: Draft, existing: Trigger | undefined, now: string): Trigger {
  return {
    id: d.id ?? randomUUID(),
    name: d.name,
    flow: d.flow,
    enabled: d.enabled,
    match: d.match,
    expect: d.expect,
    parameters: d.parameters,
    threshold: d.threshold,
    schedule_after_seconds: d.schedule_after_seconds,
    run_on: d.run_on,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
}

export function triggerApi(d: TriggerApiDeps): Pick<ApiHandlers, 'listTriggers' | 'saveTrigger' | 'deleteTrigger' | 'dryRunTrigger'> {
  return {
    listTriggers: async () => ({ items: d.triggers.list() }),

    saveTrigger: async (draft) => {
      const existing = draft.id ? d.triggers.get(draft.id) : undefined;
      const t = compileOrRefuse(fromDraft(draft, existing, d.now()), d.flows).trigger;
      d.triggers.save(t);
      d.dispatcher.reload();
      d.live.publish({ topic: 'trigger', id: t.id });
      return t;
    },

    deleteTrigger: async ({ id }) => {
      if (!d.triggers.delete(id)) throw notFound(`trigger ${id}`);
      d.dispatcher.reload();
      d.live.publish({ topic: 'trigger', id });
      return { ok: true };
    },

    // Shows what the draft would have started for recent events; nothing is stored or sent.
    // Thresholds and delays are not simulated: every matching event is listed.
    dryRunTrigger: async ({ trigger: draft, limit }) => {
      const ct = compileOrRefuse(fromDraft({ ...draft, enabled: true }, undefined, d.now()), d.flows);
      const events = d.events.recent(limit);
      return {
        examined: events.length,
        matches: events
          .filter((e) => triggerMatches(ct, e))
          .map((e) => ({ event_id: e.id, event: e.event, occurred: e.occurred, parameters: ct.parameters.render(templateContext(e)) })),
      };
    },
  };
}
