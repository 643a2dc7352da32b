/**
 * The flows' current settings where a view speaks of them ("90 and up is hot", "opens +5"): read
 * from the same answer Automations edits, and kept current by the settings live update, so a
 * change shows everywhere at once.
 */
import { useApiQuery } from '../api/queries.js';

function useSettingsOf(flow: string): Record<string, unknown> {
  const flows = useApiQuery('listFlows', {});
  const f = flows.data?.items.find((x) => x.name === flow);
  return f ? { ...f.defaults, ...f.settings } : {};
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

/** The quiz scores that make a lead hot and warm. */
export function useScoreBands(): { hot: number; warm: number } {
  const s = useSettingsOf('assessment');
  return { hot: num(s.hot_threshold, 80), warm: num(s.warm_threshold, 50) };
}

/** The engagement points each thing adds, or null while they are not known. */
export function useEngagementPoints(): { open: number; click: number; visit: number } | null {
  const email = useSettingsOf('email-engagement');
  const visit = useSettingsOf('sales-page-visit');
  if (typeof email.open_points !== 'number' || typeof visit.points !== 'number') return null;
  return { open: email.open_points, click: num(email.click_points, 10), visit: visit.points };
}
