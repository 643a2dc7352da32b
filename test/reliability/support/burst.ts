/**
 * A burst of unique opt-ins over keep-alive connections, recording what each sender was told:
 * acknowledged (a 2xx with the event id), refused (another status), or unknown (the connection
 * broke: the server may or may not have stored it). Stops early when asked (after a kill).
 */
import { randomUUID } from 'node:crypto';

export interface OptIn {
  email: string;
  /** The payload's event_id: the durable idempotency key. */
  key: string;
  outcome: 'acked' | 'refused' | 'unknown' | 'unsent';
  status?: number;
  eventId?: string;
}

export interface Burst {
  optins: OptIn[];
  acked(): number;
  /** Resolves when every opt-in was sent or the burst was stopped. */
  done: Promise<void>;
  stop(): void;
}

export function burstOptins(url: () => string, count: number, connections: number, label: string): Burst {
  const optins: OptIn[] = Array.from({ length: count }, (_, i) => ({
    email: `${label}-${i}@example.com`,
    key: randomUUID(),
    outcome: 'unsent' as const,
  }));
  let next = 0;
  let acked = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < optins.length) {
      const o = optins[next++]!;
      try {
        const res = await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ email: o.email, first_name: 'Burst', segment: 'fitness', event_id: o.key }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { event_id?: string };
        o.status = res.status;
        if (res.status >= 200 && res.status < 300 && body.event_id) {
          o.outcome = 'acked';
          o.eventId = body.event_id;
          acked++;
        } else o.outcome = 'refused';
      } catch {
        o.outcome = 'unknown';
      }
    }
  };
  const done = Promise.all(Array.from({ length: connections }, worker)).then(() => undefined);
  return { optins, acked: () => acked, done, stop: () => (stopped = true) };
}
