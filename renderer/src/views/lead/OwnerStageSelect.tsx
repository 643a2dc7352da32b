/** The stage the owner sets, from their own list in settings, beside the automatic one. */
import type { Lead } from '../../../../shared/api/models.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { useToasts } from '../../components/Toasts.js';
import { humanize } from '../../lib/labels.js';

export function OwnerStageSelect({ lead }: { lead: Lead }) {
  const settings = useApiQuery('getSettings', {});
  const save = useApiMutation('updateLead', ['getLead', 'listLeads']);
  const { push } = useToasts();
  const stages = settings.data?.settings.leads.owner_stages ?? [lead.owner_stage];
  const options = stages.includes(lead.owner_stage) ? stages : [lead.owner_stage, ...stages];
  return (
    <label className="inline-field owner-stage">
      <span>Your stage</span>
      <select
        value={lead.owner_stage}
        disabled={save.isPending}
        onChange={(e) =>
          save.mutate({ id: lead.id, owner_stage: e.target.value }, { onError: (err) => push({ tone: 'bad', title: 'Stage not changed', body: errorMessage(err) }) })
        }
      >
        {options.map((s) => (
          <option key={s} value={s}>
            {humanize(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
