/** A view's filters and page, kept in the route's query string (see search-params.ts). */
import { useCallback, useMemo } from 'react';
import { readQuery, useRouteQuery, writeQuery, type HistoryMode } from './router.js';
import { parseSearch, serializeSearch, type SearchSchema, type SearchShape, type SearchValues } from './search-params.js';

export type SetSearchParams<S extends SearchShape> = (patch: Partial<SearchValues<S>>, mode?: HistoryMode) => void;

/**
 * The schema's values from the current route, and a setter that merges a patch into them.
 * A value set to `undefined` goes back to its default. The setter reads the URL when called,
 * so two patches in one event both land.
 */
export function useSearchParams<S extends SearchShape>(schema: SearchSchema<S>): [SearchValues<S>, SetSearchParams<S>] {
  const query = useRouteQuery();
  const values = useMemo(() => parseSearch(schema, query), [schema, query]);
  const set = useCallback<SetSearchParams<S>>(
    (patch, mode = 'replace') => {
      const now = readQuery();
      writeQuery(serializeSearch(schema, { ...parseSearch(schema, now), ...patch }, now), mode);
    },
    [schema],
  );
  return [values, set];
}
