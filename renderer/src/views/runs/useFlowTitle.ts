import { useApiQuery } from '../../api/queries.js';
import { humanize } from '../../lib/labels.js';

/** A flow's own title ("New-lead notification") for its name, falling back to the name in words. */
export function useFlowTitle(): (flow: string) => string {
  const flows = useApiQuery('listFlows', {}, { staleTime: 5 * 60_000 });
  return (flow) => flows.data?.items.find((f) => f.name === flow)?.title ?? humanize(flow);
}
