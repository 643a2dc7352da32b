/**
 * Calendly: `{event: "invitee.created" | "invitee.canceled", created_at, payload: <the invitee>}`;
 * the invitee carries email, first_name/last_name (or name), text_reminder_number,
 * scheduled_event {name, start_time, end_time}, questions_and_answers, tracking (utm_*),
 * cancel_url, reschedule_url, cancellation {reason}. A booking is `lead.booked` and a
 * cancellation `lead.booking_canceled` on whichever endpoint Calendly posts to; Calendly's other
 * event types are acknowledged and left alone. The delivery is the event and the invitee's uri.
 */
import type { PresetEvent, SenderPreset } from './entry.js';
import { flatten, isObject, splitName, text, type Answer } from './fields.js';

const EVENTS: Record<string, PresetEvent> = { 'invitee.created': 'lead.booked', 'invitee.canceled': 'lead.booking_canceled' };

export const calendly: SenderPreset = {
  name: 'calendly',
  label: 'Calendly',
  docs: 'https://developer.calendly.com/api-docs/overview/webhooks (webhook payloads); https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures',
  recognize: (body) => typeof body.event === 'string' && /^(invitee|invitee_no_show|routing_form_submission|event_type)\./.test(body.event) && isObject(body.payload),
  read(body, { assessment }) {
    const event = EVENTS[body.event as string];
    if (!event) return { ignored: `Calendly's "${String(body.event)}" is not a booking or a cancellation: nothing to do` };
    const p = body.payload as Record<string, unknown>;
    const scheduled = isObject(p.scheduled_event) ? p.scheduled_event : {};
    const tracking = isObject(p.tracking) ? p.tracking : {};
    const cancellation = isObject(p.cancellation) ? p.cancellation : {};
    const named = text(p.first_name) ? { first_name: text(p.first_name), last_name: text(p.last_name) } : splitName(text(p.name) ?? '');
    const questions: Answer[] = (Array.isArray(p.questions_and_answers) ? p.questions_and_answers.filter(isObject) : []).map((q) => ({
      key: String(q.question ?? ''),
      kind: 'other',
      value: q.answer,
    }));
    return {
      event,
      body: flatten(
        questions,
        {
          email: p.email,
          ...named,
          phone: text(p.text_reminder_number),
          booking_name: text(scheduled.name),
          start_time: text(scheduled.start_time),
          end_time: text(scheduled.end_time),
          cancel_url: text(p.cancel_url),
          reschedule_url: text(p.reschedule_url),
          rescheduled: typeof p.rescheduled === 'boolean' ? p.rescheduled : undefined,
          cancel_reason: text(cancellation.reason),
          ...(text(p.uri) && { event_id: `calendly:${String(body.event)}:${text(p.uri)}` }),
          ...(text(body.created_at) && { timestamp: text(body.created_at) }),
          source: text(tracking.utm_source) ?? 'calendly',
        },
        assessment,
      ),
    };
  },
};
