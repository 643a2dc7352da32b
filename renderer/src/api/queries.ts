/**
 * React Query over the contract: a query's key is [method, input], so a live-update topic can
 * invalidate every cached answer of the methods it affects.
 */
import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { LiveUpdate, MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract.js';
import { useApi } from './context.js';
import type { ApiClientError } from './errors.js';

type Topic = LiveUpdate['topic'];

/** Which cached answers each live topic makes stale. */
const TOPIC_QUERIES: Record<Topic, MethodName[]> = {
  lead: ['listLeads', 'getLead', 'getStats', 'getRequestEffects', 'listSegments'],
  event: ['listEvents', 'getLead', 'getStats', 'getRequestEffects'],
  request: ['listRequests', 'listHeldSenders'],
  run: ['listRuns', 'getRun', 'getLead', 'listLeads', 'getStats', 'getBacklog', 'getRequestEffects', 'listAppHealth'],
  notification: ['listNotifications', 'listAppHealth'],
  status: ['getStatus', 'listEndpoints', 'getUpdates'],
  settings: ['getSettings', 'listEndpoints', 'getStatus', 'listAppHealth', 'listFlows', 'getBackups'],
  trigger: ['listTriggers', 'getRequestEffects'],
};

export function queryKey<M extends MethodName>(method: M, input: MethodInput<M>): readonly [M, MethodInput<M>] {
  return [method, input] as const;
}

export function useApiQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: Omit<UseQueryOptions<MethodOutput<M>, ApiClientError, MethodOutput<M>, readonly [M, MethodInput<M>]>, 'queryKey' | 'queryFn'> = {},
) {
  const api = useApi();
  return useQuery({
    queryKey: queryKey(method, input),
    queryFn: () => (api[method] as (i: MethodInput<M>) => Promise<MethodOutput<M>>)(input),
    ...options,
  });
}

/** A contract call as a mutation; `invalidates` lists the methods whose answers it changes. */
export function useApiMutation<M extends MethodName>(method: M, invalidates: MethodName[] = []) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<MethodOutput<M>, ApiClientError, MethodInput<M>>({
    mutationFn: (input) => (api[method] as (i: MethodInput<M>) => Promise<MethodOutput<M>>)(input),
    onSuccess: () => invalidateMethods(qc, invalidates),
  });
}

function invalidateMethods(qc: QueryClient, methods: Iterable<MethodName>): void {
  for (const m of new Set(methods)) void qc.invalidateQueries({ queryKey: [m] });
}

/**
 * Coalesces bursts of live updates (a batch of webhooks) into one invalidation per method,
 * so a flood of events refetches each visible list once, not once per event.
 */
export function createInvalidator(qc: QueryClient, delayMs = 150) {
  const pending = new Set<MethodName>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    topic(topic: Topic) {
      for (const m of TOPIC_QUERIES[topic]) pending.add(m);
      timer ??= setTimeout(() => {
        timer = null;
        invalidateMethods(qc, [...pending]);
        pending.clear();
      }, delayMs);
    },
    all() {
      void qc.invalidateQueries();
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}
