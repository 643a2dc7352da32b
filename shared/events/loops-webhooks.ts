/**
 * Loops' own webhooks (https://loops.so/docs/webhooks): one address per Loops account gets every
 * event type, signed with Standard Webhooks, in Loops' body shape (`eventName`, `eventTime` in unix
 * seconds, `contactIdentity`, `email`). Opens and clicks become Leadbell's engagement fields;
 * unsubscribes, hard bounces and spam reports mark the person do-not-contact; the other event
 * types are recognised so they can be acknowledged and left alone, not refused (a sender whose
 * deliveries keep failing retries them and may switch the webhook off).
 */
import type { DoNotContactReason } from '../api/models.js';
type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

const ENGAGEMENT: Record<string, 'open' | 'click'> = { 'email.opened': 'open', 'email.clicked': 'click' };

/**
 * Loops' events that say the person must not get more email (https://loops.so/docs/api-reference/webhooks/):
 * a hard bounce also unsubscribes the contact, and an unsubscribe link also sends contact.unsubscribed,
 * so one person may bring two of them; marking twice changes nothing.
 */
const DO_NOT_CONTACT: Record<string, Exclude<DoNotContactReason, 'owner'>> = {
  'contact.unsubscribed': 'unsubscribed',
  'email.unsubscribed': 'unsubscribed',
  'email.hardBounced': 'hard_bounced',
  'email.spamReported': 'spam_reported',
};

/** The event Leadbell makes of them. */
export const DO_NOT_CONTACT_EVENT = 'contact.do_not_contact';

export type LoopsWebhook =
  /** An open or a click, in the email-engagement endpoint's field names. */
  | { eventName: string; engagement: Body; doNotContact?: undefined }
  /** An unsubscribe, hard bounce or spam report: the person, why, and when. */
  | { eventName: string; engagement: null; doNotContact: Body }
  /** Any other Loops event type (a contact created, an email delivered, the dashboard's test event). */
  | { eventName: string; engagement: null; doNotContact?: undefined };

/** The Loops event in a body, or null when the body is not Loops' webhook shape. */
export function loopsWebhook(body: Body): LoopsWebhook | null {
  const { eventName, webhookSchemaVersion } = body;
  if (typeof eventName !== 'string' || typeof webhookSchemaVersion !== 'string') return null;
  const type = ENGAGEMENT[eventName];
  const dnc = DO_NOT_CONTACT[eventName];
  if (!type && !dnc) return { eventName, engagement: null };
  const contact = isObject(body.contactIdentity) ? body.contactIdentity : {};
  const email = isObject(body.email) ? body.email : {};
  const at = typeof body.eventTime === 'number' ? new Date(body.eventTime * 1000) : null;
  const timestamp = at && Number.isFinite(at.getTime()) ? { timestamp: at.toISOString() } : {};
  if (dnc) {
    return {
      eventName,
      engagement: null,
      doNotContact: {
        email: contact.email,
        reason: dnc,
        loops_event: eventName,
        ...(typeof email.id === 'string' && { email_id: email.id }),
        ...timestamp,
        source: 'loops',
      },
    };
  }
  return {
    eventName,
    engagement: {
      // Left to the payload's own check: a missing address is refused there, by name.
      email: contact.email,
      event_type: type,
      ...(typeof email.id === 'string' && { email_id: email.id }),
      ...(typeof email.subject === 'string' && { subject: email.subject.slice(0, 500) }),
      ...timestamp,
      source: 'loops',
    },
  };
}
