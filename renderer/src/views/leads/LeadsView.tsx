/**
 * Leads: search, filter, sort and export; the table below stays smooth at 100,000 rows.
 * Filters, sort and the place in the list live in the URL (leads-params.ts).
 */
import { useState } from 'react';
import { leadStatus } from '../../../../shared/api/models.js';
import { useApi } from '../../api/context.js';
import { errorMessage } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Icon } from '../../components/Icon.js';
import { Page } from '../../components/Layout.js';
import { SinceFilter } from '../../components/SinceFilter.js';
import { useToasts } from '../../components/Toasts.js';
import { downloadText } from '../../lib/download.js';
import { LEAD_STAGE_WORDS, leadStageFor, SEGMENT_SUGGESTIONS, stageWords } from '../../lib/labels.js';
import { useDraftText } from '../../lib/useDraftText.js';
import { useSearchParams } from '../../lib/useSearchParams.js';
import { LEADS_PARAMS } from './leads-params.js';
import { AddLeadForm } from './AddLeadForm.js';
import { BulkChange } from './BulkChange.js';
import { ImportLeads } from './ImportLeads.js';
import { TestLeadsControl } from './TestLeadsControl.js';
import { dayStart, LeadsOwnerFilters, ownerFilters } from './LeadsOwnerFilters.js';
import { LeadsTable, type LeadFilters } from './LeadsTable.js';

const SEARCH_DEBOUNCE_MS = 150;

export function LeadsView() {
  const api = useApi();
  const { push } = useToasts();
  const [params, setParams] = useSearchParams(LEADS_PARAMS);
  const [exporting, setExporting] = useState(false);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  // Other filters or another order start again from the top of the list.
  const refilter = (patch: Partial<typeof params>) => setParams({ ...patch, row: undefined });
  const [search, setSearch] = useDraftText(params.q, (q) => refilter({ q }), SEARCH_DEBOUNCE_MS);
  const [segment, setSegment] = useDraftText(params.segment, (segment) => refilter({ segment }), SEARCH_DEBOUNCE_MS);
  // Stages are picked by their words; a link may name one either way ("stage=signed up"), and a
  // stage that is not listed stays selectable as it came.
  const stage = params.stage && (leadStageFor(params.stage) ?? params.stage);
  const stages = Object.keys(LEAD_STAGE_WORDS);
  if (stage && !stages.includes(stage)) stages.push(stage);

  const filters: LeadFilters = {
    ...(params.q && { search: params.q }),
    ...(params.status && { status: params.status }),
    ...(params.segment && { segment: params.segment }),
    ...(stage && { stage }),
    ...((params.created_since ?? params.added_from) && { created_since: params.created_since ?? dayStart(params.added_from!) }),
    ...ownerFilters(params),
    test_leads: params.test_leads,
    ...(params.updated_since && { updated_since: params.updated_since }),
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      // The same filters as the list, so the file holds the leads the count above describes.
      const { filename, csv } = await api.exportLeads(filters);
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
        <>
          <Button icon="plus" onClick={() => setAdding(true)}>
            Add a lead
          </Button>
          <Button icon="inbox" onClick={() => setImporting(true)}>
            Import CSV
          </Button>
          <Button icon="download" onClick={() => void exportCsv()} busy={exporting}>
            Export CSV
          </Button>
        </>
      }
    >
      {adding && <AddLeadForm onClose={() => setAdding(false)} />}
      {importing && <ImportLeads onClose={() => setImporting(false)} />}
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
          <select value={params.status ?? ''} onChange={(e) => refilter({ status: leadStatus.safeParse(e.target.value).data })}>
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
          {/* Named outright: the label's text would also take in the chosen option's words. */}
          <select aria-label="Stage" value={stage} onChange={(e) => refilter({ stage: e.target.value })}>
            <option value="">Any</option>
            {stages.map((s) => (
              <option key={s} value={s}>
                {stageWords(s)}
              </option>
            ))}
          </select>
        </label>
        <LeadsOwnerFilters params={params} onChange={refilter} />
        <TestLeadsControl value={params.test_leads} onChange={(test_leads) => refilter({ test_leads })} />
        {params.created_since && <SinceFilter what="Added" since={params.created_since} onClear={() => refilter({ created_since: undefined })} />}
        {params.updated_since && <SinceFilter what="Changed" since={params.updated_since} onClear={() => refilter({ updated_since: undefined })} />}
      </div>
      <BulkChange filters={filters} />
      <LeadsTable
        filters={filters}
        sort={{ sort: params.sort, dir: params.dir }}
        onSort={refilter}
        startRow={params.row}
        onTopRow={(row) => setParams({ row })}
      />
    </Page>
  );
}
