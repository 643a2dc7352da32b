/**
 * Writes each inbound request (and its event, if it produced one) durably, in group-committed
 * transactions. A request is answered only after its promise resolves, i.e. after the fsync.
 */
import type { EventRecord } from '../../../shared/api/models.js';
import { walSyncer, type Db } from '../storage/database.js';
import { EventStore, type NewEvent } from '../storage/event-store.js';
import { GroupCommit } from '../storage/group-commit.js';
import { InboxStore, type InboxRow } from '../storage/inbox-store.js';

/** A request (with the event it produced, if any), or an event the app raises itself (e.g. tunnel.url_changed). */
export type IngestItem =
  | { inbox: InboxRow; event?: NewEvent; release?: undefined }
  | { inbox?: undefined; event: NewEvent; release?: undefined }
  | { release: HeldRelease; inbox?: undefined; event?: undefined };

/**
 * A held request read at last (the owner mapped its sender): its event, or why it still cannot be
 * a lead. The request changes and its event is stored in one commit, and only while the request
 * is still held, so a release repeated after a crash changes nothing.
 */
export interface HeldRelease {
  inboxId: number;
  event?: NewEvent;
  reason: string | null;
}

export interface IngestResult {
  inboxId: number | null;
  eventId: string | null;
  duplicate: boolean;
  /** The event as stored, when the request produced a new one. */
  stored?: EventRecord;
}

export class IngestWriter {
  private readonly groupCommit: GroupCommit<IngestItem, IngestResult>;
  private readonly byKey;
  private listeners = new Set<(events: EventRecord[]) => void>();

  private readonly inbox: InboxStore;
  private readonly events: EventStore;
  private readonly wal: ReturnType<typeof walSyncer>;

  /** `db` is the ingest connection (openIngestConnection): its commits are synced by walSyncer. */
  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.inbox = new InboxStore(db);
    this.events = new EventStore(db);
    this.byKey = db.prepare('SELECT id FROM events WHERE idempotency_key = ?').pluck();
    this.wal = walSyncer(dataDir);
    this.groupCommit = new GroupCommit(
      db,
      (items) => items.map((item) => this.apply(item)),
      this.wal.sync,
      (results) => this.notify(results),
    );
  }

  private apply(item: IngestItem): IngestResult {
    if (item.release) return this.applyRelease(item.release);
    if (!item.inbox) return this.applyRaised(item.event);
    const { inbox, event } = item;
    // A relay redelivers what it did not see acknowledged: the first stored copy stands.
    const relayed = inbox.relay_id ? this.inbox.relayed(inbox.relay_id) : undefined;
    if (relayed !== undefined) return { inboxId: relayed, eventId: null, duplicate: true };
    if (!event) return { inboxId: this.inbox.insert(inbox), eventId: null, duplicate: false };
    const existing = event.idempotency_key ? (this.byKey.get(event.idempotency_key) as string | undefined) : undefined;
    if (existing) {
      const inboxId = this.inbox.insert({ ...inbox, status: 200, outcome: 'duplicate', reason: 'duplicate', event_id: existing });
      return { inboxId, eventId: existing, duplicate: true };
    }
    const inboxId = this.inbox.insert({ ...inbox, event_id: event.id });
    const { seq } = this.events.insert({ ...event, inbox_id: inboxId });
    return { inboxId, eventId: event.id, duplicate: false, stored: { ...event, seq, inbox_id: inboxId } };
  }

  private applyRelease({ inboxId, event, reason }: HeldRelease): IngestResult {
    if (!event) {
      this.inbox.settleHeld(inboxId, 'rejected', reason, null);
      return { inboxId, eventId: null, duplicate: false };
    }
    const existing = event.idempotency_key ? (this.byKey.get(event.idempotency_key) as string | undefined) : undefined;
    if (existing) {
      this.inbox.settleHeld(inboxId, 'duplicate', 'duplicate', existing);
      return { inboxId, eventId: existing, duplicate: true };
    }
    if (!this.inbox.settleHeld(inboxId, 'accepted', reason, event.id)) return { inboxId, eventId: null, duplicate: true };
    const { seq } = this.events.insert({ ...event, inbox_id: inboxId });
    return { inboxId, eventId: event.id, duplicate: false, stored: { ...event, inbox_id: inboxId, seq } };
  }

  private applyRaised(event: NewEvent): IngestResult {
    const { id, seq, duplicate } = this.events.insert(event);
    // A duplicate names the event already stored under its key.
    return duplicate
      ? { inboxId: null, eventId: id, duplicate }
      : { inboxId: null, eventId: event.id, duplicate, stored: { ...event, seq } };
  }

  /** Resolves once the item is durably committed. */
  write(item: IngestItem): Promise<IngestResult> {
    return this.groupCommit.submit(item);
  }

  /** Listeners hear about new events after they are committed (once per batch). */
  onCommitted(listener: (events: EventRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(results: IngestResult[]): void {
    const events = results.flatMap((r) => (r.stored ? [r.stored] : []));
    if (!events.length) return;
    for (const l of this.listeners) l(events);
  }

  async close(): Promise<void> {
    await this.groupCommit.close();
    await this.wal.close();
    this.db.close();
  }
}
