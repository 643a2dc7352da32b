/**
 * The receiver's entry for a request the relay held: it goes through the same Fastify pipeline
 * as a direct post (injected, not over a socket), carrying the relay's received_at and client IP.
 * A per-request random token in a header links the injected request to its context; the header
 * is removed before anything is recorded, and a sender cannot guess a token.
 * The owner's replays from Events enter the same way (`replayOf` set, no relay id), so a stored
 * request is judged by the receiver's pipeline as it is today: settings, secrets, presets.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

export const RELAYED_HEADER = 'x-leadbell-relayed';

export interface RelayedRequest {
  relayId: string;
  receivedAt: string;
  ip: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A stored request replayed by the owner: timed and addressed as when it first arrived. */
export interface ReplayedRequest extends Omit<RelayedRequest, 'relayId'> {
  replayOf: number;
}

export interface RelayedResult {
  /** What the receiver would have answered (the sender already got the relay's 202 or 303). */
  status: number;
  /** True once the request's inbox row is durably committed (or was already, on a redelivery). */
  stored: boolean;
  /** The inbox row it was stored as (a replay reads its outcome there). */
  inboxId: number | null;
}

export interface RelayedContext {
  /** Set for a request the relay held. */
  relayId?: string;
  /** Set for the owner's replay of a stored request. */
  replayOf?: number;
  receivedAt: string;
  ip: string;
  stored: boolean;
  inboxId: number | null;
}

const DROPPED = new Set(['content-length', 'transfer-encoding', 'connection', RELAYED_HEADER]);

export class RelayedInbound {
  private readonly pending = new Map<string, RelayedContext>();

  /** Called first for every request: the relayed context, if this is one of ours. */
  take(headers: IncomingHttpHeaders): RelayedContext | undefined {
    const token = headers[RELAYED_HEADER];
    if (token === undefined) return undefined;
    delete headers[RELAYED_HEADER];
    return typeof token === 'string' ? this.pending.get(token) : undefined;
  }

  async inject(app: FastifyInstance, r: RelayedRequest | ReplayedRequest): Promise<RelayedResult> {
    const token = randomBytes(18).toString('base64url');
    const from = 'relayId' in r ? { relayId: r.relayId } : { replayOf: r.replayOf };
    const ctx: RelayedContext = { ...from, receivedAt: r.receivedAt, ip: r.ip, stored: false, inboxId: null };
    this.pending.set(token, ctx);
    try {
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !DROPPED.has(k.toLowerCase())));
      const res = await app.inject({ method: r.method as 'POST', url: r.path, headers: { ...headers, [RELAYED_HEADER]: token }, payload: r.body });
      return { status: res.statusCode, stored: ctx.stored, inboxId: ctx.inboxId };
    } finally {
      this.pending.delete(token);
    }
  }
}
