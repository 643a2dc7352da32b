/** When the next scheduled backup is due (pure): a while after the newest one, or a while after a failed try. */
export interface ScheduleState {
  every_hours: number;
  /** The newest backup in the folder (ms), or null for none. */
  lastBackupMs: number | null;
  /** The last failed attempt (ms), or null. */
  lastFailureMs: number | null;
}

/** A failed scheduled backup (folder gone, disk full) is tried again after this long, not every check. */
export const RETRY_AFTER_FAILURE_MS = 60 * 60_000;

export function nextBackupDue(s: ScheduleState): number {
  const byAge = s.lastBackupMs === null ? 0 : s.lastBackupMs + s.every_hours * 3_600_000;
  const byFailure = s.lastFailureMs === null ? 0 : s.lastFailureMs + RETRY_AFTER_FAILURE_MS;
  return Math.max(byAge, byFailure);
}
