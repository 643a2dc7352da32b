/**
 * Events: the inbox of every request that reached the webhook address, refused ones included, and why.
 * Filters and page live in the URL (events-params.ts).
 */
import { useState } from 'react';
import type { MethodInput } from '../../../../shared/api/contract.js';
import type { InboxRequest } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import { EmptyState, Page } from '../../components/Layout.js';
import { MasterDetail } from '../../components/MasterDetail.js';
import { Pager, PastLastPage } from '../../components/Pager.js';
import { QueryState } from '../../components/QueryState.js';
import { SinceFilter } from '../../components/SinceFilter.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { OUTCOME_TONE, OUTCOME_WORDS, type Outcome } from '../../lib/labels.js';
import { useSearchParams } from '../../lib/useSearchParams.js';
import { HeldNotice } from '../held/HeldNotice.js';
import { EVENTS_PARAMS } from './events-params.js';
import { ReplayMany } from './ReplayMany.js';
import { RequestDetail } from './RequestDetail.js';

const LIMIT = 50;

const VIA_WORDS: Record<InboxRequest['via'], string> = {
  'test-fire': 'Test',
  relay: 'Via the always-on address',
  tunnel: 'From the internet',
  direct: 'Direct',
  replay: 'Replayed by you',
};

/** Who a request is about, at a glance: the email (or name) in its body, when it has one. */
function bodySummary(raw: string): string | null {
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    const who = body.email ?? body.first_name ?? body.visitor_id;
    return typeof who === 'string' ? who : null;
  } catch {
    const params = new URLSearchParams(raw);
    return params.get('email');
  }
}

export function EventsView() {
  const [{ endpoint, outcome, since, offset, request: selectedId }, setParams] = useSearchParams(EVENTS_PARAMS);
  const endpoints = useApiQuery('listEndpoints', {});
  const input: MethodInput<'listRequests'> = { limit: LIMIT, offset, ...(endpoint && { endpoint }), ...(outcome && { outcome }), ...(since && { since }) };
  const requests = useApiQuery('listRequests', input);
  const titleOf = (name: string | null) => endpoints.data?.items.find((e) => e.name === name)?.title ?? name ?? 'Unknown address';
  // Ticked requests, kept across pages so the owner can pick from several.
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const tick = (id: number, on: boolean) =>
    setTicked((t) => {
      const next = new Set(t);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Page title="Events" intro="Everything sent to your webhook addresses, exactly as it arrived, including anything Leadbell refused and why.">
      <HeldNotice />
      <div className="toolbar" aria-label="Filter events" role="group">
        <label className="inline-field">
          <span>Address</span>
          <select value={endpoint} onChange={(e) => setParams({ endpoint: e.target.value, offset: undefined, request: undefined })}>
            <option value="">All</option>
            {endpoints.data?.items.map((e) => (
              <option key={e.name} value={e.name}>
                {e.title}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Result</span>
          <select
            value={outcome ?? ''}
            onChange={(e) => setParams({ outcome: EVENTS_PARAMS.shape.outcome.safeParse(e.target.value).data, offset: undefined, request: undefined })}
          >
            <option value="">All</option>
            {(Object.keys(OUTCOME_WORDS) as Outcome[]).map((o) => (
              <option key={o} value={o}>
                {OUTCOME_WORDS[o]}
              </option>
            ))}
          </select>
        </label>
        {since && <SinceFilter what="Received" since={since} onClear={() => setParams({ since: undefined, offset: undefined, request: undefined })} />}
      </div>
      <ReplayMany selected={[...ticked]} endpoint={endpoint} since={since} onReplayed={() => setTicked(new Set())} />
      <QueryState query={requests} what="Events">
        {(page) => {
          const selected = page.items.find((r) => r.id === selectedId) ?? page.items[0];
          if (!page.items.length) {
            if (page.total > 0) return <PastLastPage onFirst={() => setParams({ offset: undefined })} />;
            return (
              <EmptyState title={endpoint || outcome || since ? 'Nothing matches these filters' : 'Nothing has arrived yet'}>
                Requests show up here the moment they arrive.
              </EmptyState>
            );
          }
          return (
            <MasterDetail
              selected={selected?.id === undefined ? undefined : String(selected.id)}
              chosen={selectedId !== undefined && selected?.id === selectedId}
              onClose={() => setParams({ request: undefined })}
              master={
                <div className="master">
                  <ul className="request-list" aria-label="Requests">
                    {page.items.map((r) => (
                      <RequestRow
                        key={r.id}
                        r={r}
                        title={titleOf(r.endpoint)}
                        selected={r.id === selected?.id}
                        onSelect={() => setParams({ request: r.id })}
                        ticked={ticked.has(r.id)}
                        onTick={(on) => tick(r.id, on)}
                      />
                    ))}
                  </ul>
                  <Pager offset={offset} limit={LIMIT} total={page.total} onOffset={(o) => setParams({ offset: o, request: undefined }, 'push')} />
                </div>
              }
              detail={selected && <RequestDetail r={selected} title={titleOf(selected.endpoint)} />}
            />
          );
        }}
      </QueryState>
    </Page>
  );
}

interface RequestRowProps {
  r: InboxRequest;
  title: string;
  selected: boolean;
  onSelect: () => void;
  ticked: boolean;
  onTick: (on: boolean) => void;
}

function RequestRow({ r, title, selected, onSelect, ticked, onTick }: RequestRowProps) {
  const outcome = r.outcome;
  return (
    <li className="request-item">
      <input
        type="checkbox"
        className="request-tick"
        checked={ticked}
        onChange={(e) => onTick(e.target.checked)}
        aria-label={`Select ${title}, ${OUTCOME_WORDS[outcome].toLowerCase()}, ${formatDateTime(r.received_at)}`}
      />
      <button type="button" className="request-row" aria-current={selected || undefined} onClick={onSelect} data-testid="request-row">
        <span className="request-row-head">
          <strong>{title}</strong>
          <Badge tone={OUTCOME_TONE[outcome]}>{OUTCOME_WORDS[outcome]}</Badge>
        </span>
        <span className="request-row-meta muted small">
          <time dateTime={r.received_at} title={formatDateTime(r.received_at)}>
            {formatRelative(r.received_at)}
          </time>
          {r.replayed_event_id && ' · Replayed: it went through'}
          {' · '}
          {VIA_WORDS[r.via]}
          {bodySummary(r.body) && ` · ${bodySummary(r.body)}`}
          {r.reason && outcome !== 'duplicate' && ` · ${r.reason}`}
        </span>
      </button>
    </li>
  );
}
