/**
 * zod schemas for each public endpoint. They accept the guide's flat payload and its nested
 * shape (`metadata.visitor_id`, `metadata.segment`, `metadata.source`), form-encoded strings
 * included, and produce one normalised payload per event.
 */
import { z } from 'zod';
import { httpUrlField, HTTP_URL_MESSAGE } from '../http-url.js';
import { EVENT_NAME_PATTERN } from './catalog.js';

const MAX_TEXT = 1000;

/** Empty strings from HTML forms mean "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalText = (max = MAX_TEXT) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `must be at most ${max} characters`).optional());

export const emailField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.email({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a valid email address') }).max(254),
);

const numberField = (min: number, max: number) =>
  z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(b.trim()) ? Number(b) : b;
    },
    z
      .number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number') })
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );

const metadataSchema = z
  .object({
    visitor_id: optionalText(200),
    segment: optionalText(100),
    source: optionalText(200),
  })
  .loose()
  .optional();

/** A lead's own fields as a webhook takes them: the owner's edits and added leads are checked the same way. */
export const leadFieldSchemas = {
  email: emailField,
  first_name: optionalText(200),
  last_name: optionalText(200),
  phone: optionalText(50),
  segment: optionalText(100),
  source: optionalText(200),
};

/** Fields every lead-ish payload may carry; metadata values fill in what the top level lacks. */
const leadBase = {
  ...leadFieldSchemas,
  visitor_id: optionalText(200),
  timestamp: optionalText(64),
  event_id: optionalText(200),
  metadata: metadataSchema,
};

function liftMetadata<T extends { metadata?: Record<string, unknown> | undefined; visitor_id?: string; segment?: string; source?: string }>(
  p: T,
) {
  const m = p.metadata ?? {};
  const pick = (k: 'visitor_id' | 'segment' | 'source') =>
    p[k] ?? (typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined);
  return { ...p, visitor_id: pick('visitor_id'), segment: pick('segment')?.toLowerCase(), source: pick('source') };
}

export const optInPayload = z.object(leadBase).loose().transform(liftMetadata);

const optionalTime = z.preprocess(
  blankToUndefined,
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
);

/** A booking made or canceled (Calendly's invitee): the lead, and what was booked for when. */
export const bookingPayload = z
  .object({
    ...leadBase,
    booking_name: optionalText(300),
    start_time: optionalTime,
    end_time: optionalTime,
    cancel_url: z.preprocess(blankToUndefined, z.url({ error: 'must be a full URL' }).max(2000).optional()),
    reschedule_url: z.preprocess(blankToUndefined, z.url({ error: 'must be a full URL' }).max(2000).optional()),
    cancel_reason: optionalText(1000),
  })
  .loose()
  .transform(liftMetadata);

/** A purchase (a completed Stripe Checkout): the lead, and what they paid. */
export const purchasePayload = z
  .object({
    ...leadBase,
    amount: numberField(0, 1e12).optional(),
    currency: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim().toUpperCase() : blankToUndefined(v)),
      z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code like "EUR"').optional(),
    ),
    checkout_session_id: optionalText(300),
    payment_status: optionalText(50),
  })
  .loose()
  .transform(liftMetadata);

export const MAX_ASSESSMENT_SYSTEMS = 8;

const assessmentData = z
  .record(z.string().max(100), numberField(0, 10))
  .refine((r) => Object.keys(r).length <= MAX_ASSESSMENT_SYSTEMS, {
    message: `has at most ${MAX_ASSESSMENT_SYSTEMS} ratings`,
  });

export const assessmentPayload = z
  .object({
    ...leadBase,
    notion_id: optionalText(100),
    assessment_data: z.preprocess(
      (v) => {
        // A ready score may come inside assessment_data; it is lifted to the top level.
        if (v && typeof v === 'object' && !Array.isArray(v) && 'score' in v) {
          const { score: _score, ...rest } = v as Record<string, unknown>;
          return Object.keys(rest).length ? rest : undefined;
        }
        return blankToUndefined(v);
      },
      assessmentData.optional(),
    ),
    score: numberField(0, 100).optional(),
  })
  .loose()
  .transform(liftMetadata)
  .superRefine((p, ctx) => {
    if (p.score === undefined && (!p.assessment_data || Object.keys(p.assessment_data).length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['assessment_data'],
        message: 'is required: an object of 1-8 ratings from 0 to 10, or give a ready score from 0 to 100',
      });
    }
  });

