/**
 * Loops' own webhooks (https://loops.so/docs/webhooks): one address per Loops account gets every
 * event type, signed with Standard Webhooks, in Loops' body shape (`eventName`, `eventTime` in unix
 * seconds, `contactIdentity`, `email`). Opens and clicks become Leadbell's engagement fields; the
 * other event types are recognised so they can be acknowledged and left alone, not refused (a
 * sender whose deliveries keep failing retries them and may switch the webhook off).
 */
type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

const ENGAGEMENT: Record<string, 'open' | 'click'> = { 'email.opened': 'open', 'email.clicked': 'click' };

export type LoopsWebhook =
  /** An open or a click, in the email-engagement endpoint's field names. */
  | { eventName: string; engagement: Body }
  /** Any other Loops event type (a contact created, an email delivered, the dashboard's test event). */
  | { eventName: string; engagement: null };

/** The Loops event in a body, or null when the body is not Loops' webhook shape. */
export function loopsWebhook(body: Body): LoopsWebhook | null {
  const { eventName, webhookSchemaVersion } = body;
  if (typeof eventName !== 'string' || typeof webhookSchemaVersion !== 'string') return null;
  const type = ENGAGEMENT[eventName];
  if (!type) return { eventName, engagement: null };
  const contact = isObject(body.contactIdentity) ? body.contactIdentity : {};
  const email = isObject(body.email) ? body.email : {};
  const at = typeof body.eventTime === 'number' ? new Date(body.eventTime * 1000) : null;
  return {
    eventName,
    engagement: {
      // Left to the payload's own check: a missing address is refused there, by name.
      email: contact.email,
      event_type: type,
      ...(typeof email.id === 'string' && { email_id: email.id }),
      ...(typeof email.subject === 'string' && { subject: email.subject.slice(0, 500) }),
      ...(at && Number.isFinite(at.getTime()) && { timestamp: at.toISOString() }),
      source: 'loops',
    },
  };
}
