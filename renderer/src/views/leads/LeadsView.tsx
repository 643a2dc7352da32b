/** Leads: search, filter, sort and export; the table below stays smooth at 100,000 rows. */
import { useState } from 'react';
import type { MethodInput } from '../../../../shared/api/contract.js';
import { useApi } from '../../api/context.js';
import { errorMessage } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Icon } from '../../components/Icon.js';
import { Page } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { downloadText } from '../../lib/download.js';
import { SEGMENT_SUGGESTIONS, STAGE_SUGGESTIONS } from '../../lib/labels.js';
import { useDebounced } from '../../lib/useDebounced.js';
import { LeadsTable, type LeadFilters, type SortState } from './LeadsTable.js';

type Status = NonNullable<MethodInput<'listLeads'>['status']>;

const SEARCH_DEBOUNCE_MS = 150;

export function LeadsView() {
  const api = useApi();
  const { push } = useToasts();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [segment, setSegment] = useState('');
  const [stage, setStage] = useState('');
  const [sort, setSort] = useState<SortState>({ sort: 'created_at', dir: 'desc' });
  const [exporting, setExporting] = useState(false);
  const text = useDebounced({ search: search.trim(), segment: segment.trim(), stage: stage.trim() }, SEARCH_DEBOUNCE_MS);

  const filters: LeadFilters = {
    ...(text.search && { search: text.search }),
    ...(status && { status }),
    ...(text.segment && { segment: text.segment }),
    ...(text.stage && { stage: text.stage }),
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { filename, csv } = await api.exportLeads({ search: filters.search, status: filters.status });
      downloadText(filename, csv);
      push({ tone: 'good', title: 'Leads exported', body: filename });
    } catch (e) {
      push({ tone: 'bad', title: 'Export failed', body: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page
      title="Leads"
      intro="Everyone who signed up, took your quiz or opened your emails."
      actions={
        <Button icon="download" onClick={() => void exportCsv()} busy={exporting}>
          Export CSV
        </Button>
      }
    >
      <div className="toolbar" role="search" aria-label="Find leads">
        <div className="search-box">
          <Icon name="search" />
          <input
            type="search"
            aria-label="Search leads by name, email or phone"
            placeholder="Search by name, email or phone"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <label className="inline-field">
          <span>Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
            <option value="">All</option>
            <option value="hot">Hot</option>
            <option value="warm">Warm</option>
            <option value="cold">Cold</option>
            <option value="new">New</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Segment</span>
          <input list="segment-options" value={segment} onChange={(e) => setSegment(e.target.value)} placeholder="Any" size={12} />
        </label>
        <datalist id="segment-options">
          {SEGMENT_SUGGESTIONS.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <label className="inline-field">
          <span>Stage</span>
          <input list="stage-options" value={stage} onChange={(e) => setStage(e.target.value)} placeholder="Any" size={12} />
        </label>
        <datalist id="stage-options">
          {STAGE_SUGGESTIONS.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      <LeadsTable filters={filters} sort={sort} onSort={setSort} />
    </Page>
  );
}
