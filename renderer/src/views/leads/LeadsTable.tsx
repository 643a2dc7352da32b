/**
 * The virtualized leads table: only the rows in view exist in the page, fetched page by page.
 * Keyboard: arrows, Page Up/Down, Home/End move between rows; Enter opens the lead.
 * The row at the top is reported as scrolling settles, so Back from a lead returns to it.
 * Narrow windows: Phone, then Segment, drop out (app.css, by the table's own width); below the
 * remaining columns' minimum the body scrolls sideways and the header follows it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { LeadFilters, MethodInput } from '../../../../shared/api/contract.js';
import type { Lead } from '../../../../shared/api/models.js';
import { LeadStatusBadge } from '../../components/Badge.js';
import { EmptyState, Loading } from '../../components/Layout.js';
import { QueryError, Unavailable } from '../../components/QueryState.js';
import { isUnavailable } from '../../api/errors.js';
import { formatDateTime, formatNumber, leadName } from '../../lib/format.js';
import { href, navigate, readQuery, useRouteQuery, withQuery } from '../../lib/router.js';
import { pagesFor, useFirstLeadPage, useLeadRows } from './useLeadPages.js';

export type { LeadFilters } from '../../../../shared/api/contract.js';
export type SortKey = NonNullable<MethodInput<'listLeads'>['sort']>;
export interface SortState {
  sort: SortKey;
  dir: 'asc' | 'desc';
}

const ROW_HEIGHT = 56;
/** How long scrolling must rest before the top row is reported (each report rewrites the URL). */
const TOP_ROW_SETTLE_MS = 200;

type ColumnKey = 'name' | 'status' | 'score' | 'engagement' | 'segment' | 'phone' | 'added';

const COLUMNS: { key: ColumnKey; label: string; sort?: SortKey; firstDir?: 'asc' | 'desc' }[] = [
  { key: 'name', label: 'Name', sort: 'first_name', firstDir: 'asc' },
  { key: 'status', label: 'Status' },
  { key: 'score', label: 'Score', sort: 'score', firstDir: 'desc' },
  { key: 'engagement', label: 'Engagement', sort: 'engagement_score', firstDir: 'desc' },
  { key: 'segment', label: 'Segment' },
  { key: 'phone', label: 'Phone' },
  { key: 'added', label: 'Added', sort: 'created_at', firstDir: 'desc' },
];

/** Each cell names its column, so the stylesheet can let the less important ones drop out. */
const col = (key: ColumnKey, extra = '') => `cell col-${key}${extra && ` ${extra}`}`;

function SkeletonRow() {
  return (
    <>
      {COLUMNS.map((c) => (
        <div role="cell" key={c.key} className={col(c.key)}>
          <span className="skeleton" />
        </div>
      ))}
    </>
  );
}

/** A lead's page; it carries the list's query, so its back link returns to this list as it was. */
const leadPath = (id: string, listQuery: string) => withQuery(`/leads/${encodeURIComponent(id)}`, listQuery);

function LeadCells({ lead, listQuery }: { lead: Lead; listQuery: string }) {
  const name = leadName(lead);
  return (
    <>
      <div role="cell" className={col('name', 'cell-name')}>
        <a href={href(leadPath(lead.id, listQuery))} tabIndex={-1} className="row-link">
          {name}
        </a>
        {name !== lead.email && <span className="muted small">{lead.email}</span>}
      </div>
      <div role="cell" className={col('status')}>
        <LeadStatusBadge status={lead.status} />
      </div>
      <div role="cell" className={col('score', 'num')}>
        {lead.score ?? <span className="muted">–</span>}
      </div>
      <div role="cell" className={col('engagement', 'num')}>
        {formatNumber(lead.engagement_score)}
      </div>
      <div role="cell" className={col('segment')} title={lead.segment ?? undefined}>
        {lead.segment ?? <span className="muted">–</span>}
      </div>
      <div role="cell" className={col('phone')}>
        {lead.phone ?? <span className="muted">–</span>}
      </div>
      <div role="cell" className={col('added')}>
        {/* A busy day's leads all share a date: the time tells them apart. */}
        <time dateTime={lead.created_at}>{formatDateTime(lead.created_at)}</time>
      </div>
    </>
  );
}

export interface LeadsTableProps {
  filters: LeadFilters;
  sort: SortState;
  onSort: (s: SortState) => void;
  /** The row to show at the top when the table first appears. */
  startRow: number;
  onTopRow: (row: number) => void;
}

/** Whether the filters leave out leads the owner would count: hiding test leads is the usual view, not a filter. */
function narrowed(filters: LeadFilters): boolean {
  return Object.entries(filters).some(([key, value]) => (key === 'test_leads' ? value !== undefined && value !== 'hide' : Boolean(value)));
}

