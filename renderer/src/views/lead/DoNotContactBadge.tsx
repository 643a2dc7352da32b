/** "Do not contact — unsubscribed via Loops on 3 Dec", and the owner's own mark and clear. */
import { useState } from 'react';
import type { Lead } from '../../../../shared/api/models.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDate } from '../../lib/format.js';

const REASONS: Record<string, string> = {
  unsubscribed: 'unsubscribed',
  hard_bounced: 'their email bounced',
  spam_reported: 'reported an email as spam',
  owner: 'marked by you',
};
export const dncReasonWords = (reason: string): string => REASONS[reason] ?? reason;

export function doNotContactWords(dnc: NonNullable<Lead['do_not_contact']>): string {
  return `Do not contact — ${dncReasonWords(dnc.reason)}${dnc.source === 'loops' ? ' via Loops' : ''} on ${formatDate(dnc.at)}`;
}

export function DoNotContactBadge({ lead }: { lead: Lead }) {
  return lead.do_not_contact ? (
    <Badge tone="bad" title={lead.do_not_contact.note ?? undefined}>
      {doNotContactWords(lead.do_not_contact)}
    </Badge>
  ) : null;
}

/** The owner marks the lead (with an optional reason) or clears the mark. */
export function DoNotContactControl({ lead }: { lead: Lead }) {
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  const set = useApiMutation('setLeadDoNotContact', ['getLead', 'listLeads']);
  const { push } = useToasts();
  const change = (on: boolean) =>
    set.mutate(
      { id: lead.id, do_not_contact: on, ...(on && note.trim() && { note: note.trim() }) },
      {
        onSuccess: () => {
          setAsking(false);
          setNote('');
        },
        onError: (e) => push({ tone: 'bad', title: 'Not changed', body: errorMessage(e) }),
      },
    );
  if (lead.do_not_contact)
    return (
      <Button size="sm" busy={set.isPending} onClick={() => change(false)}>
        Allow contact again
      </Button>
    );
  if (!asking)
    return (
      <Button size="sm" onClick={() => setAsking(true)}>
        Do not contact
      </Button>
    );
  return (
    <form
      className="inline-form"
      aria-label="Mark do not contact"
      onSubmit={(e) => {
        e.preventDefault();
        change(true);
      }}
    >
      <label className="inline-field">
        <span>Why (optional)</span>
        <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Asked on the phone" />
      </label>
      <Button type="submit" size="sm" variant="danger" busy={set.isPending}>
        Mark do not contact
      </Button>
      <Button size="sm" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </form>
  );
}
