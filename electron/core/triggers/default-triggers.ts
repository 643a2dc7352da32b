/**
 * The triggers a new data folder starts with: the guide's flows wired to their events. They are
 * ordinary triggers: the owner can edit, disable or delete them.
 */
import type { Trigger } from '../../../shared/api/models.js';

const payload = (...fields: string[]) => Object.fromEntries(fields.map((f) => [f, `{{ event.payload.${f} }}`]));

const leadEvent = { 'prefect.resource.id': 'lead.*' };

type DefaultTrigger = Omit<Trigger, 'created_at' | 'updated_at' | 'enabled' | 'threshold' | 'schedule_after_seconds' | 'run_on'>;

const DEFAULTS: DefaultTrigger[] = [
  {
    id: 'lead-optin',
    name: 'Lead opt-in: store the lead, send the CTA email, audience, Notion',
    flow: 'lead-optin',
    match: leadEvent,
    expect: ['lead.opted_in'],
    parameters: payload('email', 'first_name', 'last_name', 'phone', 'visitor_id', 'segment', 'source'),
  },
  {
    id: 'optin-slack',
    name: 'Lead opt-in: tell the team on Slack',
    flow: 'optin-notification',
    match: leadEvent,
    expect: ['lead.opted_in'],
    parameters: payload('email', 'first_name', 'segment', 'source'),
  },
  {
    id: 'segment-nurture',
    name: 'Lead opt-in: start the nurture for the segment',
    flow: 'segment-routing',
    match: leadEvent,
    expect: ['lead.opted_in'],
    parameters: payload('email', 'first_name', 'segment'),
  },
  {
    id: 'assessment',
    name: 'Assessment completed: score and route',
    flow: 'assessment',
    match: leadEvent,
    expect: ['lead.assessment_complete'],
    parameters: payload('email', 'first_name', 'assessment_data', 'score', 'segment', 'source'),
  },
  {
    id: 'sales-page-visit',
    name: 'Sales-page visit: engagement and follow-up',
    flow: 'sales-page-visit',
    match: { 'prefect.resource.id': 'visitor.*' },
    expect: ['visitor.sales_page_visit'],
    parameters: payload('visitor_id', 'page_url', 'duration', 'email'),
  },
  {
    id: 'email-engagement',
    name: 'Email opened or clicked: engagement points',
    flow: 'email-engagement',
    match: { 'prefect.resource.id': 'email.*' },
    expect: ['email.opened', 'email.clicked'],
    parameters: payload('email', 'event_type', 'email_id', 'link_url'),
  },
];

export function defaultTriggers(now: string): Trigger[] {
  return DEFAULTS.map((t) => ({ ...t, enabled: true, threshold: null, schedule_after_seconds: 0, run_on: 'here', created_at: now, updated_at: now }));
}
