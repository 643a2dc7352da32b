/**
 * Outboxes keyed by integration: each integration's calls wait in their own lane, so a
 * throttled or failing vendor delays only its own calls (the vendor's pacer inside httpCall
 * sets the pace; a lane only bounds how many calls are under way at once). Calls that share a
 * batch key and wait together go out as one request (e.g. one Meta audience, up to 10,000
 * people). The lanes live in memory; what they hold is durable where it came from (a call
 * step is `running` with its integration until answered, and is handed over again after a
 * restart). A lane also keeps the figures the owner sees: how many wait, how fast they go.
 */

export interface OutboxJob<T> {
  integration: string;
  /** What a backlog of these is called on screen: "welcome emails". */
  label: string;
  /** Jobs with the same key that wait together may be sent as one group. */
  batch?: { key: string; max: number };
  data: T;
}

export interface BacklogItem {
  integration: string;
  label: string;
  /** Waiting or under way. */
  waiting: number;
  /** Sent since this backlog began (for a progress bar: sent / (sent + waiting)). */
  sent: number;
  /** At the pace of the last few seconds; null until there is a pace to go by. */
  eta_seconds: number | null;
}

export interface OutboxOptions<T> {
  /** Sends a group (one job, or a batch); must not throw: it records its own outcome. */
  send(group: OutboxJob<T>[]): Promise<void>;
  /** Calls under way at once per integration (default 32). */
  concurrency?: Partial<Record<string, number>>;
  /** Nothing waits and nothing is under way any more. */
  onIdle?: () => void;
  now?: () => number;
}

const DEFAULT_CONCURRENCY = 32;
/** The pace is measured over this much recent time. */
const PACE_WINDOW_MS = 10_000;

class Lane<T> {
  readonly queue: OutboxJob<T>[] = [];
  inFlight = 0;
  /** By label: waiting (queued or under way) and sent since the backlog began. */
  readonly counts = new Map<string, { waiting: number; sent: number }>();
  /** Completion times (ms) with how many jobs completed, within the pace window. */
  readonly done: { at: number; n: number }[] = [];

  constructor(readonly concurrency: number) {}
}

export class Outbox<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private held = false;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly options: OutboxOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  submit(job: OutboxJob<T>): void {
    if (this.stopped) return;
    const lane = this.lane(job.integration);
    lane.queue.push(job);
    const c = lane.counts.get(job.label) ?? { waiting: 0, sent: 0 };
    c.waiting++;
    lane.counts.set(job.label, c);
    this.pump(lane);
  }

  /**
   * While held, no new call starts (calls under way go on): the owner's local work has priority
   * over vendor calls, which only wait a little longer in their lanes.
   */
  hold(on: boolean): void {
    if (this.held === on) return;
    this.held = on;
    if (!on) for (const lane of this.lanes.values()) this.pump(lane);
  }

  isIdle(): boolean {
    return this.running.size === 0 && [...this.lanes.values()].every((l) => l.queue.length === 0);
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what waits (it is handed over again on the next start) and waits for calls under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) lane.queue.length = 0;
    await Promise.allSettled([...this.running]);
  }

  backlog(): BacklogItem[] {
    const now = this.now();
    const items: BacklogItem[] = [];
    for (const [integration, lane] of this.lanes) {
      while (lane.done.length && lane.done[0]!.at < now - PACE_WINDOW_MS) lane.done.shift();
      const recent = lane.done.reduce((n, d) => n + d.n, 0);
      const since = lane.done.length ? Math.max(1_000, now - lane.done[0]!.at) : 0;
      const perSecond = recent && since ? (recent * 1000) / since : 0;
      const laneWaiting = [...lane.counts.values()].reduce((n, c) => n + c.waiting, 0);
      for (const [label, c] of lane.counts) {
        if (!c.waiting) continue;
        // The lane drains in order: everything waiting in it is ahead of this label's last call.
        items.push({ integration, label, waiting: c.waiting, sent: c.sent, eta_seconds: perSecond ? Math.ceil(laneWaiting / perSecond) : null });
      }
    }
    return items;
  }

  private lane(integration: string): Lane<T> {
    let lane = this.lanes.get(integration);
    if (!lane) {
      lane = new Lane<T>(Math.max(1, this.options.concurrency?.[integration] ?? DEFAULT_CONCURRENCY));
      this.lanes.set(integration, lane);
    }
    return lane;
  }

  private pump(lane: Lane<T>): void {
    while (!this.stopped && !this.held && lane.inFlight < lane.concurrency && lane.queue.length) {
      const group = takeGroup(lane.queue);
      lane.inFlight++;
      const sending: Promise<void> = this.options
        .send(group)
        .catch(() => undefined)
        .finally(() => {
          lane.inFlight--;
          this.running.delete(sending);
          this.completed(lane, group);
          this.pump(lane);
          if (this.isIdle()) {
            for (const w of this.idleWaiters.splice(0)) w();
            this.options.onIdle?.();
          }
        });
      this.running.add(sending);
    }
  }

  private completed(lane: Lane<T>, group: OutboxJob<T>[]): void {
    lane.done.push({ at: this.now(), n: group.length });
    for (const job of group) {
      const c = lane.counts.get(job.label);
      if (!c) continue;
      c.waiting--;
      c.sent++;
      // A backlog that has drained starts counting afresh next time.
      if (c.waiting <= 0) lane.counts.delete(job.label);
    }
  }
}

/** The first job, with the jobs waiting behind it that share its batch key (up to its maximum). */
function takeGroup<T>(queue: OutboxJob<T>[]): OutboxJob<T>[] {
  const first = queue.shift()!;
  if (!first.batch) return [first];
  const group = [first];
  for (let i = 0; i < queue.length && group.length < first.batch.max; ) {
    if (queue[i]!.batch?.key === first.batch.key) group.push(...queue.splice(i, 1));
    else i++;
  }
  return group;
}
