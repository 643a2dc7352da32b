import { describe, expect, it } from 'vitest';
import { normalise } from '../../shared/events/normalize.js';

// Shapes from Typeform's and Tally's webhook documentation.
const typeform = {
  event_id: '01HTYPEFORMEVENT',
  event_type: 'form_response',
  form_response: {
    form_id: 'lT4Z3j',
    submitted_at: '2026-11-20T10:00:00Z',
    hidden: { visitor_id: 'visitor-77', segment: 'fitness' },
    calculated: { score: 0 },
    answers: [
      { type: 'text', text: 'Laura', field: { id: 'a1', type: 'short_text', ref: 'first_name' } },
      { type: 'email', email: 'Laura@Example.com', field: { id: 'a2', type: 'email', ref: 'your-email' } },
      { type: 'phone_number', phone_number: '+447700900123', field: { id: 'a3', type: 'phone_number', ref: 'tel' } },
      { type: 'number', number: 8, field: { id: 'a4', type: 'opinion_scale', ref: 'Marketing' } },
      { type: 'number', number: 6, field: { id: 'a5', type: 'rating', ref: 'sales' } },
      { type: 'choice', choice: { label: 'Salon' }, field: { id: 'a6', type: 'multiple_choice', ref: 'business_type' } },
    ],
  },
};

describe('native form-tool bodies', () => {
  it('Typeform: answers by ref, email and phone by type, hidden fields, ratings, delivery id', () => {
    const r = normalise('assessment', typeform);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.event).toBe('lead.assessment_complete');
    expect(r.value.idempotencyKey).toBe('01HTYPEFORMEVENT');
    expect(r.value.occurred).toBe('2026-11-20T10:00:00Z');
    expect(r.value.payload).toMatchObject({
      email: 'laura@example.com',
      first_name: 'Laura',
      phone: '+447700900123',
      visitor_id: 'visitor-77',
      segment: 'fitness',
      source: 'typeform',
      business_type: 'Salon',
      assessment_data: { marketing: 8, sales: 6 },
      score: 0,
    });
  });

  it('Typeform opt-in: numeric answers stay plain fields', () => {
    const r = normalise('lead-optin', typeform);
    expect(r.ok && r.value.payload.marketing).toBe(8);
    expect(r.ok && r.value.payload.assessment_data).toBeUndefined();
  });

  it('Tally: fields by label, typed email and phone', () => {
    const r = normalise('lead-optin', {
      eventId: 'tally-evt-1',
      eventType: 'FORM_RESPONSE',
      createdAt: '2026-11-20T10:00:00Z',
      data: {
        fields: [
          { key: 'question_1', label: 'First name', type: 'INPUT_TEXT', value: 'Omar' },
          { key: 'question_2', label: 'Work email', type: 'INPUT_EMAIL', value: 'omar@garage.example' },
          { key: 'question_3', label: 'Mobile', type: 'INPUT_PHONE_NUMBER', value: '+15550100' },
        ],
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.idempotencyKey).toBe('tally-evt-1');
    expect(r.value.payload).toMatchObject({ first_name: 'Omar', email: 'omar@garage.example', phone: '+15550100', source: 'tally' });
  });

  it('a Typeform response without an email question is a clear 422 on email', () => {
    const r = normalise('lead-optin', { event_id: 'x', form_response: { answers: [] } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors?.[0]).toEqual({ path: 'email', message: 'is required' });
  });
});

// Shapes from Loops' webhook reference (its OpenAPI `webhooks` block, schema version 1.0.0).
const loops = (eventName: string, extra: Record<string, unknown> = {}) => ({
  eventName,
  eventTime: 1_764_000_000,
  webhookSchemaVersion: '1.0.0',
  contactIdentity: { id: 'cm1contact', email: 'Mia@Salon.example', userId: null },
  ...extra,
});
const loopsEmail = { email: { id: 'cm1email', emailMessageId: 'cm1sent', subject: 'Your first week' }, sourceType: 'loop', loopId: 'cm1loop' };

describe("Loops' own webhooks", () => {
  it.each([
    ['email.opened', 'email.opened'],
    ['email.clicked', 'email.clicked'],
  ])('%s becomes %s for the contact, with the email and the time Loops gives', (loopsEvent, event) => {
    const r = normalise('email-engagement', loops(loopsEvent, loopsEmail));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.event).toBe(event);
    expect(r.value.resource['prefect.resource.id']).toBe('email.mia@salon.example');
    expect(r.value.occurred).toBe(new Date(1_764_000_000 * 1000).toISOString());
    expect(r.value.payload).toMatchObject({ email: 'mia@salon.example', email_id: 'cm1email', subject: 'Your first week', source: 'loops' });
  });

  it.each(['email.delivered', 'contact.created', 'campaign.email.sent', 'contact.mailingList.unsubscribed'])(
    'the other event types Loops sends to the same address (%s) are acknowledged and left alone',
    (loopsEvent) => {
      const r = normalise('email-engagement', loops(loopsEvent, loopsEmail));
      expect(r).toEqual({ ok: false, ignored: `Loops' "${loopsEvent}" is not an open or a click: nothing to do` });
    },
  );

  it.each([
    ['contact.unsubscribed', 'unsubscribed'],
    ['email.unsubscribed', 'unsubscribed'],
    ['email.hardBounced', 'hard_bounced'],
    ['email.spamReported', 'spam_reported'],
  ])("Loops' %s becomes a do-not-contact event about the contact (%s)", (loopsEvent, reason) => {
    const r = normalise('email-engagement', loops(loopsEvent, loopsEmail));
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.value).toMatchObject({
      event: 'contact.do_not_contact',
      resource: { 'prefect.resource.id': 'email.mia@salon.example' },
      payload: { email: 'mia@salon.example', reason, loops_event: loopsEvent, source: 'loops' },
    });
  });

  it("the dashboard's test event, which has no contact, is acknowledged too", () => {
    const r = normalise('email-engagement', { eventName: 'testing.testEvent', eventTime: 1_764_000_000, message: 'test', webhookSchemaVersion: '1.0.0' });
    expect(!r.ok && r.ignored).toMatch(/testing\.testEvent/);
  });

  it('an open without a contact address is refused on the email field', () => {
    const r = normalise('email-engagement', loops('email.opened', { ...loopsEmail, contactIdentity: { id: 'x', userId: null } }));
    expect(!r.ok && r.errors?.[0]?.path).toBe('email');
  });

  it('on any other endpoint a Loops body is refused, saying where Loops should point', () => {
    for (const endpoint of ['lead-optin', 'assessment', 'sales-page-visit', 'events'] as const) {
      const r = normalise(endpoint, loops('email.opened', loopsEmail));
      expect(!r.ok && r.errors).toEqual([{ path: 'eventName', message: `is Loops' "email.opened" webhook: point Loops at /api/webhooks/email-engagement` }]);
    }
  });
});
