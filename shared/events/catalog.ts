/** The typed events Leadbell knows, and the public endpoints that produce them. */

export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const KNOWN_EVENTS = [
  'lead.opted_in',
  'lead.assessment_complete',
  'lead.booked',
  'lead.booking_canceled',
  'lead.purchased',
  'visitor.sales_page_visit',
  'email.opened',
  'email.clicked',
  'contact.do_not_contact',
] as const;
export type KnownEvent = (typeof KNOWN_EVENTS)[number];

export const ENDPOINTS = ['lead-optin', 'assessment', 'sales-page-visit', 'email-engagement', 'events'] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

export interface EndpointInfo {
  name: EndpointName;
  title: string;
  /** Event names this endpoint can emit. */
  emits: readonly string[];
  description: string;
}

export const ENDPOINT_INFO: Record<EndpointName, EndpointInfo> = {
  'lead-optin': {
    name: 'lead-optin',
    title: 'Lead opt-in',
    emits: ['lead.opted_in'],
    description:
      "A landing-page or form sign-up: email, first_name, phone, visitor_id, segment, source. A form tool's own webhook (Typeform, Tally, Jotform, Webflow, Elementor, Google Forms, Contact Form 7) is read too; a Calendly booking or a Stripe Checkout posted here is a booking or a purchase.",
  },
  assessment: {
    name: 'assessment',
    title: 'Assessment complete',
    emits: ['lead.assessment_complete'],
    description: 'A finished quiz or assessment: email, first_name and assessment_data (ratings 0-10) or a ready score 0-100.',
  },
  'sales-page-visit': {
    name: 'sales-page-visit',
    title: 'Sales-page visit',
    emits: ['visitor.sales_page_visit'],
    description: 'A visitor on the sales or pricing page: visitor_id, page_url, duration in seconds.',
  },
  'email-engagement': {
    name: 'email-engagement',
    title: 'Email opened or clicked',
    emits: ['email.opened', 'email.clicked', 'contact.do_not_contact'],
    description:
      "An email open or click from the email tool: email, event_type (open or click), email_id, link_url. Loops' own webhooks too: its unsubscribes, hard bounces and spam reports mark the person do-not-contact.",
  },
  events: {
    name: 'events',
    title: 'Any event',
    emits: ['*'],
    description: 'A generic envelope {event, resource?, payload, id?, occurred?} for any hierarchical event name.',
  },
};

export function isEndpointName(name: string): name is EndpointName {
  return (ENDPOINTS as readonly string[]).includes(name);
}
