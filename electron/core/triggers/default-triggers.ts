/**
 * The triggers a new data folder starts with: the guide's flows wired to their events. They are
 * ordinary triggers: the owner can edit, disable or delete them. Their parameters are each
 * flow's usual ones (see Flow.usualParameters), and they are also what a new automation for a
 * flow starts from in the editor (usualTrigger).
 */
import type { Trigger } from '../../../shared/api/models.js';
import { assessmentFlow } from '../flows/assessment.js';
import { emailEngagementFlow } from '../flows/email-engagement.js';
import type { Flow } from '../flows/flow.js';
import { leadBookedFlow, leadBookingCanceledFlow, leadPurchasedFlow } from '../flows/lead-milestone.js';
import { leadOptInFlow } from '../flows/lead-optin.js';
import { optInNotificationFlow } from '../flows/optin-notification.js';
import { salesPageVisitFlow } from '../flows/sales-page-visit.js';
import { segmentRoutingFlow } from '../flows/segment-routing.js';

const leadEvent = { 'prefect.resource.id': 'lead.*' };

/** `set`: the release of defaults it came with; data folders made before it get it once (TriggerStore.seedOnce). */
type DefaultTrigger = Pick<Trigger, 'id' | 'name' | 'match' | 'expect'> & { flow: Flow; set?: number };

const DEFAULTS: DefaultTrigger[] = [
  {
    id: 'lead-optin',
    name: 'Lead opt-in: store the lead, send the CTA email, audience, Notion',
    flow: leadOptInFlow,
    match: leadEvent,
    expect: ['lead.opted_in'],
  },
  {
    id: 'optin-slack',
    name: 'Lead opt-in: tell the team on Slack',
    flow: optInNotificationFlow,
    match: leadEvent,
    expect: ['lead.opted_in'],
  },
  {
    id: 'segment-nurture',
    name: 'Lead opt-in: start the nurture for the segment',
    flow: segmentRoutingFlow,
    match: leadEvent,
    expect: ['lead.opted_in'],
  },
  {
    id: 'assessment',
    name: 'Assessment completed: score and route',
    flow: assessmentFlow,
    match: leadEvent,
    expect: ['lead.assessment_complete'],
  },
  {
    id: 'lead-booked',
    set: 2,
    name: 'Booking made: mark the lead booked, tell the team',
    flow: leadBookedFlow,
    match: leadEvent,
    expect: ['lead.booked'],
  },
  {
    id: 'lead-booking-canceled',
    set: 2,
    name: 'Booking canceled: update the lead, tell the team',
    flow: leadBookingCanceledFlow,
    match: leadEvent,
    expect: ['lead.booking_canceled'],
  },
  {
    id: 'lead-purchased',
    set: 2,
    name: 'Purchase made: mark the lead a customer, tell the team',
    flow: leadPurchasedFlow,
    match: leadEvent,
    expect: ['lead.purchased'],
  },
  {
    id: 'sales-page-visit',
    name: 'Sales-page visit: engagement and follow-up',
    flow: salesPageVisitFlow,
    match: { 'prefect.resource.id': 'visitor.*' },
    expect: ['visitor.sales_page_visit'],
  },
  {
    id: 'email-engagement',
    name: 'Email opened or clicked: engagement points',
    flow: emailEngagementFlow,
    match: { 'prefect.resource.id': 'email.*' },
    expect: ['email.opened', 'email.clicked'],
  },
];

export function defaultTriggers(now: string): { trigger: Trigger; set: number }[] {
  return DEFAULTS.map(({ flow, set = 1, ...t }) => ({ set, trigger: defaultTrigger(flow, t, now) }));
}

function defaultTrigger(flow: Flow, t: Pick<Trigger, 'id' | 'name' | 'match' | 'expect'>, now: string): Trigger {
  return {
    ...t,
    flow: flow.name,
    parameters: flow.usualParameters,
    enabled: true,
    threshold: null,
    schedule_after_seconds: 0,
    run_on: 'here',
    created_at: now,
    updated_at: now,
  };
}

/**
 * How a new trigger for this flow is usually wired: the events and labels of the built-in
 * trigger for it (none for a flow without one: the owner picks them), and its usual parameters.
 */
export function usualTrigger(flow: Flow): Pick<Trigger, 'expect' | 'match' | 'parameters'> {
  const builtIn = DEFAULTS.find((t) => t.flow.name === flow.name);
  return { expect: builtIn?.expect ?? [], match: builtIn?.match ?? {}, parameters: flow.usualParameters };
}
