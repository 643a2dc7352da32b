/** The forwarder's durable backlog, read from the runs that send events to Prefect. */
import { PREFECT_FLOW } from '../flows/prefect-forward.js';
import type { Db } from '../storage/database.js';

export function forwarderBacklog(db: Db): { waiting: number; failed: number } {
  // Through runs_status: unfinished and failed runs are found by status first.
  const row = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM runs WHERE status IN ('scheduled', 'pending', 'running') AND flow = ?) AS waiting,
         (SELECT count(*) FROM runs WHERE status IN ('failed', 'partial') AND flow = ?) AS failed`,
    )
    .get(PREFECT_FLOW, PREFECT_FLOW) as { waiting: number; failed: number };
  return row;
}
