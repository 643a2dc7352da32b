/**
 * Quiet hours as a pure question of time: is this moment inside them, and which window ended
 * last. Times are the computer's local clock ("21:00" to "07:00" spans midnight); Date's local
 * setters keep the answer right across daylight-saving changes.
 */
export interface QuietHours {
  from: string;
  until: string;
}

export interface Window {
  start: number;
  end: number;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The local moment `hhmm` on the day of `ms`, shifted by `days`. */
function at(ms: number, hhmm: string, days = 0): number {
  const d = new Date(ms);
  const minutes = minutesOf(hhmm);
  d.setDate(d.getDate() + days);
  d.setHours(Math.floor(minutes / 60), minutes % 60, 0, 0);
  return d.getTime();
}

/** Equal start and end means no quiet hours at all (not a whole day of silence). */
export function isQuiet(ms: number, q: QuietHours): boolean {
  return lastWindow(ms, q, true) !== null;
}

/**
 * The quiet window containing `ms` (inside = true), or the latest one that ended at or before
 * `ms` (inside = false). Null when there is none (from === until, or none contains `ms`).
 */
export function lastWindow(ms: number, q: QuietHours, inside = false): Window | null {
  if (q.from === q.until) return null;
  const spansMidnight = minutesOf(q.from) > minutesOf(q.until);
  // Candidate windows starting yesterday, today and tomorrow (local days), newest first.
  const windows = [1, 0, -1, -2].map((days) => ({ start: at(ms, q.from, days), end: at(ms, q.until, days + (spansMidnight ? 1 : 0)) }));
  if (inside) return windows.find((w) => w.start <= ms && ms < w.end) ?? null;
  return windows.find((w) => w.end <= ms) ?? null;
}
