/**
 * Do-not-contact: Loops' unsubscribes, hard bounces and spam reports mark the person, and the
 * owner can mark or clear by hand. The mark keeps why, who said so and when; each change is on
 * the lead's timeline. What it holds back is the runner's reach gate (runner/reach-gate.ts).
 */
import type { DoNotContact, EventRecord } from '../../../shared/api/models.js';
import { DO_NOT_CONTACT_EVENT } from '../../../shared/events/loops-webhooks.js';
import { doNotContactPayload } from '../../../shared/events/payloads.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';
import type { LeadStore } from '../storage/lead-store.js';

export interface DoNotContactDeps {
  leads: LeadStore;
  activity: LeadActivityStore;
}

/** Sets or clears the mark and notes it on the timeline; returns whether anything changed. */
export function setDoNotContact(d: DoNotContactDeps, leadId: string, mark: DoNotContact | null, at: string): boolean {
  const lead = d.leads.get(leadId);
  if (!lead || (mark === null && lead.do_not_contact === null)) return false;
  // A second Loops event about the same person (a bounce also unsubscribes) keeps the first mark.
  if (mark && lead.do_not_contact && mark.source === 'loops' && lead.do_not_contact.source === 'loops') return false;
  d.leads.setDoNotContact(leadId, mark);
  d.activity.add(leadId, 'do_not_contact', at, {
    text: mark?.note ?? null,
    detail: mark ? { set: true, reason: mark.reason, source: mark.source } : { set: false },
  });
  return true;
}

/**
 * What an event itself says about its lead, applied once, in the transaction that dispatches it
 * (before any automation runs for it), whatever automations exist. Returns the lead changed, if any.
 */
export function applyLeadFacts(d: DoNotContactDeps, e: EventRecord): string | null {
  if (e.event !== DO_NOT_CONTACT_EVENT) return null;
  const p = doNotContactPayload.safeParse(e.payload);
  if (!p.success) return null;
  const lead = d.leads.byEmail(p.data.email);
  if (!lead) return null;
  const changed = setDoNotContact(d, lead.id, { reason: p.data.reason, source: 'loops', at: e.occurred, note: null }, e.received_at);
  return changed ? lead.id : null;
}
