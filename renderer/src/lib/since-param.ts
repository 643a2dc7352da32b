/**
 * A list's "from this moment" filter in its URL (`since=2026-03-02T23:00:00.000Z`): Home's tiles
 * open their lists with the moment they counted from, so the list shows exactly the number on the
 * tile. A bad value is no limit.
 */
import { z } from 'zod';
import { formatDateTime } from './format.js';

export const sinceParam = z.iso.datetime({ offset: true }).optional();

/** "today" for the start of the owner's day, else "since <date and time>". */
export function sinceWords(iso: string, now = new Date()): string {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return new Date(iso).getTime() === midnight.getTime() ? 'today' : `since ${formatDateTime(iso)}`;
}
