/** Every sample test-fire offers is read as the event it is named for. */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../shared/events/normalize.js';
import { SAMPLES } from '../../shared/events/samples.js';

const EXPECTED: Record<string, string> = {
  optin: 'lead.opted_in',
  'assessment-hot': 'lead.assessment_complete',
  'assessment-warm': 'lead.assessment_complete',
  'assessment-cold': 'lead.assessment_complete',
  'sales-page-visit': 'visitor.sales_page_visit',
  'email-open': 'email.opened',
  'email-click': 'email.clicked',
  booking: 'lead.booked',
  'booking-canceled': 'lead.booking_canceled',
  purchase: 'lead.purchased',
};

describe('samples', () => {
  it.each(SAMPLES.map((s) => [s.id, s] as const))('%s', (id, s) => {
    const r = normalise(s.endpoint, structuredClone(s.body));
    expect(r.ok && r.value.event, JSON.stringify(r)).toBe(EXPECTED[id]);
  });
});
