/**
 * What an event led to, for the owner asking "I sent it: did anything happen, and if not, why?":
 * the lead, and each automation's outcome (the run it started, or why it did not run), read
 * from the firings the dispatcher recorded. Only indexed lookups: one firing probe per trigger,
 * a run by id, steps by run, the lead's runs by lead.
 */
import type { AutomationEffect, EventRecord, Lead, RequestEffects, Trigger } from '../../../shared/api/models.js';
import type { Flow } from '../flows/flow.js';
import type { EventStore } from '../storage/event-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import type { RunRecord, RunStore } from '../storage/run-store.js';
import type { Firing, TriggerStore } from '../storage/trigger-store.js';
import { leadKeyOf } from '../../../shared/events/lead-resources.js';
import { SENT_TO_PREFECT } from './dispatcher.js';
import { matchesEvent, matchesResource } from './match.js';

export interface EventEffectsDeps {
  events: EventStore;
  triggers: TriggerStore;
  runs: RunStore;
  leads: LeadStore;
  flows: ReadonlyMap<string, Flow>;
}

export type EventEffects = Omit<RequestEffects, 'request_id'>;

const RESOURCE_ID = 'prefect.resource.id';

export function eventEffects(d: EventEffectsDeps, eventId: string): EventEffects {
  const event = d.events.get(eventId);
  if (!event) return { state: 'no_event', event: null, lead: null, automations: [] };
  const summary = { id: event.id, event: event.event, received_at: event.received_at };
  if (!d.events.isDispatched(eventId)) return { state: 'waiting', event: summary, lead: leadRef(leadOf(d, event, [])), automations: [] };

  const triggers = d.triggers.list();
  const byId = new Map(triggers.map((t) => [t.id, t]));
  const firings = d.triggers.firingsFor(eventId, triggers.map((t) => t.id));
  const runs = new Map<string, RunRecord>();
  for (const f of firings) {
    const run = f.run_id === null ? undefined : d.runs.get(f.run_id);
    if (run) runs.set(run.id, run);
  }
  const automations = firings.map((f) => fromFiring(d, f, byId.get(f.trigger_id)!, runs.get(f.run_id ?? '')));
  const lead = leadOf(d, event, [...runs.values()]);
  // Runs no firing names: sending the event to Prefect, or a run of an automation deleted since.
  if (lead) {
    for (const run of d.runs.forLeadAndEvent(lead.id, eventId)) {
      if (runs.has(run.id)) continue;
      const t = run.trigger_id === null ? undefined : byId.get(run.trigger_id);
      const name = t?.name ?? (run.trigger_id === null ? flowTitle(d, run.flow) : `${flowTitle(d, run.flow)} (automation deleted since)`);
      automations.push({ trigger_id: run.trigger_id, name, outcome: 'started', reason: null, run: runSummary(d, run) });
    }
  }
  const handled = new Set(firings.map((f) => f.trigger_id));
  for (const t of triggers) {
    if (!handled.has(t.id) && listensFor(t, event)) automations.push(silent(t, event));
  }
  return { state: 'dispatched', event: summary, lead: leadRef(lead), automations };
}

function fromFiring(d: EventEffectsDeps, f: Firing, t: Trigger, run: RunRecord | undefined): AutomationEffect {
  const base = { trigger_id: t.id, name: t.name, run: run ? runSummary(d, run) : null };
  if (f.outcome === 'counted') return { ...base, outcome: 'counted', reason: `Not yet: it runs once enough of these arrive (${f.detail ?? 'counted'})` };
  if (f.outcome === 'rejected') return { ...base, outcome: 'not_started', reason: `Could not start: ${f.detail ?? 'the run says why'}` };
  if (f.detail === SENT_TO_PREFECT) return { ...base, outcome: 'sent_to_prefect', reason: 'It runs on Prefect: the event was sent there' };
  return { ...base, outcome: 'started', reason: null };
}

/**
 * Whether a trigger that recorded nothing is worth explaining: it names this kind of event, or
 * (taking any event) its filter fits this one. A catch-all filtered to other resources is not.
 */
function listensFor(t: Trigger, e: EventRecord): boolean {
  return t.expect.length ? matchesEvent(t.expect, e.event) : matchesResource(t.match, e.resource);
}

/** Why a listening trigger recorded nothing, judged by how it is set now. */
function silent(t: Trigger, e: EventRecord): AutomationEffect {
  const base = { trigger_id: t.id, name: t.name, run: null };
  if (t.created_at > e.received_at) return { ...base, outcome: 'added_later', reason: 'It was added after this event arrived' };
  if (!t.enabled) return { ...base, outcome: 'off', reason: 'It is turned off' };
  if (!matchesResource(t.match, e.resource)) {
    const wants = Object.entries(t.match).map(([label, v]) => `${label} ${(Array.isArray(v) ? v : [v]).join(' or ')}`).join(', ');
    return { ...base, outcome: 'no_match', reason: `Its filter does not match this event: it wants ${wants}` };
  }
  return { ...base, outcome: 'changed_since', reason: 'It did not run: it was set differently (or turned off) when this event arrived' };
}

function runSummary(d: EventEffectsDeps, run: RunRecord): NonNullable<AutomationEffect['run']> {
  const skipped = d.runs
    .steps(run.id)
    .filter((s) => s.status === 'skipped')
    .map((s) => {
      const out = s.output as { skipped?: unknown } | null;
      return { name: s.name, reason: typeof out?.skipped === 'string' && out.skipped ? out.skipped : 'left out' };
    });
  return { id: run.id, flow: run.flow, flow_title: flowTitle(d, run.flow), status: run.status, skipped_steps: skipped };
}

/** The lead a run linked (a flow links the lead it creates or updates), else the one the event names. */
function leadOf(d: EventEffectsDeps, e: EventRecord, runs: RunRecord[]): Lead | undefined {
  for (const r of runs) {
    const lead = r.lead_id === null ? undefined : d.leads.get(r.lead_id);
    if (lead) return lead;
  }
  const key = leadKeyOf(e.resource[RESOURCE_ID] ?? '');
  if (!key) return undefined;
  return 'email' in key ? d.leads.byEmail(key.email) : d.leads.byVisitor(key.visitor_id);
}

function flowTitle(d: EventEffectsDeps, flow: string): string {
  return d.flows.get(flow)?.title ?? flow;
}

function leadRef(l: Lead | undefined): EventEffects['lead'] {
  return l ? { id: l.id, email: l.email, name: [l.first_name, l.last_name].filter(Boolean).join(' ') || null } : null;
}
