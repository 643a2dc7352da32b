/**
 * Turns a parsed request body for an endpoint into a typed event (or field-level errors).
 * Shared so the UI's test-fire editor validates exactly as the receiver does.
 */
import type { z } from 'zod';
import type { EndpointName } from './catalog.js';
import { recognizeSender, type PresetEvent, type SenderHeaders } from '../senders/index.js';
import {
  assessmentPayload,
  bookingPayload,
  doNotContactPayload,
  emailEngagementPayload,
  genericEnvelope,
  liftAssessmentScore,
  optInPayload,
  purchasePayload,
  salesPageVisitPayload,
} from './payloads.js';
import { DO_NOT_CONTACT_EVENT, loopsWebhook } from './loops-webhooks.js';
import { readLead, withDefaults, type ReadOptions } from '../mapping/read-lead.js';

export interface NormalisedEvent {
  event: string;
  resource: Record<string, string>;
  payload: Record<string, unknown>;
  /** A sender-given id that makes a repeat a duplicate (payload event_id or envelope id). */
  idempotencyKey?: string;
  occurred?: string;
  /** The sender preset that read the body ("typeform"), when one did. */
  sender?: string;
  /** How the body was read when no preset knew it and it was not in Leadbell's names (a saved mapping, or a guess), for the owner. */
  note?: string;
}

export interface FieldError {
  path: string;
  message: string;
}

export type NormaliseResult =
  | { ok: true; value: NormalisedEvent }
  | { ok: false; errors: FieldError[]; ignored?: undefined; held?: undefined }
  /** A sender's event Leadbell has no use for (Loops sends every event type to one address): acknowledged, stored, not turned into an event. */
  | { ok: false; ignored: string; errors?: undefined; held?: undefined }
  /** A lead in a shape Leadbell cannot read: acknowledged, stored whole, waiting for the owner to map it. */
  | { ok: false; held: string; errors?: undefined; ignored?: undefined };

const RESOURCE_ID = 'prefect.resource.id';

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(body)',
    message: i.message,
  }));
}

/** Drops undefined values so stored JSON stays tidy. */
function compact<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function result<T>(
  parsed: z.ZodSafeParseResult<T>,
  build: (v: T) => NormalisedEvent,
): NormaliseResult {
  return parsed.success ? { ok: true, value: build(parsed.data) } : { ok: false, errors: fieldErrors(parsed.error) };
}

/** A lead event from a payload schema: the lead's resource, the sender's id and time. */
function leadEvent<T extends { email: string; event_id?: string; timestamp?: string }>(event: string, schema: z.ZodType<T>) {
  return (body: Record<string, unknown>): NormaliseResult =>
    result(schema.safeParse(body), (p) => ({
      event,
      resource: { [RESOURCE_ID]: `lead.${p.email}` },
      payload: compact(p),
      idempotencyKey: p.event_id,
      occurred: p.timestamp,
    }));
}

/** Events a sender preset decides by its own event type (a Calendly booking), on any endpoint. */
const PRESET_EVENTS: Record<PresetEvent, (body: Record<string, unknown>) => NormaliseResult> = {
  'lead.booked': leadEvent('lead.booked', bookingPayload),
  'lead.booking_canceled': leadEvent('lead.booking_canceled', bookingPayload),
  'lead.purchased': leadEvent('lead.purchased', purchasePayload),
};

const optIn = leadEvent('lead.opted_in', optInPayload);

const LEAD_ENDPOINTS: ReadonlySet<EndpointName> = new Set(['lead-optin', 'assessment']);

/**
 * The sender's own body (a preset's shape) read into Leadbell's field names first; what no
 * preset recognises is read with the owner's mapping, as Leadbell's own shape, by a guess, or
 * held (readUnknown). `headers` are the request's, lower-cased; `options` the endpoint's mapping
 * for this body's shape and its defaults.
 */
