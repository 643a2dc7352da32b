/** The Leads list's filters on what the owner keeps: their stage, tags, where leads came from, when they were added. */
import { useApiQuery } from '../../api/queries.js';
import { humanize } from '../../lib/labels.js';
import { useDraftText } from '../../lib/useDraftText.js';

export interface OwnerFilterParams {
  owner_stage: string;
  tag: string;
  source: string;
  added_from?: string;
  added_to?: string;
}

/** A local calendar day's start as an ISO moment (the day after `to` ends the range). */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function ownerFilters(p: OwnerFilterParams) {
  return {
    ...(p.owner_stage && { owner_stage: p.owner_stage }),
    ...(p.tag && { tag: p.tag }),
    ...(p.source && { source: p.source }),
    ...(p.added_to && { created_before: dayStart(p.added_to, 1) }),
  };
}

export function LeadsOwnerFilters({ params, onChange }: { params: OwnerFilterParams; onChange: (patch: Partial<OwnerFilterParams>) => void }) {
  const settings = useApiQuery('getSettings', {});
  const stages = settings.data?.settings.leads.owner_stages ?? [];
  const [tag, setTag] = useDraftText(params.tag, (t) => onChange({ tag: t }), 150);
  const [source, setSource] = useDraftText(params.source, (s) => onChange({ source: s }), 150);
  return (
    <>
      <label className="inline-field">
        <span>Your stage</span>
        <select value={params.owner_stage} onChange={(e) => onChange({ owner_stage: e.target.value })}>
          <option value="">Any</option>
          {stages.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Tag</span>
        <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="Any" size={8} />
      </label>
      <label className="inline-field">
        <span>Came from</span>
        <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="Anywhere" size={10} />
      </label>
      <label className="inline-field">
        <span>Added from</span>
        <input type="date" value={params.added_from ?? ''} onChange={(e) => onChange({ added_from: e.target.value || undefined })} />
      </label>
      <label className="inline-field">
        <span>to</span>
        <input type="date" value={params.added_to ?? ''} onChange={(e) => onChange({ added_to: e.target.value || undefined })} />
      </label>
    </>
  );
}
