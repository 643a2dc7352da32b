/** The built-in flows, by name. */
import { assessmentFlow } from './assessment.js';
import { emailEngagementFlow } from './email-engagement.js';
import type { Flow } from './flow.js';
import { leadBookedFlow, leadBookingCanceledFlow, leadPurchasedFlow } from './lead-milestone.js';
import { leadOptInFlow } from './lead-optin.js';
import { optInNotificationFlow } from './optin-notification.js';
import { outboundWebhookFlow } from './outbound-webhook.js';
import { salesPageVisitFlow } from './sales-page-visit.js';
import { segmentRoutingFlow } from './segment-routing.js';

export const BUILT_IN_FLOWS: readonly Flow[] = [
  leadOptInFlow,
  optInNotificationFlow,
  segmentRoutingFlow,
  assessmentFlow,
  leadBookedFlow,
  leadBookingCanceledFlow,
  leadPurchasedFlow,
  salesPageVisitFlow,
  emailEngagementFlow,
  outboundWebhookFlow,
];

export function flowMap(flows: readonly Flow[] = BUILT_IN_FLOWS): ReadonlyMap<string, Flow> {
  return new Map(flows.map((f) => [f.name, f]));
}
