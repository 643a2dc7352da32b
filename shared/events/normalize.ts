/**
 * Turns a parsed request body for an endpoint into a typed event (or field-level errors).
 * Shared so the UI's test-fire editor validates exactly as the receiver does.
 */
import type { z } from 'zod';
import type { EndpointName } from './catalog.js';
import {
  assessmentPayload,
  emailEngagementPayload,
  genericEnvelope,
  liftAssessmentScore,
  optInPayload,
  salesPageVisitPayload,
} from './payloads.js';
import { loopsWebhook } from './loops-webhooks.js';
import { adaptSenderFormat } from './sender-formats.js';

export interface NormalisedEvent {
  event: string;
  resource: Record<string, string>;
  payload: Record<string, unknown>;
  /** A sender-given id that makes a repeat a duplicate (payload event_id or envelope id). */
  idempotencyKey?: string;
  occurred?: string;
}

export interface FieldError {
  path: string;
  message: string;
}

export type NormaliseResult =
  | { ok: true; value: NormalisedEvent }
  | { ok: false; errors: FieldError[]; ignored?: undefined }
  /** A sender's event Leadbell has no use for (Loops sends every event type to one address): acknowledged, stored, not turned into an event. */
  | { ok: false; ignored: string; errors?: undefined };

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

export function normalise(endpoint: EndpointName, raw: Record<string, unknown>): NormaliseResult {
  const loops = loopsWebhook(raw);
  if (loops && endpoint !== 'email-engagement') {
    const message = `is Loops' "${loops.eventName}" webhook: point Loops at /api/webhooks/email-engagement`;
    return { ok: false, errors: [{ path: 'eventName', message }] };
  }
  if (loops && !loops.engagement) {
    return { ok: false, ignored: `Loops' "${loops.eventName}" is not an open or a click: nothing to do` };
  }
  const body = loops?.engagement ?? (endpoint === 'events' ? raw : adaptSenderFormat(raw, endpoint === 'assessment'));
  switch (endpoint) {
    case 'lead-optin':
      return result(optInPayload.safeParse(body), (p) => ({
        event: 'lead.opted_in',
        resource: { [RESOURCE_ID]: `lead.${p.email}` },
        payload: compact(p),
        idempotencyKey: p.event_id,
        occurred: p.timestamp,
      }));
    case 'assessment':
      return result(assessmentPayload.safeParse(liftAssessmentScore(body)), (p) => ({
        event: 'lead.assessment_complete',
        resource: { [RESOURCE_ID]: `lead.${p.email}` },
        payload: compact(p),
        idempotencyKey: p.event_id,
        occurred: p.timestamp,
      }));
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
