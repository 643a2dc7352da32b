/**
 * After an app is connected or fixed: "Send the welcome emails to the 34 leads that arrived before
 * Loops was connected", for all of them, those added in a date range, or a segment. The core sends
 * each lead's once, never to a lead that already got it, paced like any other call.
 */
import { useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatNumber } from '../../lib/format.js';

type Which = 'all' | 'dates' | 'segment';

/** A date field's day as the start of that day, this machine's time. */
const dayStart = (day: string, plusDays = 0): string | undefined => {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

export function CatchUpOffer({ integration, appLabel }: { integration: string; appLabel: string }) {
  const [which, setWhich] = useState<Which>('all');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [segment, setSegment] = useState('');
  const choice = {
    name: integration,
    ...(which === 'dates' && { from: dayStart(from), to: dayStart(to, 1) }),
    ...(which === 'segment' && segment.trim() && { segment: segment.trim() }),
  };
  const offer = useApiQuery('getCatchUp', choice);
  const everyone = useApiQuery('getCatchUp', { name: integration });
  const run = useApiMutation('runCatchUp', ['getCatchUp', 'listAppHealth', 'listRuns']);
  const { push } = useToasts();
  if (!everyone.data?.leads) return null;
  const what = (offer.data ?? everyone.data).steps.map((s) => s.label).join(' and ') || 'skipped steps';
  const leads = offer.data?.leads ?? 0;
  return (
    <section className="catch-up" aria-label={`Catch up with ${appLabel}`} data-testid={`catch-up-${integration}`}>
      <Notice tone="info" title={`Send the ${what} to the ${formatNumber(everyone.data.leads)} leads that arrived before ${appLabel} was connected`}>
        Each lead gets it once; leads that already have it are left out.
      </Notice>
      <Field label="Which leads">
        {(p) => (
          <select {...p} value={which} onChange={(e) => setWhich(e.target.value as Which)}>
            <option value="all">All of them</option>
            <option value="dates">Those added between two dates</option>
            <option value="segment">One segment</option>
          </select>
        )}
      </Field>
      {which === 'dates' && (
        <div className="form-row">
          <Field label="From">{(p) => <input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
          <Field label="To">{(p) => <input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
        </div>
      )}
      {which === 'segment' && <Field label="Segment">{(p) => <input {...p} value={segment} onChange={(e) => setSegment(e.target.value)} placeholder="beauty salon" />}</Field>}
      <div className="form-actions">
        <Button
          icon="send"
          size="sm"
          variant="primary"
          busy={run.isPending}
          disabled={!leads}
          onClick={() =>
            run.mutate(choice, {
              onSuccess: (r) => push({ tone: 'good', title: r.message }),
              onError: (e) => push({ tone: 'bad', title: 'Nothing was sent', body: errorMessage(e) }),
            })
          }
        >
          {leads ? `Send to ${formatNumber(leads)} ${leads === 1 ? 'lead' : 'leads'}` : 'No lead to send to'}
        </Button>
      </div>
    </section>
  );
}
