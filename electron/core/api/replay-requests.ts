/**
 * Events' bulk replay: stored requests go through the receiver again, as it is set up now
 * (settings, secrets, sender presets), so a request refused before a fix can now become an event.
 * One at a time in arrival order, so events keep the order their requests arrived in. Each
 * stored request makes at most one event however often it is replayed (its replay carries the
 * sender's key or its own: receiver/scope.ts); an accepted request's event is copied and runs
 * its automations again, as a single replay does, once per action key.
 */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import { MAX_REPLAY, replayWords, type ReplayItem } from '../../../shared/replay-words.js';
import { uuidv7 } from '../ids.js';
import type { IngestResult } from '../ingest/ingest-writer.js';
import type { RelayedResult, ReplayedRequest } from '../ingest/relayed.js';
import type { EventStore, NewEvent } from '../storage/event-store.js';
import type { InboxStore, StoredRequest } from '../storage/inbox-store.js';
import type { LiveBus } from './live-bus.js';

export interface ReplayDeps {
  inbox: InboxStore;
  events: EventStore;
  /** The receiver's entry for a replayed request. */
  replay: (r: ReplayedRequest) => Promise<RelayedResult>;
  /** Stores an event the way every event is stored (the ingest writer); it is dispatched from there. */
  emit: (event: NewEvent) => Promise<IngestResult>;
  live: LiveBus;
  now: () => string;
}

export function replayHandlers(d: ReplayDeps): Pick<ApiHandlers, 'replayRequests'> {
  // One bulk replay at a time: a second click waits, then finds what the first one made.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    replayRequests: (input) => {
      const run = queue.then(async () => {
        const selection = input.ids ? { ids: input.ids } : { refused: input.refused ?? {} };
        const { items: requests, total } = d.inbox.forReplay(selection, MAX_REPLAY);
        const items: ReplayItem[] = [];
        for (const r of requests) items.push(await replayOne(d, r, input.key));
        if (input.ids) {
          const found = new Set(requests.map((r) => r.id));
          for (const id of input.ids) {
            if (!found.has(id)) items.push({ request_id: id, outcome: 'cannot_replay', reason: 'it is no longer stored', event_id: null, replay_id: null });
          }
        }
        if (items.length) d.live.publish({ topic: 'request' });
        return { items, matched: Math.max(total, items.length), words: replayWords(items, Math.max(total, items.length)) };
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

async function replayOne(d: ReplayDeps, r: StoredRequest, key: string | undefined): Promise<ReplayItem> {
  const item = (outcome: ReplayItem['outcome'], reason: string | null, event_id: string | null = null, replay_id: number | null = null): ReplayItem => ({
    request_id: r.id,
    outcome,
    reason,
    event_id,
    replay_id,
  });
  if (r.outcome === 'accepted' && r.event_id) return sendAgain(d, r.id, r.event_id, key);
  // A held request goes through when its sender's fields are mapped (held-release.ts), not here.
  if (r.outcome === 'held') return item('held', 'it waits for you to show Leadbell what its fields hold');
  if (r.replayed_event_id) return item('already', null, r.replayed_event_id);
  if (r.body_truncated) return item('cannot_replay', 'only the start of it was kept');
  const result = await d.replay({
    // A replay of a replay stands for the original: one event per request that arrived.
    replayOf: r.replay_of ?? r.id,
    receivedAt: r.received_at,
    ip: r.client_ip,
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
  });
  const row = result.inboxId === null ? undefined : d.inbox.outcomeOf(result.inboxId);
  if (!row) return item('still_refused', `not stored (HTTP ${result.status}): try again`);
  switch (row.outcome) {
    case 'accepted':
      return item('went_through', null, row.event_id, result.inboxId);
    case 'duplicate':
      return item('already', null, row.event_id, result.inboxId);
    case 'rejected':
      return item('still_refused', row.reason, null, result.inboxId);
    case 'held':
      return item('held', row.reason, null, result.inboxId);
    default:
      return item('not_used', row.reason, null, result.inboxId);
  }
}

/** An accepted request: its event, copied, runs its automations again (as Replay on one event does). */
async function sendAgain(d: ReplayDeps, requestId: number, eventId: string, key: string | undefined): Promise<ReplayItem> {
  const original = d.events.get(eventId);
  if (!original) return { request_id: requestId, outcome: 'cannot_replay', reason: 'its event is no longer stored', event_id: null, replay_id: null };
  const { seq: _seq, ...event } = original;
  const copy: NewEvent = {
    ...event,
    id: uuidv7(),
    received_at: d.now(),
    source: 'replay',
    inbox_id: null,
    idempotency_key: key ? `replay:${key}:${eventId}` : null,
  };
  const stored = await d.emit(copy);
  return { request_id: requestId, outcome: stored.duplicate ? 'already' : 'sent_again', reason: null, event_id: stored.eventId, replay_id: null };
}
