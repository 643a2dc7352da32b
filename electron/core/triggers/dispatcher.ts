/**
 * Hands each stored event to the triggers. For one event, in one transaction: every matching
 * trigger's firing is recorded, thresholds are counted, each run is created with all its planned
 * steps, and the event is marked dispatched, so a crash can neither drop nor double a run.
 */
import type { EventRecord } from '../../../shared/api/models.js';
import type { PrefectOptions } from '../../../shared/integrations/prefect.js';
import type { Settings } from '../../../shared/settings.js';
import type { Flow } from '../flows/flow.js';
import { forwardProblem, PREFECT_FLOW, prefectForwardFlow } from '../flows/prefect-forward.js';
import { forwards } from '../prefect/forwarding.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../storage/database.js';
import type { LeadStore } from '../storage/lead-store.js';
import { PLAN_CHECK_STEPS, type Lifecycle } from '../runner/lifecycle.js';
import type { TriggerStore } from '../storage/trigger-store.js';
import { matchesEvent, matchesResource } from './match.js';
import { compileTrigger, type CompiledTrigger } from './validate-trigger.js';
import { uuidv7 } from '../ids.js';

export interface DispatcherDeps {
  db: Db;
  triggers: TriggerStore;
  lifecycle: Lifecycle;
  leads: LeadStore;
  flows: ReadonlyMap<string, Flow>;
  settings: () => Settings;
  /** The Prefect forwarding options when a server is set up, else null. */
  prefect: () => PrefectOptions | null;
  clock: () => number;
  log: Logger;
  /** What the event itself says about its lead (do-not-contact), applied before any automation plans a run for it. */
  leadFacts?: (e: EventRecord) => void;
}

const RESOURCE_ID = 'prefect.resource.id';

/** A firing's detail when its trigger runs on Prefect (the event is sent there, nothing runs here). */
export const SENT_TO_PREFECT = 'sent to Prefect';

/** What templates see as `event`: the event, with `resource.id` as a short name for its id label (as in Prefect, it wins over a label named "id"). */
export function templateContext(e: EventRecord): Record<string, unknown> {
  return {
    event: {
      id: e.id,
      event: e.event,
      occurred: e.occurred,
      received_at: e.received_at,
      source: e.source,
      resource: { ...e.resource, id: e.resource[RESOURCE_ID] ?? null },
      payload: e.payload,
    },
  };
}

export function triggerMatches(t: CompiledTrigger, e: EventRecord): boolean {
  return t.trigger.enabled && matchesEvent(t.trigger.expect, e.event) && matchesResource(t.trigger.match, e.resource);
}

export class Dispatcher {
  private compiled: CompiledTrigger[] = [];
  private readonly dispatchedStmt;
  private readonly markStmt;

  constructor(private readonly deps: DispatcherDeps) {
    this.dispatchedStmt = deps.db.prepare('SELECT dispatched FROM events WHERE id = ?').pluck();
    this.markStmt = deps.db.prepare('UPDATE events SET dispatched = 1 WHERE id = ?');
  }

  /** Re-reads the triggers after a change. A stored trigger that no longer compiles is left out, loudly. */
  reload(): void {
    this.compiled = [];
    for (const t of this.deps.triggers.list()) {
      const c = compileTrigger(t, this.deps.flows);
      // A trigger saved before templates became Jinja's subset keeps its old meaning until edited.
      const legacy = c.ok ? c : compileTrigger(t, this.deps.flows, 'leadbell');
      if (legacy.ok) this.compiled.push(legacy.value);
      if (!c.ok) {
        const message = legacy.ok ? 'a stored trigger uses templates Prefect renders differently; it fires as before, but must be fixed when next saved' : 'a stored trigger is invalid and will not fire';
        this.deps.log.warn(message, { trigger_id: t.id, problems: c.problems });
      }
    }
  }

  /** Whether the event starts a flow that may raise a desktop alert (it then goes first). */
  isUrgent(e: EventRecord): boolean {
    return this.compiled.some((ct) => this.deps.flows.get(ct.trigger.flow)?.urgent && triggerMatches(ct, e));
  }

