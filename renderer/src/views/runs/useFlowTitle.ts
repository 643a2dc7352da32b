import { useApiQuery } from '../../api/queries.js';
import { humanize } from '../../lib/labels.js';

/** Flows Leadbell plans by itself (not offered to triggers, so not in the list of flows). */
const INTERNAL_TITLES: Record<string, string> = { prefect: 'Sent to Prefect' };

const useFlows = () => useApiQuery('listFlows', {}, { staleTime: 5 * 60_000 });

/** A flow's own title ("New-lead notification") for its name, falling back to the name in words. */
export function useFlowTitle(): (flow: string) => string {
  const flows = useFlows();
  return (flow) => flows.data?.items.find((f) => f.name === flow)?.title ?? INTERNAL_TITLES[flow] ?? humanize(flow);
}

/** Every flow a run can belong to, with its title: for a filter. */
export function useFlowChoices(): { name: string; title: string }[] {
  const listed = useFlows().data?.items ?? [];
  const internal = Object.entries(INTERNAL_TITLES)
    .filter(([name]) => !listed.some((f) => f.name === name))
    .map(([name, title]) => ({ name, title }));
  return [...listed, ...internal];
}
