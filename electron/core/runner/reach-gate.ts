/**
 * The one rule for call steps that must not go out, whichever flow plans them:
 * - the owner's test (a test-fired event, or any run about a test lead) calls no connected app,
 *   unless the owner chose "Send for real";
 * - a lead marked do-not-contact gets no email, no nurture sequence and no audience addition (the
 *   integration catalog says which apps reach the person: `reachesThePerson`).
 * Pure: the runner asks it for each call step it is about to hand over, and skips the step with
 * the reason it gives.
 */
import type { Lead } from '../../../shared/api/models.js';
import { isIntegrationName, INTEGRATIONS } from '../../../shared/integrations/index.js';
import { TEST_HOLD_REASON, type TestMark } from '../../../shared/events/test-mark.js';

const REASON_WORDS: Record<NonNullable<Lead['do_not_contact']>['reason'], string> = {
  unsubscribed: 'unsubscribed',
  hard_bounced: 'their email bounced for good',
  spam_reported: 'marked an email as spam',
  owner: 'marked by you',
};

export function heldBack(integration: string, lead: Pick<Lead, 'do_not_contact' | 'is_test'> | undefined, test: TestMark | null): string | null {
  if (!isIntegrationName(integration)) return null;
  const entry: { label: string; reachesThePerson?: boolean } = INTEGRATIONS[integration];
  if (test === 'true' || (lead?.is_test && test !== 'send_for_real')) {
    return `${TEST_HOLD_REASON} ${entry.label} (choose "Send for real" when test-firing to send it)`;
  }
  const dnc = lead?.do_not_contact;
  if (!dnc) return null;
  if (!entry.reachesThePerson) return null;
  const via = dnc.source === 'loops' ? ' via Loops' : '';
  const day = new Date(dnc.at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `Do not contact (${REASON_WORDS[dnc.reason]}${via} on ${day}): nothing was sent to ${entry.label}`;
}
