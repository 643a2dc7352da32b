import { useApiQuery } from '../../api/queries.js';
import { humanize } from '../../lib/labels.js';

/** Flows Leadbell plans by itself (not offered to triggers, so not in the list of flows). */
const INTERNAL_TITLES: Record<string, string> = { prefect: 'Sent to Prefect' };

/** A flow's own title ("New-lead notification") for its name, falling back to the name in words. */
export function useFlowTitle(): (flow: string) => string {
  const flows = useApiQuery('listFlows', {}, { staleTime: 5 * 60_000 });
  return (flow) => flows.data?.items.find((f) => f.name === flow)?.title ?? INTERNAL_TITLES[flow] ?? humanize(flow);
}
