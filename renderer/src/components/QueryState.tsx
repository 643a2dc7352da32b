/**
 * Renders a query's loading / error / data states the same way everywhere. A feature whose
 * handler is not in this build yet answers "unavailable": that shows as a calm notice, not a crash.
 * "Not found" is an answer, not a failure: it gets its own notice, without "Try again".
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage, isNotFound, isUnavailable } from '../api/errors.js';
import { Button } from './Button.js';
import { Loading, Notice } from './Layout.js';

export function Unavailable({ what, error }: { what: string; error?: unknown }) {
  return (
    <div className="unavailable" data-testid="unavailable">
      <Notice tone="info" title={`${what} is not available yet`}>
        This part of Leadbell is not switched on in this version. Everything else keeps working, and this page fills in by
        itself once it is ready.
        {error !== undefined && <span className="muted small block">Details: {errorMessage(error)}</span>}
      </Notice>
    </div>
  );
}

/** What a page reached by id shows when there is no such thing; `children` says where to go instead. */
export function NotFound({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="not-found" data-testid="not-found">
      <Notice tone="warn" title={title}>
        {children ?? 'It may have been deleted, or the link is out of date.'}
      </Notice>
    </div>
  );
}

export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Notice tone="bad" title="Something went wrong" actions={retry && <Button size="sm" icon="refresh" onClick={retry}>Try again</Button>}>
      {errorMessage(error)}
    </Notice>
  );
}

export function QueryState<T>({
  query,
  what,
  loading,
  notFound,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  /** Names the feature in the "not available yet" notice. */
  what: string;
  loading?: string;
  /** Shown when the core answers "not found"; a plain notice naming `what` otherwise. */
  notFound?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loading ?? 'Loading'} />;
  if (query.isError) {
    if (isUnavailable(query.error)) return <Unavailable what={what} error={query.error} />;
    if (isNotFound(query.error)) return <>{notFound ?? <NotFound title={`${what} not found`} />}</>;
    return <QueryError error={query.error} retry={() => void query.refetch()} />;
  }
  return <>{children(query.data)}</>;
}