export function LeadsTable({ filters, sort, onSort, startRow, onTopRow }: LeadsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const initialRow = useRef(startRow).current;
  const [active, setActive] = useState(initialRow);
  const query = useMemo(() => ({ ...filters, ...sort }), [filters, sort]);
  const queryId = JSON.stringify(query);
  const listQuery = useRouteQuery();

  const first = useFirstLeadPage(query);
  const total = first.data?.total ?? 0;
  const stale = first.isPlaceholderData;
  // The count describes the rows shown: while new filters load, the previous result (and whether
  // it was filtered) stays, marked as updating, rather than an old total called "matching".
  const filtered = narrowed(filters);
  const [shownFiltered, setShownFiltered] = useState(filtered);
  if (!stale && first.data && shownFiltered !== filtered) setShownFiltered(filtered);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: initialRow * ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const rowAt = useLeadRows(query, pagesFor(items.map((v) => v.index)), first.data);

  // New filters or sort: back to the top (not on the first showing, which starts at startRow).
  const shownQuery = useRef(queryId);
  useEffect(() => {
    if (shownQuery.current === queryId) return;
    shownQuery.current = queryId;
    scroller.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [queryId]);

  const topRow = () => Math.floor((scroller.current?.scrollTop ?? 0) / ROW_HEIGHT);
  const settleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(settleTimer.current), []);
  const onScroll = () => {
    // Sideways, the header moves with the body (both are clipped to the table).
    const left = scroller.current?.scrollLeft ?? 0;
    if (head.current && head.current.scrollLeft !== left) head.current.scrollLeft = left;
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => onTopRow(topRow()), TOP_ROW_SETTLE_MS);
  };

  // The list's entry in history gets the exact top row before the lead's page is pushed.
  const openLead = (id: string) => {
    clearTimeout(settleTimer.current);
    onTopRow(topRow());
    navigate(leadPath(id, readQuery()));
  };
  const onRowClick = (e: MouseEvent, lead: Lead | undefined) => {
    // A modified click on the name link opens it elsewhere, as links do.
    if (!lead || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openLead(lead.id);
  };

  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    // The virtualizer has scrolled it into view; focus must not also reset a sideways scroll.
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus({ preventScroll: true }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const perPage = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 560) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + perPage,
      PageUp: active - perPage,
      Home: 0,
      End: total - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(moves[e.key]!);
    } else if (e.key === 'Enter') {
      const lead = rowAt(active);
      if (lead) openLead(lead.id);
    }
  };

  const toggleSort = (c: (typeof COLUMNS)[number]) => {
    if (!c.sort) return;
    if (sort.sort === c.sort) onSort({ sort: c.sort, dir: sort.dir === 'asc' ? 'desc' : 'asc' });
    else onSort({ sort: c.sort, dir: c.firstDir ?? 'desc' });
  };

  if (first.isPending) return <Loading label="Loading leads" />;
  if (first.isError && !first.data) {
    return isUnavailable(first.error) ? <Unavailable what="Leads" error={first.error} /> : <QueryError error={first.error} retry={() => void first.refetch()} />;
  }

  return (
    <div className="leads-table-wrap">
      <p className="result-count" aria-live="polite" data-testid="lead-count">
        {shownFiltered ? `${formatNumber(total)} matching ${total === 1 ? 'lead' : 'leads'}` : `${formatNumber(total)} ${total === 1 ? 'lead' : 'leads'}`}
        {stale && <span className="muted"> · updating…</span>}
      </p>
      <div role="table" aria-label="Leads" aria-rowcount={total + 1} className="vtable" aria-busy={stale || undefined}>
        <div
          role="rowgroup"
          className="vhead"
          ref={head}
          // Tabbing to a header button out of view scrolls the header: the body follows.
          onScroll={() => {
            if (head.current && scroller.current) scroller.current.scrollLeft = head.current.scrollLeft;
          }}
        >
          <div role="row" aria-rowindex={1} className="vrow vrow-head">
            {COLUMNS.map((c) => {
              const sorted = c.sort && sort.sort === c.sort;
              return (
                <div
                  role="columnheader"
                  key={c.key}
                  className={col(c.key, c.key === 'score' || c.key === 'engagement' ? 'num' : '')}
                  aria-sort={sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {c.sort ? (
                    <button type="button" className="sort-button" onClick={() => toggleSort(c)}>
                      {c.label}
                      <span aria-hidden="true" className="sort-arrow">
                        {sorted ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {total === 0 ? (
          <EmptyState icon="users" title={filtered ? 'No leads match' : 'No leads yet'}>
            {filtered ? (
              'Try another spelling, or clear the filters.'
            ) : (
              <>
                Paste your webhook address from <a href={href('/')}>Home</a> into your form, or{' '}
                <a href={href('/test')}>send a test</a> to see one arrive.
              </>
            )}
          </EmptyState>
        ) : (
          <div role="rowgroup" className="vbody" ref={scroller} onKeyDown={onKeyDown} onScroll={onScroll} data-testid="leads-scroller">
            <div className="vbody-rows" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((v) => {
                const lead = rowAt(v.index);
                return (
                  <div
                    role="row"
                    key={v.key}
                    data-index={v.index}
                    aria-rowindex={v.index + 2}
                    tabIndex={v.index === active ? 0 : -1}
                    className={`vrow ${lead ? '' : 'vrow-loading'}`}
                    style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                    data-testid={lead ? 'lead-row' : undefined}
                    onFocus={() => setActive(v.index)}
                    onClick={(e) => onRowClick(e, lead)}
                  >
                    {lead ? <LeadCells lead={lead} listQuery={listQuery} /> : <SkeletonRow />}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
