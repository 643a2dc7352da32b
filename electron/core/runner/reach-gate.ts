/**
 * The one rule for call steps that would reach a person who must not be reached: a lead marked
 * do-not-contact gets no email, no nurture sequence and no audience addition, whichever flow
 * plans them. The integration catalog says which apps reach the person (`reachesThePerson`).
 * Pure: the runner asks it for each call step it is about to hand over, and skips the step with
 * the reason it gives.
 */
import type { Lead } from '../../../shared/api/models.js';
import { isIntegrationName, INTEGRATIONS } from '../../../shared/integrations/index.js';

const REASON_WORDS: Record<NonNullable<Lead['do_not_contact']>['reason'], string> = {
  unsubscribed: 'unsubscribed',
  hard_bounced: 'their email bounced for good',
  spam_reported: 'marked an email as spam',
  owner: 'marked by you',
};

export function heldBack(integration: string, lead: Pick<Lead, 'do_not_contact'> | undefined): string | null {
  const dnc = lead?.do_not_contact;
  if (!dnc) return null;
  if (!isIntegrationName(integration)) return null;
  const entry: { label: string; reachesThePerson?: boolean } = INTEGRATIONS[integration];
  if (!entry.reachesThePerson) return null;
  const via = dnc.source === 'loops' ? ' via Loops' : '';
  const day = new Date(dnc.at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `Do not contact (${REASON_WORDS[dnc.reason]}${via} on ${day}): nothing was sent to ${entry.label}`;
}