export function normalise(endpoint: EndpointName, raw: Record<string, unknown>, headers: SenderHeaders = {}, options: ReadOptions = {}): NormaliseResult {
  const loops = loopsWebhook(raw);
  if (loops && endpoint !== 'email-engagement') {
    const message = `is Loops' "${loops.eventName}" webhook: point Loops at /api/webhooks/email-engagement`;
    return { ok: false, errors: [{ path: 'eventName', message }] };
  }
  if (loops?.doNotContact) {
    return result(doNotContactPayload.safeParse(loops.doNotContact), (p) => ({
      event: DO_NOT_CONTACT_EVENT,
      resource: { [RESOURCE_ID]: `email.${p.email}` },
      payload: compact(p),
      occurred: p.timestamp,
    }));
  }
  if (loops && !loops.engagement) {
    return { ok: false, ignored: `Loops' "${loops.eventName}" is not an open or a click: nothing to do` };
  }
  const preset = loops ? null : recognizeSender(raw, headers, { assessment: endpoint === 'assessment' });
  if (!preset) return loops ? normaliseAs(endpoint, loops.engagement ?? raw) : readUnknown(endpoint, raw, options);
  if (preset.ignored !== undefined) return { ok: false, ignored: preset.ignored };
  const body = withDefaults(preset.body, options.defaults);
  // A booking or a purchase is that event wherever it was posted; a form on the generic
  // endpoint is an opt-in.
  const read = preset.event ? PRESET_EVENTS[preset.event](body) : endpoint === 'events' ? optIn(body) : normaliseAs(endpoint, body);
  return read.ok ? { ok: true, value: { ...read.value, sender: preset.sender.name } } : read;
}

/** A body no preset knows: on a lead endpoint, the saved mapping, Leadbell's names, a guess, or held. */
function readUnknown(endpoint: EndpointName, raw: Record<string, unknown>, options: ReadOptions): NormaliseResult {
  if (!LEAD_ENDPOINTS.has(endpoint)) return normaliseAs(endpoint, raw);
  const read = readLead(raw, endpoint === 'assessment', options);
  if (read.held !== undefined) return { ok: false, held: read.held };
  const typed = normaliseAs(endpoint, read.body);
  return typed.ok && read.note ? { ok: true, value: { ...typed.value, note: read.note } } : typed;
}

function normaliseAs(endpoint: EndpointName, body: Record<string, unknown>): NormaliseResult {
  switch (endpoint) {
    case 'lead-optin':
      return optIn(body);
    case 'assessment':
      return leadEvent('lead.assessment_complete', assessmentPayload)(liftAssessmentScore(body));
    case 'sales-page-visit':
      return result(salesPageVisitPayload.safeParse(body), (p) => ({
        event: 'visitor.sales_page_visit',
        resource: { [RESOURCE_ID]: `visitor.${p.visitor_id}` },
        payload: compact(p),
        idempotencyKey: p.event_id,
        occurred: p.timestamp,
      }));
    case 'email-engagement':
      return result(emailEngagementPayload.safeParse(body), (p) => ({
        event: p.event_type === 'open' ? 'email.opened' : 'email.clicked',
        resource: { [RESOURCE_ID]: `email.${p.email}` },
        payload: compact(p),
        idempotencyKey: p.event_id,
        occurred: p.timestamp,
      }));
    case 'events':
      return result(genericEnvelope.safeParse(body), (e) => {
        const noun = e.event.split('.')[0]!;
        // The same person must get the same resource id whichever endpoint they came through.
        const email = typeof e.payload.email === 'string' ? e.payload.email.trim().toLowerCase() : undefined;
        const subject = email || e.id;
        const resource = { ...(e.resource ?? {}) };
        if (!resource[RESOURCE_ID]) resource[RESOURCE_ID] = subject ? `${noun}.${subject}` : noun;
        return { event: e.event, resource, payload: e.payload, idempotencyKey: e.id, occurred: e.occurred };
      });
  }
}

/** Only times that parse are kept; a sender's clock text is not trusted blindly. */
export function normaliseOccurred(occurred: string | undefined, fallback: string): string {
  if (!occurred) return fallback;
  const t = Date.parse(occurred);
  return Number.isFinite(t) ? new Date(t).toISOString() : fallback;
}
