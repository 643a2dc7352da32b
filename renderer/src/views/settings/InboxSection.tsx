import { useState } from 'react';
import type { Settings } from '../../../../shared/settings.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { errorFor, errorMessage, fieldErrors } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatBytes } from '../../lib/format.js';

const wholeAtLeastOne = (text: string) => {
  const n = Number(text);
  return text.trim() === '' || !Number.isInteger(n) || n < 1 ? 'must be a whole number, 1 or more' : undefined;
};

/** How long and how much of the request log is kept, with what it takes now. */
export function InboxSection({ inbox }: { inbox: Settings['inbox'] }) {
  const [days, setDays] = useState(String(inbox.retention_days));
  const [cap, setCap] = useState(String(inbox.max_mb));
  const usage = useApiQuery('getInboxUsage', {}, { refetchInterval: 60_000 });
  const save = useApiMutation('updateSettings', ['getSettings', 'getInboxUsage']);
  const { push } = useToasts();
  const errors = fieldErrors(save.error, 'inbox.');
  const daysError = wholeAtLeastOne(days);
  const capError = wholeAtLeastOne(cap);
  const u = usage.data;

  return (
    <Card
      title="Request log"
      subtitle="Accepted requests are your record and are always kept whole. Rejected, spam, duplicate and ignored ones keep only their first 4 KB and are cleared out by age and size. Requests waiting for you to show Leadbell where their email is are kept whole until then, and count toward the size."
      labelledBy="inbox-title"
    >
      {u && (
        <dl className="facts facts-grid" data-testid="inbox-usage">
          <div>
            <dt>Accepted requests (kept)</dt>
            <dd>
              {u.accepted.rows.toLocaleString()} · {formatBytes(u.accepted.bytes)}
            </dd>
          </div>
          <div>
            <dt>Rejected, spam, duplicates and ignored</dt>
            <dd>
              {u.other.rows.toLocaleString()} · {formatBytes(u.other.bytes)} of {formatBytes(inbox.max_mb * 1024 * 1024)}
            </dd>
          </div>
          <div>
            <dt>Oldest of those</dt>
            <dd>{u.other.oldest ? new Date(u.other.oldest).toLocaleString() : 'none'}</dd>
          </div>
        </dl>
      )}
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (daysError || capError) return;
          save.mutate(
            { inbox: { retention_days: Number(days), max_mb: Number(cap) } },
            { onSuccess: () => push({ tone: 'good', title: 'Request log settings saved' }) },
          );
        }}
      >
        {save.error && !Object.keys(errors).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
        <Field label="Keep rejected requests for (days)" hint="Older ones are deleted." error={daysError ?? errorFor(errors, 'retention_days')}>
          {(p) => <input {...p} type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} />}
        </Field>
        <Field label="Space for rejected requests (MB)" hint="Past this, the oldest are deleted first." error={capError ?? errorFor(errors, 'max_mb')}>
          {(p) => <input {...p} type="number" min={1} value={cap} onChange={(e) => setCap(e.target.value)} />}
        </Field>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={Boolean(daysError || capError)}>
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}
