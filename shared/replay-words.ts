/**
 * A bulk replay from Events, in the owner's words: "12 replayed: 10 went through, 2 still refused".
 * The core returns it with the outcome and the UI shows it as is, so both say the same.
 */
import { z } from 'zod';

/** Requests replayed in one action at most; the rest wait for the next one (oldest first). */
export const MAX_REPLAY = 1000;

/**
 * What became of one replayed request:
 * - `went_through`: it became an event now (it was refused, or left alone, before);
 * - `sent_again`: it had become an event, and that event went through the automations again;
 * - `already`: an event was made from it before (by an earlier replay, or the sender's retry), so none was made again;
 * - `still_refused`: the receiver refuses it as it is set up now (`reason` says why);
 * - `held`: it is from a sender whose fields are not mapped yet: it waits for the owner to map them;
 * - `not_used`: the receiver takes it but makes nothing of it (a sender's event Leadbell leaves alone, or spam);
 * - `cannot_replay`: only the start of it was kept, or it is no longer stored.
 */
export const replayOutcome = z.enum(['went_through', 'sent_again', 'already', 'still_refused', 'held', 'not_used', 'cannot_replay']);
export type ReplayOutcome = z.infer<typeof replayOutcome>;

export const replayItem = z.object({
  request_id: z.number(),
  outcome: replayOutcome,
  reason: z.string().nullable(),
  /** The event it became or met, if any. */
  event_id: z.string().nullable(),
  /** The replay's own request in Events, when the receiver took it in. */
  replay_id: z.number().nullable(),
});
export type ReplayItem = z.infer<typeof replayItem>;

export const replaySummary = z.object({
  /** In arrival order. */
  items: z.array(replayItem),
  /** How many matched; more than items when over MAX_REPLAY (the oldest were replayed). */
  matched: z.number(),
  words: z.string(),
});
export type ReplaySummary = z.infer<typeof replaySummary>;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "12 replayed: 10 went through, 2 still refused (email: is required)". */
export function replayWords(items: readonly ReplayItem[], matched: number): string {
  if (!items.length) return 'Nothing to replay: no request matches';
  const count = (o: ReplayOutcome) => items.filter((i) => i.outcome === o).length;
  const parts: string[] = [];
  const through = count('went_through');
  if (through) parts.push(`${through.toLocaleString('en-US')} went through`);
  const again = count('sent_again');
  if (again) parts.push(`${again.toLocaleString('en-US')} sent through your automations again`);
  const already = count('already');
  if (already) parts.push(`${already.toLocaleString('en-US')} had already gone through (nothing made twice)`);
  const refused = items.filter((i) => i.outcome === 'still_refused');
  if (refused.length) {
    const reasons = [...new Set(refused.map((i) => i.reason ?? 'no reason given'))];
    const shown = reasons.slice(0, 3).join('; ');
    parts.push(`${refused.length.toLocaleString('en-US')} still refused (${shown}${reasons.length > 3 ? `; and ${plural(reasons.length - 3, 'other reason')}` : ''})`);
  }
  const held = count('held');
  if (held) parts.push(`${held.toLocaleString('en-US')} held until you show Leadbell what their fields hold`);
  const unused = count('not_used');
  if (unused) parts.push(`${unused.toLocaleString('en-US')} taken in but not used`);
  const cannot = items.filter((i) => i.outcome === 'cannot_replay');
  if (cannot.length) parts.push(`${cannot.length.toLocaleString('en-US')} could not be replayed (${[...new Set(cannot.map((i) => i.reason))].join('; ')})`);
  const head = matched > items.length ? `${items.length.toLocaleString('en-US')} of ${matched.toLocaleString('en-US')} replayed` : `${items.length.toLocaleString('en-US')} replayed`;
  const rest = matched > items.length ? `. At most ${MAX_REPLAY.toLocaleString('en-US')} go at once, oldest first: replay again for the rest` : '';
  return `${head}: ${parts.join(', ')}${rest}`;
}
