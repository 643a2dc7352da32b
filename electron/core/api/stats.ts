/** Today's numbers and the chart series for the home view; test leads (from test-fires) are left out. */
import type { Stats } from '../../../shared/api/models.js';
import type { Db } from '../storage/database.js';
import { FAILED_OR_RETRYING } from '../storage/run-store.js';

/**
 * Today's tile counts, each the total of the list its tile opens (with `since`): keep them in
 * step with those lists. Each must be an index search: stats refresh with every live update.
 */
export const TODAY_COUNTS = {
  new_leads: 'SELECT count(*) FROM leads WHERE created_at >= ? AND is_test = 0',
  hot_leads: "SELECT count(*) FROM leads WHERE status = 'hot' AND updated_at >= ? AND is_test = 0",
  // What Events lists as "Received": requests that became events (not replays or Leadbell's own notices).
  events: "SELECT count(*) FROM inbox WHERE outcome = 'accepted' AND received_at >= ?",
  failed_runs: `SELECT count(*) FROM runs WHERE ${FAILED_OR_RETRYING} AND created_at >= ?`,
} as const;

export function computeStats(db: Db, now = new Date()): Stats {
  const startOfDay = new Date(now);
  startOfDay.setHours(0, 0, 0, 0);
  const since = startOfDay.toISOString();
  const n = (sql: string, ...p: unknown[]) => (db.prepare(sql).pluck().get(...p) as number | null) ?? 0;
  // Days are the owner's calendar days (this machine's time zone), as "today" is: stored times are UTC.
  const firstDay = new Date(startOfDay);
  firstDay.setDate(firstDay.getDate() - 29);
  const perDay = new Map(
    (
      db
        .prepare("SELECT date(created_at, 'localtime') AS day, count(*) AS count FROM leads WHERE created_at >= ? AND is_test = 0 GROUP BY day")
        .all(firstDay.toISOString()) as { day: string; count: number }[]
    ).map((r) => [r.day, r.count]),
  );
  const days: { day: string; count: number }[] = [];
  for (let d = new Date(firstDay); d <= startOfDay; d.setDate(d.getDate() + 1)) {
    const day = localDate(d);
    days.push({ day, count: perDay.get(day) ?? 0 });
  }
  const buckets = db
    .prepare(
      `SELECT CASE WHEN score IS NULL THEN 'none' ELSE CAST(min(score, 99) / 10 * 10 AS TEXT) END AS bucket, count(*) AS count
       FROM leads WHERE is_test = 0 GROUP BY bucket`,
    )
    .all() as { bucket: string; count: number }[];
  const byBucket = new Map(buckets.map((b) => [b.bucket, b.count]));
  return {
    today: {
      since,
      new_leads: n(TODAY_COUNTS.new_leads, since),
      hot_leads: n(TODAY_COUNTS.hot_leads, since),
      events: n(TODAY_COUNTS.events, since),
      failed_runs: n(TODAY_COUNTS.failed_runs, since),
    },
    leads_per_day: days,
    funnel: {
      visitors: n('SELECT count(*) FROM visitors') + n('SELECT count(*) FROM leads WHERE visitor_id IS NULL AND is_test = 0'),
      opted_in: n('SELECT count(*) FROM leads WHERE is_test = 0'),
      assessed: n('SELECT count(*) FROM leads WHERE score IS NOT NULL AND is_test = 0'),
      hot: n("SELECT count(*) FROM leads WHERE status = 'hot' AND is_test = 0"),
    },
    score_distribution: Array.from({ length: 10 }, (_, i) => {
      const b = String(i * 10);
      return { bucket: `${b}-${i * 10 + 9}`, count: byBucket.get(b) ?? 0 };
    }),
  };
}

/** YYYY-MM-DD of the local calendar day (what SQLite's date(…, 'localtime') gives). */
function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
