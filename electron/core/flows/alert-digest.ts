/**
 * Team-chat alerts that wait together go out as a few combined messages instead of one message
 * each (a promo burst would otherwise flood the channel at the vendor's one-a-second pace).
 * Vendor-neutral: the caller says what fits in one message and how to send one.
 */
import { classifyFailure } from '../runner/failure.js';

/**
 * Splits items, in order, into groups that each fit in one message. An item that does not fit
 * even alone gets a group of its own: it is sent as a lone alert would be, and never holds up
 * the others.
 */
export function packInOrder<T>(items: readonly T[], fits: (group: readonly T[]) => boolean): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    if (current.length && !fits([...current, item])) {
      groups.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * Sends the items as packed messages, in order; per item, null once its message was accepted or
 * the error that refused it. A refusal (400, 404) belongs to that message alone and the next one
 * is still tried; after anything worth retrying (a 429, a timeout) the rest are not tried now and
 * share that error, so they wait and go again together.
 */
export async function sendPacked<T>(
  items: readonly T[],
  fits: (group: readonly T[]) => boolean,
  send: (group: readonly T[]) => Promise<void>,
): Promise<(Error | null)[]> {
  // Packed by position: two alerts may well be equal (the same text twice).
  const results: (Error | null)[] = items.map(() => null);
  let stopped: Error | null = null;
  const groupFits = (at: readonly number[]) => fits(at.map((i) => items[i]!));
  for (const group of packInOrder(items.map((_, i) => i), groupFits)) {
    let result: Error | null = stopped;
    if (!stopped) {
      try {
        await send(group.map((i) => items[i]!));
      } catch (err) {
        result = err instanceof Error ? err : new Error(String(err));
        if (classifyFailure(err).kind !== 'permanent') stopped = result;
      }
    }
    for (const i of group) results[i] = result;
  }
  return results;
}
