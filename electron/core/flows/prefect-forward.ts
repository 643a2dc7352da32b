/**
 * Sends a stored event to Prefect: one run per forwarded event, planned by the dispatcher in the
 * transaction that marks the event dispatched, so the steps table is the forwarder's durable
 * outbox. Waiting sends share requests (up to 200 events each); a refused event fails alone with
 * Prefect's reason, and a resend after a crash is stored once by Prefect (the event id is kept).
 */
import { z } from 'zod';
import type { EventRecord } from '../../../shared/api/models.js';
import { PermanentError } from '../integrations/types.js';
import { PrefectLimitError, toPrefectEvent, type EventLinks, type PrefectEvent } from '../prefect/event-mapping.js';
import { BATCH_LIMITS } from '../prefect/events-client.js';
import { callOne, callStep, completed, plan, type CallOutcome, type CallStepContext, type StepContext } from '../runner/step.js';
import { defineFlow } from './flow.js';

export const PREFECT_FLOW = 'prefect';

const parameters = z.object({ event_id: z.string().min(1), event: z.string(), email: z.string().nullable().default(null) });
const input = z.object({ event_id: z.string().min(1) });
const output = z.object({ sent_at: z.string() });
type Output = z.infer<typeof output>;

/** The lead and visitor the event is about, as far as they are known when it is sent. */
function links(e: EventRecord, ctx: StepContext): EventLinks {
  const email = typeof e.payload.email === 'string' ? e.payload.email : null;
  const lead = email ? ctx.services.leads.byEmail(email) : undefined;
  const visitor = typeof e.payload.visitor_id === 'string' ? e.payload.visitor_id : (lead?.visitor_id ?? null);
  return { lead: lead ? { id: lead.id, email: lead.email } : null, visitorId: visitor };
}

/** The event as Prefect takes it, or the error that keeps it from going (gone, over a limit). */
function prefectEvent(eventId: string, ctx: StepContext): PrefectEvent | Error {
  const e = ctx.services.events.get(eventId);
  if (!e) return new PermanentError(`event ${eventId} is no longer stored`);
  try {
    return toPrefectEvent(e, links(e, ctx));
  } catch (err) {
    if (err instanceof PrefectLimitError) return new PermanentError(err.message);
    throw err;
  }
}

async function sendAll(calls: { input: z.infer<typeof input>; ctx: CallStepContext }[]): Promise<(CallOutcome<Output> | Error)[]> {
  const first = calls[0]!;
  const events = calls.map(({ input: i, ctx }) => prefectEvent(i.event_id, ctx));
  const ready = events.filter((e): e is PrefectEvent => !(e instanceof Error));
  const reasons = ready.length ? await first.ctx.services.integrations.prefect.send(ready, first.ctx.call.signal) : [];
  const refused = new Map(ready.map((e, i) => [e, reasons[i] ?? null]));
  const at = first.ctx.now();
  return events.map((e) => {
    if (e instanceof Error) return e;
    const why = refused.get(e);
    return why ? new PermanentError(why, 422) : completed({ sent_at: at });
  });
}

const sendEvent = callStep({
  name: 'send_to_prefect',
  integration: 'prefect',
  backlog: 'events for Prefect',
  input,
  output,
  call: callOne(sendAll),
  batch: { key: () => 'events', max: BATCH_LIMITS.events, callMany: sendAll },
});

export const prefectForwardFlow = defineFlow({
  name: PREFECT_FLOW,
  title: 'Sent to Prefect',
  description: 'The event goes to your Prefect server, whose deployment triggers run the flow there.',
  internal: true,
  parameters,
  settings: z.object({}).strict(),
  steps: [sendEvent],
  plan: (p) => [plan(sendEvent, { event_id: p.event_id })],
});

/** Why an event cannot go to Prefect at all (checked when it is dispatched), or null. */
export function forwardProblem(e: EventRecord): string | null {
  try {
    toPrefectEvent(e);
    return null;
  } catch (err) {
    if (err instanceof PrefectLimitError) return err.message;
    throw err;
  }
}
