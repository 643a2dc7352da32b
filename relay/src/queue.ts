/**
 * The queue: one Durable Object holds every request (sealed for the desktop) in its SQLite
 * storage until the desktop acknowledges it after its own durable commit. The desktop holds one
 * hibernatable WebSocket; new requests are pushed at once, a backlog drains in arrival order, as
 * binary frames (shared/relay-wire.ts). Storage costs the same few rows whatever the backlog
 * (store.ts), and the relay tells the desktop its use of the free plan with every frame.
 */
import { DurableObject } from 'cloudflare:workers';
import { encodeFrame, encodeRecord, RELAY_PROTOCOL, secondsUntilUtcMidnight, type RecordHead } from '../../shared/relay-wire.js';
import { accepted, corsHeaders, originAllowed, preflight, type PublicConfig } from './answers.js';
import { json, limits, MAX_BODY_BYTES, type Env } from './env.js';
import { importDesktopKey, sealer } from './seal.js';
import { isQuotaError, QueueStore } from './store.js';

/** Unacknowledged requests on the wire at once, and the most sent in one message. */
const WINDOW = 400;
const BATCH = 100;
/** A message carries at most this many sealed bytes (a 1 MB body seals to about 1 MB). */
const BATCH_BYTES = 4 * 1024 * 1024;
const HOP_BY_HOP = /^(connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|cf-.*|x-real-ip|x-forwarded-.*|cdn-loop)$/i;
/** Cloudflare bills an incoming WebSocket message as 1/20 of a request. */
const WS_MESSAGE_WEIGHT = 1 / 20;

interface Hello extends PublicConfig {
  type: 'hello';
  protocol?: number;
  public_key: JsonWebKey;
}
interface Ack {
  type: 'ack';
  seqs: number[];
}
/**
 * Kept on each socket, so it survives hibernation: the highest sequence number sent on it, how
 * many of those are not acknowledged yet, and whether it was already told the queue is empty
 * (said once, not after every ack).
 */
interface Attachment {
  sentUpTo: number;
  unacked: number;
  toldEmpty?: boolean;
}

const EMPTY_CONFIG: PublicConfig = { allowed_origins: [], thank_you_url: null };

export class RelayQueue extends DurableObject<Env> {
  private store: QueueStore | null = null;
  private publicConfig: PublicConfig = EMPTY_CONFIG;
  private seal: ((plaintext: Uint8Array) => Promise<Uint8Array>) | null = null;
  private readonly rate = new Map<string, { windowStart: number; count: number }>();

  /** The storage, opened on first use: opening reads a few rows, and may meet a used-up quota. */
  private open(): QueueStore {
    if (!this.store) {
      const store = new QueueStore(this.ctx.storage.sql);
      const config = store.config('public');
      this.publicConfig = config ? (JSON.parse(config) as PublicConfig) : EMPTY_CONFIG;
      this.store = store;
    }
    return this.store;
  }

  override async fetch(req: Request): Promise<Response> {
    try {
      this.open().countRequest();
    } catch (err) {
      if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') return this.openSocket();
      return this.storageFailed(err, corsHeaders(req, this.publicConfig));
    }
    if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') return this.openSocket();
    if (req.method === 'OPTIONS') return preflight(req, this.publicConfig);
    return this.receive(req, this.publicConfig);
  }

