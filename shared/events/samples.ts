/**
 * Sample payloads for test-fire, docs and tests: the guide's examples, and a booking and a
 * purchase in their senders' own shapes (Calendly, Stripe Checkout), as those tools post them
 * to the opt-in address.
 */
import type { EndpointName } from './catalog.js';

export interface Sample {
  id: string;
  title: string;
  endpoint: EndpointName;
  body: Record<string, unknown>;
}

export const SAMPLES: readonly Sample[] = [
  {
    id: 'optin',
    title: 'Lead opt-in',
    endpoint: 'lead-optin',
    body: {
      email: 'test@example.com',
      first_name: 'Test',
      phone: '+1234567890',
      visitor_id: 'visitor-123',
      segment: 'beauty-salon',
      source: 'facebook-ad',
    },
  },
  {
    id: 'assessment-hot',
    title: 'Assessment: hot lead',
    endpoint: 'assessment',
    body: {
      email: 'test@example.com',
      first_name: 'Test',
      assessment_data: { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 },
    },
  },
  {
    id: 'assessment-warm',
    title: 'Assessment: warm lead',
    endpoint: 'assessment',
    body: {
      email: 'test@example.com',
      first_name: 'Test',
      assessment_data: { marketing: 6, sales: 5, operations: 6, finance: 5, team: 6, customer: 5, product: 6, leadership: 5 },
    },
  },
  {
    id: 'assessment-cold',
    title: 'Assessment: cold lead',
    endpoint: 'assessment',
    body: {
      email: 'test@example.com',
      first_name: 'Test',
      assessment_data: { marketing: 2, sales: 3, operations: 2, finance: 3, team: 2, customer: 3, product: 2, leadership: 3 },
    },
  },
  {
    id: 'sales-page-visit',
    title: 'Sales-page visit',
    endpoint: 'sales-page-visit',
    body: { visitor_id: 'visitor-123', page_url: 'https://example.com/pricing', duration: 45 },
  },
  {
    id: 'email-open',
    title: 'Email opened',
    endpoint: 'email-engagement',
    body: { email: 'test@example.com', event_type: 'open', email_id: 'email-1-immediate-cta' },
  },
  {
    id: 'email-click',
    title: 'Email clicked',
    endpoint: 'email-engagement',
    body: {
      email: 'test@example.com',
      event_type: 'click',
      email_id: 'email-1-immediate-cta',
      link_url: 'https://example.com/book',
    },
  },
  {
    id: 'booking',
    title: 'Booking made (Calendly)',
    endpoint: 'lead-optin',
    body: {
      event: 'invitee.created',
      created_at: '2026-11-20T17:51:19.000000Z',
      payload: {
        email: 'test@example.com',
        first_name: 'Test',
        last_name: 'Person',
        uri: 'https://api.calendly.com/scheduled_events/SAMPLE/invitees/SAMPLE',
        scheduled_event: { name: 'Consultation', start_time: '2026-11-24T09:00:00.000000Z', end_time: '2026-11-24T09:30:00.000000Z' },
        questions_and_answers: [],
      },
    },
  },
  {
    id: 'booking-canceled',
    title: 'Booking canceled (Calendly)',
    endpoint: 'lead-optin',
    body: {
      event: 'invitee.canceled',
      created_at: '2026-11-21T08:00:00.000000Z',
      payload: {
        email: 'test@example.com',
        first_name: 'Test',
        uri: 'https://api.calendly.com/scheduled_events/SAMPLE/invitees/SAMPLE',
        scheduled_event: { name: 'Consultation', start_time: '2026-11-24T09:00:00.000000Z' },
        cancellation: { reason: 'Away that week' },
      },
    },
  },
  {
    id: 'purchase',
    title: 'Purchase made (Stripe Checkout)',
    endpoint: 'lead-optin',
    body: {
      id: 'evt_sample',
      object: 'event',
      type: 'checkout.session.completed',
      created: 1_795_000_000,
      data: {
        object: {
          id: 'cs_test_sample',
          object: 'checkout.session',
          amount_total: 4500,
          currency: 'eur',
          customer_details: { email: 'test@example.com', name: 'Test Person', phone: null },
          payment_status: 'paid',
        },
      },
    },
  },
];

export function findSample(id: string): Sample | undefined {
  return SAMPLES.find((s) => s.id === id);
}
