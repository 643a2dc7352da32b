/**
 * The queue: one Durable Object holds every request (sealed for the desktop) in its SQLite
 * storage until the desktop acknowledges it after its own durable commit. The desktop holds one
 * hibernatable WebSocket; new requests are pushed at once, a backlog drains in arrival order.
 */
import { DurableObject } from 'cloudflare:workers';
import { accepted, corsHeaders, originAllowed, preflight, type PublicConfig } from './answers.js';
import { json, limits, MAX_BODY_BYTES, type Env } from './env.js';
import { importDesktopKey, sealer } from './seal.js';

/** Unacknowledged requests on the wire at once, and the most sent in one message. */
const WINDOW = 400;
const BATCH = 100;
/** A message carries at most this many sealed bytes (a 1 MB body seals to about 1.4 MB). */
const BATCH_BYTES = 4 * 1024 * 1024;
const HOP_BY_HOP = /^(connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade|cf-.*|x-real-ip|x-forwarded-.*|cdn-loop)$/i;

interface Hello extends PublicConfig {
  type: 'hello';
  public_key: JsonWebKey;
}
interface Ack {
  type: 'ack';
  ids: string[];
}
/**
 * Kept on each socket, so it survives hibernation: the highest sequence number sent on it, and
 * whether it was already told the queue is empty (said once, not after every ack).
 */
interface Attachment {
  sentUpTo: number;
  toldEmpty?: boolean;
}

export class RelayQueue extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private seal: ((plaintext: Uint8Array) => Promise<Uint8Array>) | null = null;
  private readonly rate = new Map<string, { windowStart: number; count: number }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, sealed BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS config (k TEXT PRIMARY KEY, v TEXT NOT NULL);`);
  }

  override async fetch(req: Request): Promise<Response> {
    if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') return this.openSocket();
    const config = this.config();
    if (req.method === 'OPTIONS') return preflight(req, config);
    return this.receive(req, config);
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
    const seal = await this.sealer();
    if (!seal) return json(503, { status: 'unavailable', error: 'the relay is not set up yet: open Leadbell once so it can connect' }, { ...cors, 'retry-after': '300' });
    const { maxQueued, maxQueuedBytes } = limits(this.env);
    const held = this.sql.exec<{ n: number; bytes: number }>('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM queue').one();
    if (held.n >= maxQueued || held.bytes + body.length > maxQueuedBytes) {
      return json(503, { status: 'unavailable', error: 'the relay queue is full: the desktop has not collected it yet' }, { ...cors, 'retry-after': '120' });
    }
    const id = crypto.randomUUID();
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.test(k)) headers[k] = v;
    });
    const record = {
      v: 1,
      id,
      received_at: new Date().toISOString(),
      method: req.method,
      path: new URL(req.url).pathname + new URL(req.url).search,
      ip,
      headers,
      body: toBase64(body),
    };
    const sealed = await seal(new TextEncoder().encode(JSON.stringify(record)));
    // A storage write holds back the response until it is durable (the output gate).
    this.sql.exec('INSERT INTO queue (id, size, sealed) VALUES (?, ?, ?)', id, body.length, sealed);
    for (const ws of this.ctx.getWebSockets()) this.push(ws);
    return accepted(req, config, id);
  }

  private openSocket(): Response {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    // One desktop: a new connection replaces the old one.
    for (const old of this.ctx.getWebSockets()) old.close(4000, 'replaced by a newer connection');
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ sentUpTo: 0 } satisfies Attachment);
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
    if (msg.type === 'hello') {
      if (!validKey(msg.public_key)) return ws.close(4400, 'hello needs a P-256 public key');
      const config: PublicConfig = {
        allowed_origins: Array.isArray(msg.allowed_origins) ? msg.allowed_origins.filter((o) => typeof o === 'string').slice(0, 100) : [],
        thank_you_url: typeof msg.thank_you_url === 'string' ? msg.thank_you_url : null,
      };
      const { kty, crv, x, y } = msg.public_key;
      this.sql.exec("INSERT OR REPLACE INTO config (k, v) VALUES ('public', ?), ('key', ?)", JSON.stringify(config), JSON.stringify({ kty, crv, x, y }));
      this.seal = null;
      ws.serializeAttachment({ ...((ws.deserializeAttachment() as Attachment | null) ?? { sentUpTo: 0 }), toldEmpty: false } satisfies Attachment);
      this.push(ws);
    } else if (msg.type === 'ack' && Array.isArray(msg.ids)) {
      for (const id of msg.ids) if (typeof id === 'string') this.sql.exec('DELETE FROM queue WHERE id = ?', id);
      this.push(ws);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, 'closing');
    } catch {
      /* already closed */
    }
  }

  /** Sends what the window allows after what this socket was already sent. */
  private push(ws: WebSocket): void {
    const att = (ws.deserializeAttachment() as Attachment | null) ?? { sentUpTo: 0 };
    const inFlight = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM queue WHERE seq <= ?', att.sentUpTo).one().n;
    const room = Math.min(BATCH, WINDOW - inFlight);
    const rows: { seq: number; id: string; sealed: ArrayBuffer }[] = [];
    let bytes = 0;
    if (room > 0) {
      for (const row of this.sql.exec<{ seq: number; id: string; sealed: ArrayBuffer }>('SELECT seq, id, sealed FROM queue WHERE seq > ? ORDER BY seq LIMIT ?', att.sentUpTo, room)) {
        if (rows.length && bytes + row.sealed.byteLength > BATCH_BYTES) break;
        rows.push(row);
        bytes += row.sealed.byteLength;
      }
    }
    const backlog = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM queue').one().n;
    const last = rows.at(-1);
    if (!rows.length) {
      // Nothing to send: tell the desktop once that the queue is empty (the end of a drain).
      if (backlog > 0 || att.toldEmpty) return;
      ws.serializeAttachment({ ...att, toldEmpty: true } satisfies Attachment);
    } else ws.serializeAttachment({ sentUpTo: last!.seq, toldEmpty: false } satisfies Attachment);
    ws.send(JSON.stringify({ type: 'requests', backlog, items: rows.map((r) => ({ id: r.id, sealed: toBase64(new Uint8Array(r.sealed)) })) }));
  }

  private config(): PublicConfig {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM config WHERE k = 'public'").toArray()[0];
    return row ? (JSON.parse(row.v) as PublicConfig) : { allowed_origins: [], thank_you_url: null };
  }

  private async sealer(): Promise<((plaintext: Uint8Array) => Promise<Uint8Array>) | null> {
    if (this.seal) return this.seal;
    const row = this.sql.exec<{ v: string }>("SELECT v FROM config WHERE k = 'key'").toArray()[0];
    this.seal = row ? sealer(await importDesktopKey(JSON.parse(row.v) as JsonWebKey)) : null;
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

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