  /** Call inside a transaction. Returns the ids of the runs created (to start after commit). */
  dispatch(e: EventRecord): string[] {
    if (this.dispatchedStmt.get(e.id) !== 0) return [];
    this.deps.leadFacts?.(e);
    const runIds: string[] = [];
    const ctx = templateContext(e);
    const resourceId = e.resource[RESOURCE_ID] ?? '';
    const forwardRunId = uuidv7();
    let askedByTrigger = false;
    for (const ct of this.compiled) {
      if (!triggerMatches(ct, e)) continue;
      const t = ct.trigger;
      const nowMs = this.deps.clock();
      const now = new Date(nowMs).toISOString();
      const firing = { trigger_id: t.id, event_id: e.id, resource_id: resourceId, fired_at: now };
      if (t.run_on !== 'here') askedByTrigger = true;
      if (t.run_on === 'prefect') {
        // Prefect's own trigger counts thresholds and renders the parameters: every match goes.
        this.deps.triggers.recordFiring({ ...firing, run_id: forwardRunId, outcome: 'fired', detail: SENT_TO_PREFECT });
        continue;
      }

      if (t.threshold) {
        const windowStart = new Date(nowMs - t.threshold.within_seconds * 1000).toISOString();
        const seen = this.deps.triggers.countedInWindow(t.id, resourceId, windowStart) + 1;
        if (seen < t.threshold.count) {
          const detail = `${seen} of ${t.threshold.count} within ${t.threshold.within_seconds} s`;
          this.deps.triggers.recordFiring({ ...firing, run_id: null, outcome: 'counted', detail });
          continue;
        }
      }

      const flow = this.deps.flows.get(t.flow)!;
      const parameters = ct.parameters.render(ctx);
      const planned = flow.plan(parameters, this.deps.settings().flows[t.flow]);
      const runId = uuidv7();
      const recorded = this.deps.triggers.recordFiring({
        ...firing,
        run_id: runId,
        outcome: planned.ok ? 'fired' : 'rejected',
        detail: planned.ok ? null : planned.error,
      });
      if (!recorded) continue;
      const email = planned.ok ? planned.parameters.email : undefined;
      const run = {
        id: runId,
        flow: t.flow,
        trigger_id: t.id,
        event_id: e.id,
        lead_id: typeof email === 'string' ? (this.deps.leads.byEmail(email)?.id ?? null) : null,
        created_at: now,
      };
      if (planned.ok) {
        const delayed = t.schedule_after_seconds > 0;
        this.deps.lifecycle.plan(
          {
            ...run,
            status: delayed ? 'scheduled' : 'pending',
            parameters: planned.parameters,
            scheduled_for: delayed ? new Date(nowMs + t.schedule_after_seconds * 1000).toISOString() : now,
          },
          planned.steps,
        );
      } else {
        // A visible failed run says why nothing happened (a missing email, a bad score...).
        this.deps.lifecycle.plan({ ...run, status: 'failed', parameters, scheduled_for: now, finished_at: now }, [
          { name: PLAN_CHECK_STEPS.parameters, input: parameters, error: planned.error },
        ]);
      }
      runIds.push(runId);
    }
    if (forwards(this.deps.prefect(), e, askedByTrigger)) runIds.push(this.planForward(e, forwardRunId));
    this.markStmt.run(e.id);
    return runIds;
  }

  /** The run that sends the event to Prefect; failed at once, saying why, if Prefect could never take it. */
  private planForward(e: EventRecord, runId: string): string {
    const now = new Date(this.deps.clock()).toISOString();
    const email = typeof e.payload.email === 'string' ? e.payload.email : null;
    const parameters = { event_id: e.id, event: e.event, email };
    const run = { id: runId, flow: PREFECT_FLOW, trigger_id: null, event_id: e.id, lead_id: email ? (this.deps.leads.byEmail(email)?.id ?? null) : null, created_at: now };
    const problem = forwardProblem(e);
    const planned = problem ? null : prefectForwardFlow.plan(parameters, {});
    if (planned?.ok) {
      this.deps.lifecycle.plan({ ...run, status: 'pending', parameters: planned.parameters, scheduled_for: now }, planned.steps);
    } else {
      const error = problem ?? (planned && !planned.ok ? planned.error : 'the event cannot be sent');
      this.deps.lifecycle.plan({ ...run, status: 'failed', parameters, scheduled_for: now, finished_at: now }, [{ name: PLAN_CHECK_STEPS.event, input: parameters, error }]);
    }
    return runId;
  }
}
