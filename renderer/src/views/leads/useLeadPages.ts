/**
 * Fetches the leads table by pages of PAGE_SIZE rows, only the pages the visible rows fall in.
 * Each page is its own cached query, so scrolling back is instant and a live update refetches
 * only the pages on screen.
 */
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract.js';
import type { Lead } from '../../../../shared/api/models.js';
import { useApi } from '../../api/context.js';
import { queryKey, useApiQuery } from '../../api/queries.js';

const PAGE_SIZE = 100;

export type LeadQuery = Omit<MethodInput<'listLeads'>, 'limit' | 'offset'>;

/** The first page, which also carries the total; kept on screen while new filters load. */
export function useFirstLeadPage(query: LeadQuery) {
  return useApiQuery('listLeads', { ...query, limit: PAGE_SIZE, offset: 0 }, { placeholderData: keepPreviousData });
}

export function pagesFor(indexes: number[]): number[] {
  if (!indexes.length) return [0];
  const from = Math.floor(Math.min(...indexes) / PAGE_SIZE);
  const to = Math.floor(Math.max(...indexes) / PAGE_SIZE);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Row lookup over the first page and the other pages in view. */
export function useLeadRows(query: LeadQuery, pages: number[], first: MethodOutput<'listLeads'> | undefined) {
  const api = useApi();
  const later = pages.filter((p) => p > 0);
  const results = useQueries({
    queries: later.map((p) => {
      const input = { ...query, limit: PAGE_SIZE, offset: p * PAGE_SIZE };
      return { queryKey: queryKey('listLeads', input), queryFn: () => api.listLeads(input), staleTime: 30_000 };
    }),
  });
  const byPage = new Map<number, Lead[]>();
  if (first) byPage.set(0, first.items);
  later.forEach((p, i) => {
    const data = results[i]?.data;
    if (data) byPage.set(p, data.items);
  });
  return (index: number): Lead | undefined => byPage.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}
