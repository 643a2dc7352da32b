/** Changes every lead the list shows at once: moves them to a stage, adds or removes a tag. */
import { useState } from 'react';
import type { LeadFilters } from '../../../../shared/api/contract.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { useToasts } from '../../components/Toasts.js';
import { humanize } from '../../lib/labels.js';
import { formatNumber } from '../../lib/format.js';

export function BulkChange({ filters }: { filters: LeadFilters }) {
  const shown = useApiQuery('listLeads', { ...filters, limit: 1 }).data?.total;
  const settings = useApiQuery('getSettings', {});
  const stages = settings.data?.settings.leads.owner_stages ?? [];
  const [stage, setStage] = useState('');
  const [tag, setTag] = useState('');
  const [tagAction, setTagAction] = useState<'add' | 'remove'>('add');
  const change = useApiMutation('bulkUpdateLeads', ['listLeads', 'getLead']);
  const { push } = useToasts();
  if (!shown) return null;
  const apply = () =>
    change.mutate(
      {
        filter: filters,
        ...(stage && { owner_stage: stage }),
        ...(tag.trim() && (tagAction === 'add' ? { add_tags: [tag.trim()] } : { remove_tags: [tag.trim()] })),
      },
      {
        onSuccess: (r) => {
          push({ tone: 'good', title: `${r.updated} ${r.updated === 1 ? 'lead' : 'leads'} changed` });
          setStage('');
          setTag('');
        },
        onError: (e) => push({ tone: 'bad', title: 'Nothing was changed', body: errorMessage(e) }),
      },
    );
  return (
    <form
      className="toolbar bulk-change"
      aria-label="Change the leads shown"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <span className="muted">
        Change all {formatNumber(shown)} {shown === 1 ? 'lead' : 'leads'} shown:
      </span>
      <label className="inline-field">
        <span>Move to stage</span>
        <select value={stage} onChange={(e) => setStage(e.target.value)}>
          <option value="">Keep</option>
          {stages.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Tag</span>
        <select aria-label="Add or remove the tag" value={tagAction} onChange={(e) => setTagAction(e.target.value === 'remove' ? 'remove' : 'add')}>
          <option value="add">Add</option>
          <option value="remove">Remove</option>
        </select>
        <input aria-label="Tag to add or remove" value={tag} onChange={(e) => setTag(e.target.value)} size={8} />
      </label>
      <Button type="submit" size="sm" busy={change.isPending} disabled={!stage && !tag.trim()}>
        Apply
      </Button>
    </form>
  );
}