/** Reads a ready score given inside assessment_data before the schema strips it. */
export function liftAssessmentScore(body: Record<string, unknown>): Record<string, unknown> {
  const data = body.assessment_data;
  if (body.score === undefined && data && typeof data === 'object' && !Array.isArray(data) && 'score' in data) {
    return { ...body, score: (data as Record<string, unknown>).score };
  }
  return body;
}

export const salesPageVisitPayload = z
  .object({
    visitor_id: z.preprocess(blankToUndefined, z.string({ error: 'is required' }).trim().min(1).max(200)),
    page_url: z.preprocess(blankToUndefined, httpUrlField.max(2000)),
    duration: numberField(0, 86_400).default(0),
    email: emailField.optional(),
    timestamp: optionalText(64),
    event_id: optionalText(200),
    metadata: metadataSchema,
  })
  .loose()
  .transform((p) => {
    const m = p.metadata ?? {};
    const pick = (k: 'segment' | 'source') =>
      typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : typeof m[k] === 'string' && m[k] !== '' ? (m[k] as string) : undefined;
    return { ...p, segment: pick('segment')?.toLowerCase(), source: pick('source') };
  });

const engagementType = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z
    .enum(['open', 'opened', 'click', 'clicked'], { error: 'must be "open" or "click"' })
    .transform((t) => (t.startsWith('open') ? ('open' as const) : ('click' as const))),
);

export const emailEngagementPayload = z
  .object({
    email: emailField,
    event_type: engagementType,
    email_id: optionalText(200),
    link_url: z.preprocess(blankToUndefined, httpUrlField.max(2000).optional()),
    timestamp: optionalText(64),
    event_id: optionalText(200),
  })
  .loose();

/** The address fields of the catalog's events: in an `events` envelope too, only http(s). */
export const EVENT_URL_FIELDS = ['page_url', 'link_url'] as const;
/** A person who must not be contacted (Loops' unsubscribes, hard bounces and spam reports). */
export const doNotContactPayload = z
  .object({
    email: emailField,
    reason: z.enum(['unsubscribed', 'hard_bounced', 'spam_reported']),
    loops_event: optionalText(100),
    email_id: optionalText(200),
    timestamp: optionalText(64),
    source: optionalText(50),
  })
  .loose();

const labelValue = z.string().max(500);

export const genericEnvelope = z.object({
  event: z
    .string({ error: 'is required' })
    .max(200)
    .regex(EVENT_NAME_PATTERN, 'must be hierarchical like "lead.opted_in" (noun.verb_phrase, lower case)'),
  resource: z
    .record(z.string().max(200), labelValue)
    .refine((r) => Object.keys(r).length <= 50, { message: 'has at most 50 labels' })
    .optional(),
  payload: z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((payload, ctx) => {
      for (const field of EVENT_URL_FIELDS) {
        const v = payload[field];
        if (v !== undefined && v !== '' && !httpUrlField.safeParse(v).success) ctx.addIssue({ code: 'custom', path: [field], message: HTTP_URL_MESSAGE });
      }
    }),
  id: optionalText(200),
  occurred: z.preprocess(blankToUndefined, z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional()),
});

export type OptInPayload = z.output<typeof optInPayload>;
export type AssessmentPayload = z.output<typeof assessmentPayload>;
export type SalesPageVisitPayload = z.output<typeof salesPageVisitPayload>;
export type EmailEngagementPayload = z.output<typeof emailEngagementPayload>;
export type BookingPayload = z.output<typeof bookingPayload>;
export type PurchasePayload = z.output<typeof purchasePayload>;
export type GenericEnvelope = z.output<typeof genericEnvelope>;
