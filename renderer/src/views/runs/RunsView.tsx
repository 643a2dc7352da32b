/**
 * Run history: every automation run, its steps, and retries for the ones that failed.
 * Filters and page live in the URL (runs-params.ts), and opening a run keeps them.
 */
import type { MethodInput } from '../../../../shared/api/contract.js';
import type { Run } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { BacklogBar } from '../../components/BacklogBar.js';
import { Switch } from '../../components/Form.js';
import { Card, EmptyState, Page } from '../../components/Layout.js';
import { MasterDetail } from '../../components/MasterDetail.js';
import { Pager, PastLastPage } from '../../components/Pager.js';
import { SinceFilter } from '../../components/SinceFilter.js';
import { QueryState } from '../../components/QueryState.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { RUN_STATUS_WORDS } from '../../lib/labels.js';
import { href, navigate, useRouteQuery, withQuery } from '../../lib/router.js';
import { useSearchParams } from '../../lib/useSearchParams.js';
import { RetryFailedByApp } from './RetryFailedByApp.js';
import { RUNS_PARAMS } from './runs-params.js';
import { RunSkippedNote, RunStatusBadge } from './RunStatus.js';
import { RunSteps } from './RunSteps.js';
import { RunHeadline } from './RunWords.js';
import { useFlowChoices, useFlowTitle } from './useFlowTitle.js';

const LIMIT = 50;
type RunStatus = Run['status'];

/** One more Status choice: Home's "Automations that failed or are retrying" counts failed, partly done and retrying runs alike. */
const FAILED_OR_PARTIAL = 'failed-or-partial';

function statusChoice(value: string): { status: RunStatus | undefined; failed: boolean } {
  if (value === FAILED_OR_PARTIAL) return { status: undefined, failed: true };
  return { status: RUNS_PARAMS.shape.status.safeParse(value).data, failed: false };
}

export function RunsView({ selected }: { selected?: string }) {
  const [{ status, flow, dead, failed, since, offset }, setParams] = useSearchParams(RUNS_PARAMS);
  const listQuery = useRouteQuery();
  const input: MethodInput<'listRuns'> = {
    limit: LIMIT,
    offset,
    ...(status && { status }),
    ...(flow && { flow }),
    ...(dead && { dead: true }),
    ...(failed && { failed: true }),
    ...(since && { since }),
  };
  const runs = useApiQuery('listRuns', input);
  const flowTitle = useFlowTitle();
  const flows = useFlowChoices();
  return (
    <Page title="Run history" intro="Each time an automation ran: every step, how many tries it took, and what went wrong.">
      <div className="toolbar" role="group" aria-label="Filter runs">
        <label className="inline-field">
          <span>Status</span>
          <select value={failed ? FAILED_OR_PARTIAL : (status ?? '')} onChange={(e) => setParams({ ...statusChoice(e.target.value), offset: undefined })}>
            <option value="">All</option>
            <option value={FAILED_OR_PARTIAL}>Failed, partly done or retrying</option>
            {(Object.keys(RUN_STATUS_WORDS) as RunStatus[]).map((s) => (
              <option key={s} value={s}>
                {RUN_STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Automation</span>
          <select value={flow} onChange={(e) => setParams({ flow: e.target.value, offset: undefined })}>
            <option value="">All</option>
            {flows.map((f) => (
              <option key={f.name} value={f.name}>
                {f.title}
              </option>
            ))}
          </select>
        </label>
        <Switch label="Only runs that gave up" checked={dead} onChange={(v) => setParams({ dead: v, offset: undefined })} />
        {since && <SinceFilter what="Started" since={since} onClear={() => setParams({ since: undefined, offset: undefined })} />}
      </div>
      <BacklogBar />
      <RetryFailedByApp />
      <QueryState query={runs} what="Run history">
        {(page) => {
          if (!page.items.length) {
            if (page.total > 0) return <PastLastPage onFirst={() => setParams({ offset: undefined })} />;
            if (status || flow || dead || failed || since) return <EmptyState icon="history" title="No runs match these filters" />;
            return (
              <EmptyState icon="history" title="No runs yet">
                Automations run when leads arrive. <a href={href('/test')}>Send a test</a> to see one.
              </EmptyState>
            );
          }
          const current = selected ?? page.items[0]!.id;
          return (
            <MasterDetail
              selected={current}
              chosen={selected !== undefined}
              onClose={() => navigate(withQuery('/runs', listQuery))}
              master={
              <div className="master">
                <ul className="request-list" aria-label="Runs">
                  {page.items.map((r) => (
                    <li key={r.id}>
                      <a
                        className="request-row"
                        href={href(withQuery(`/runs/${encodeURIComponent(r.id)}`, listQuery))}
                        aria-current={r.id === current ? 'true' : undefined}
                        data-testid="run-row"
                      >
                        <span className="request-row-head">
                          <strong>{flowTitle(r.flow)}</strong>
                          <RunStatusBadge run={r} />
                        </span>
                        <span className="request-row-meta muted small">
                          <time dateTime={r.created_at} title={formatDateTime(r.created_at)}>
                            {formatRelative(r.created_at)}
                          </time>
                          {typeof r.parameters.email === 'string' && ` · ${r.parameters.email}`}
                        </span>
                        <RunHeadline run={r} as="span" />
                        <RunSkippedNote run={r} as="span" />
                      </a>
                    </li>
                  ))}
                </ul>
                <Pager offset={offset} limit={LIMIT} total={page.total} onOffset={(o) => setParams({ offset: o }, 'push')} />
              </div>
              }
              detail={<RunDetail id={current} />}
            />
          );
        }}
      </QueryState>
    </Page>
  );
}

function RunDetail({ id }: { id: string }) {
  const run = useApiQuery('getRun', { id });
  const flowTitle = useFlowTitle();
  return (
    <QueryState query={run} what="Run details">
      {(r) => (
        <Card
          className="detail"
          title={flowTitle(r.flow)}
          labelledBy="run-detail-title"
          subtitle={`Started ${formatDateTime(r.started_at ?? r.created_at)}${r.finished_at ? ` · finished ${formatDateTime(r.finished_at)}` : ''}`}
          actions={<RunStatusBadge run={r} />}
        >
          <RunHeadline run={r} />
          <RunSkippedNote run={r} />
          {r.lead_id && (
            <p>
              <a href={href(`/leads/${encodeURIComponent(r.lead_id)}`)}>Open the lead</a>
            </p>
          )}
          <RunSteps run={r} />
        </Card>
      )}
    </QueryState>
  );
}