  private async receive(req: Request, config: PublicConfig): Promise<Response> {
    const cors = corsHeaders(req, config);
    const ip = req.headers.get('cf-connecting-ip') ?? 'unknown';
    const retry = this.rateLimited(ip);
    if (retry) {
      await discard(req);
      return json(429, { status: 'rejected', error: `rate limit: too many requests a minute from ${ip}`, retry_after: retry }, { ...cors, 'retry-after': String(retry) });
    }
    const origin = req.headers.get('origin');
    if (origin && !originAllowed(config, origin)) {
      await discard(req);
      return json(403, { status: 'rejected', error: `origin ${origin} is not allowed to post here (add it to the allowed origins)` });
    }
    const declared = Number(req.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) {
      await discard(req, declared);
      return tooLarge(cors);
    }
    const body = new Uint8Array(await req.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return tooLarge(cors);
    try {
      const seal = await this.sealer();
      if (!seal) return json(503, { status: 'unavailable', error: 'the relay is not set up yet: open Leadbell once so it can connect' }, { ...cors, 'retry-after': '300' });
      const store = this.open();
      const { maxQueued, maxQueuedBytes } = limits(this.env);
      if (store.count >= maxQueued || store.bytes + body.length > maxQueuedBytes) {
        return json(503, { status: 'unavailable', error: 'the relay queue is full: the desktop has not collected it yet' }, { ...cors, 'retry-after': '120' });
      }
      const id = crypto.randomUUID();
      const headers: Record<string, string> = {};
      req.headers.forEach((v, k) => {
        if (!HOP_BY_HOP.test(k)) headers[k] = v;
      });
      const url = new URL(req.url);
      const head: RecordHead = { id, received_at: new Date().toISOString(), method: req.method, path: url.pathname + url.search, ip, headers };
      const sealed = await seal(encodeRecord(head, body));
      // A storage write holds back the response until it is durable (the output gate).
      store.push(sealed, body.length);
      for (const ws of this.ctx.getWebSockets()) this.push(ws);
      return accepted(req, config, id);
    } catch (err) {
      return this.storageFailed(err, cors);
    }
  }

  /**
   * Storage refused: a used-up daily free allowance is answered 503 until 00:00 UTC (when it
   * resets) and told to the desktop; anything else asks the sender to retry in a minute.
   */
  private storageFailed(err: unknown, cors: Record<string, string>): Response {
    if (isQuotaError(err)) {
      this.store?.quotaHit();
      for (const ws of this.ctx.getWebSockets()) this.tell(ws);
      const wait = secondsUntilUtcMidnight(Date.now());
      return json(
        503,
        { status: 'unavailable', error: "the relay has used up today's free Cloudflare allowance: send again after 00:00 UTC", retry_after: wait },
        { ...cors, 'retry-after': String(wait) },
      );
    }
    console.error('relay storage failed', (err as Error).message);
    return json(503, { status: 'unavailable', error: 'the relay could not store the request just now: send again in a minute', retry_after: 60 }, { ...cors, 'retry-after': '60' });
  }

  private openSocket(): Response {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    // One desktop: a new connection replaces the old one.
    for (const old of this.ctx.getWebSockets()) old.close(4000, 'replaced by a newer connection');
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ sentUpTo: 0, unacked: 0 } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let msg: Hello | Ack;
    try {
      msg = JSON.parse(typeof message === 'string' ? message : new TextDecoder().decode(message)) as Hello | Ack;
    } catch {
      ws.close(4400, 'messages must be JSON');
      return;
    }
    try {
      const store = this.open();
      store.countRequest(WS_MESSAGE_WEIGHT);
      if (msg.type === 'hello') {
        // An older Leadbell reads JSON requests this relay no longer sends: it says so and stops.
        if (msg.protocol !== RELAY_PROTOCOL) return ws.close(4426, 'this relay needs a newer Leadbell: update Leadbell');
        if (!validKey(msg.public_key)) return ws.close(4400, 'hello needs a P-256 public key');
        const config: PublicConfig = {
          allowed_origins: Array.isArray(msg.allowed_origins) ? msg.allowed_origins.filter((o) => typeof o === 'string').slice(0, 100) : [],
          thank_you_url: typeof msg.thank_you_url === 'string' ? msg.thank_you_url : null,
        };
        const { kty, crv, x, y } = msg.public_key;
        store.setConfig({ public: JSON.stringify(config), key: JSON.stringify({ kty, crv, x, y }) });
        this.publicConfig = config;
        this.seal = null;
        ws.serializeAttachment({ ...this.attachment(ws), toldEmpty: false } satisfies Attachment);
        this.push(ws);
      } else if (msg.type === 'ack' && Array.isArray(msg.seqs)) {
        const deleted = store.ack(msg.seqs.filter((s) => Number.isSafeInteger(s) && s > 0).slice(0, WINDOW));
        const att = this.attachment(ws);
        ws.serializeAttachment({ ...att, unacked: Math.max(0, att.unacked - deleted) } satisfies Attachment);
        // Answered even with nothing new to send: the desktop learns the backlog and today's use.
        this.push(ws, true);
      }
    } catch (err) {
      // What was not deleted is sent again later; the desktop stores each request once.
      if (!isQuotaError(err)) throw err;
      this.store?.quotaHit();
      this.tell(ws);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, 'closing');
    } catch {
      /* already closed */
    }
  }

  private attachment(ws: WebSocket): Attachment {
    return (ws.deserializeAttachment() as Attachment | null) ?? { sentUpTo: 0, unacked: 0 };
  }

  /** Sends what the window allows after what this socket was already sent (`always`: even nothing). */
  private push(ws: WebSocket, always = false): void {
    const store = this.open();
    const att = this.attachment(ws);
    const room = Math.min(BATCH, WINDOW - att.unacked);
    const rows = room > 0 ? store.after(att.sentUpTo, room, BATCH_BYTES) : [];
    if (!rows.length) {
      // Nothing to send: tell the desktop once that the queue is empty (the end of a drain).
      if (!always && (store.count > 0 || att.toldEmpty)) return;
      if (store.count === 0) ws.serializeAttachment({ ...att, toldEmpty: true } satisfies Attachment);
    } else ws.serializeAttachment({ sentUpTo: rows.at(-1)!.seq, unacked: att.unacked + rows.length, toldEmpty: false } satisfies Attachment);
    ws.send(encodeFrame(store.count, store.today(), rows.map((r) => ({ seq: r.seq, sealed: new Uint8Array(r.sealed) }))));
  }

  /** A frame with no requests: the backlog and today's use (sent when storage is refused). */
  private tell(ws: WebSocket): void {
    const usage = this.store?.today() ?? { day: new Date().toISOString().slice(0, 10), requests: 0, rows_read: 0, rows_written: 0, exceeded_at: new Date().toISOString() };
    try {
      ws.send(encodeFrame(this.store?.count ?? 0, usage, []));
    } catch {
      /* closed meanwhile */
    }
  }

  private async sealer(): Promise<((plaintext: Uint8Array) => Promise<Uint8Array>) | null> {
    if (this.seal) return this.seal;
    const key = this.open().config('key');
    this.seal = key ? sealer(await importDesktopKey(JSON.parse(key) as JsonWebKey)) : null;
    return this.seal;
  }

  /** A fixed one-minute window per client IP; returns seconds to wait, or 0. */
  private rateLimited(ip: string): number {
    const now = Date.now();
    const limit = limits(this.env).ratePerMinute;
    const entry = this.rate.get(ip);
    if (!entry || now - entry.windowStart >= 60_000) {
      if (this.rate.size > 10_000) this.rate.clear();
      this.rate.set(ip, { windowStart: now, count: 1 });
      return 0;
    }
    entry.count += 1;
    return limit > 0 && entry.count > limit ? Math.ceil((entry.windowStart + 60_000 - now) / 1000) : 0;
  }
}

/**
 * Reads and drops a refused request's body (up to 8 MB), so the sender gets the answer rather
 * than a reset, and a kept-alive connection can carry its next request.
 */
async function discard(req: Request, declared = Number(req.headers.get('content-length') ?? 0)): Promise<void> {
  if (!req.body || declared > 8 * MAX_BODY_BYTES) return;
  for await (const chunk of req.body) void chunk;
}

function tooLarge(cors: Record<string, string>): Response {
  return json(413, { status: 'rejected', error: 'the body is over the 1 MB limit' }, cors);
}

function validKey(k: unknown): k is JsonWebKey {
  const j = k as JsonWebKey | null;
  return !!j && j.kty === 'EC' && j.crv === 'P-256' && typeof j.x === 'string' && typeof j.y === 'string';
}
