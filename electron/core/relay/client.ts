/**
 * Holds the one WebSocket to the relay: says hello (public key, CORS origins, thank-you page),
 * delivers each pushed request through the receiver, and acknowledges it only after its inbox row
 * is durably committed. Reconnects with backoff and never gives up; a refused secret is shown.
 */
import WebSocket from 'ws';
import type { RelayStatus } from '../../../shared/api/models.js';
import { relayUsage } from '../../../shared/relay.js';
import { decodeFrame, RELAY_PROTOCOL } from '../../../shared/relay-wire.js';
import { backoffDelay } from '../backoff.js';
import type { Logger } from '../log/logger.js';
import type { RelayedRequest, RelayedResult } from '../ingest/relayed.js';
import { frameHead, legacyRequests, SOCKET_OPTIONS, type Ack, type Hello } from './protocol.js';
import type { Unsealer } from './unseal.js';

export interface RelayClientDeps {
  url: string;
  secret: string;
  hello: () => Omit<Hello, 'protocol'>;
  unseal: Unsealer;
  deliver: (r: RelayedRequest) => Promise<RelayedResult>;
  log: Logger;
  onStatus: () => void;
  /** After a reconnect drained a backlog: how many requests it brought in. */
  onDrained?: (count: number) => void;
  /** First and longest wait between attempts (tests shorten them). */
  backoffMs?: { min: number; max: number };
  /** How often the connection is checked with a ping (a missing pong ends it). */
  heartbeatMs?: number;
}

export class RelayClient {
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;
  private drain: { count: number; waiting: boolean } = { count: 0, waiting: false };
  /** Acknowledgements gathered in one turn of the event loop go out as one message. */
  private acks: (number | string)[] = [];
  private ackTimer: NodeJS.Immediate | null = null;
  /** A connection that died silently (sleep, a dropped NAT mapping) is found by missing pongs. */
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly state: RelayStatus;

  constructor(private readonly deps: RelayClientDeps) {
    this.state = { state: 'connecting', url: deps.url, detail: null, backlog: null, arrived_while_away: null, last_connected_at: null, delivered: 0, usage: null, outdated: false };
  }

  status(): RelayStatus {
    return { ...this.state };
  }

  start(): void {
    this.connect();
  }

  /** Sends the current hello again (the CORS origins or thank-you page changed). */
  refreshHello(): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(this.hello());
  }

  private hello(): string {
    return JSON.stringify({ ...this.deps.hello(), protocol: RELAY_PROTOCOL } satisfies Hello);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.ws?.terminate();
  }

  private set(patch: Partial<RelayStatus>): void {
    Object.assign(this.state, patch);
    this.deps.onStatus();
  }

  private connect(): void {
    if (this.stopped) return;
    const wsUrl = `${this.deps.url.replace(/^http/, 'ws').replace(/\/$/, '')}/connect`;
    const ws = new WebSocket(wsUrl, { ...SOCKET_OPTIONS, headers: { authorization: `Bearer ${this.deps.secret}` }, handshakeTimeout: 15_000 });
    this.ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      if (code === 401) {
        this.set({ state: 'auth_failed', detail: 'The relay refused this computer\'s relay secret (401). Redeploy the relay from Settings, or set the same secret on both sides.' });
      } else {
        this.set({ state: 'reconnecting', detail: `The relay answered ${code} instead of opening the connection.` });
      }
      ws.terminate();
    });
    ws.on('open', () => {
      this.attempt = 0;
      this.drain = { count: 0, waiting: true };
      // Connected once the relay has answered the hello (it then holds this computer's key).
      ws.send(this.hello());
      let alive = true;
      ws.on('pong', () => (alive = true));
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, this.deps.heartbeatMs ?? 30_000);
    });
    ws.on('message', (data, isBinary) => void this.onMessage(ws, data as Buffer, isBinary));
    ws.on('error', (err) => {
      if (this.state.state !== 'auth_failed') this.set({ state: 'reconnecting', detail: `The relay cannot be reached: ${err.message}` });
    });
    ws.on('close', (code, reason) => {
      if (this.ws === ws) {
        this.ws = null;
        if (this.heartbeat) clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
      if (this.stopped) return;
      if (this.state.state === 'connected' || this.state.state === 'connecting') this.set({ state: 'reconnecting', detail: `The connection closed (${code}${reason.length ? `: ${reason.toString()}` : ''}).` });
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const { min, max } = this.deps.backoffMs ?? { min: 1000, max: 60_000 };
    this.attempt += 1;
    const wait = backoffDelay({ baseMs: min, capMs: max, jitter: { spread: 0.25 } }, this.attempt);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, wait);
  }

  /** Sequence numbers (binary frames) or, for a relay deployed before them, request ids. */
  private ack(ws: WebSocket, keys: (number | string)[]): void {
    this.acks.push(...keys);
    this.ackTimer ??= setImmediate(() => {
      this.ackTimer = null;
      const batch = this.acks.splice(0);
      if (ws.readyState !== WebSocket.OPEN || !batch.length) return;
      const ack: Ack = typeof batch[0] === 'number' ? { type: 'ack', seqs: batch as number[] } : { type: 'ack', ids: batch as string[] };
      ws.send(JSON.stringify(ack));
    });
  }

  /** A binary requests frame, or (text) the JSON requests message of a relay deployed before them. */
  private parse(data: Buffer, isBinary: boolean): { backlog: number; items: { key: number | string; sealed: Uint8Array }[]; usage?: RelayStatus['usage'] } {
    if (isBinary) {
      const frame = decodeFrame(data);
      const head = frameHead.parse(frame.head);
      return { backlog: head.backlog, items: head.items.map((i) => ({ key: i.seq, sealed: frame.sealed(i.size) })), usage: relayUsage(head.usage) };
    }
    const msg = legacyRequests.parse(JSON.parse(data.toString('utf8')));
    return { backlog: msg.backlog, items: msg.items.map((i) => ({ key: i.id, sealed: Buffer.from(i.sealed, 'base64') })) };
  }

  private async onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> {
    let msg: ReturnType<RelayClient['parse']>;
    try {
      msg = this.parse(data, isBinary);
    } catch (err) {
      this.deps.log.warn('relay sent a message that is not understood', { error: err as Error });
      return;
    }
    if (this.state.state !== 'connected') this.set({ state: 'connected', detail: null, last_connected_at: new Date().toISOString() });
    if (msg.usage) {
      if (msg.usage.exceeded_at && !this.state.usage?.exceeded_at) this.deps.log.warn("the relay used up today's free Cloudflare allowance", { exceeded_at: msg.usage.exceeded_at });
      this.set({ usage: msg.usage, outdated: false });
    } else if (!this.state.outdated) this.set({ outdated: true });
    const acked: (number | string)[] = [];
    let fresh = 0;
    let failed = false;
    await Promise.all(
      msg.items.map(async (item) => {
        try {
          const r = await this.deps.unseal(item.sealed);
          const result = await this.deps.deliver({
            relayId: r.id,
            receivedAt: r.received_at,
            ip: r.ip,
            method: r.method,
            path: r.path,
            headers: r.headers,
            body: r.body,
          });
          if (result.stored) {
            acked.push(item.key);
            fresh += 1;
          } else failed = true;
        } catch (err) {
          failed = true;
          this.deps.log.error('a relayed request could not be stored', { error: err as Error, relay_item: item.key });
        }
      }),
    );
    // Stopped while these were stored: the core is closing, so nothing more is done here (what
    // was stored but not acked is redelivered and deduplicated next time).
    if (this.stopped) return;
    if (acked.length) this.ack(ws, acked);
    const backlog = Math.max(0, msg.backlog - acked.length);
    this.drain.count += fresh;
    this.set({ backlog, delivered: this.state.delivered + fresh });
    if (this.drain.waiting && backlog === 0 && !msg.items.length) {
      this.drain.waiting = false;
      if (this.drain.count > 0) {
        this.set({ arrived_while_away: this.drain.count });
        this.deps.onDrained?.(this.drain.count);
      }
    }
    // What was not stored is redelivered on a fresh connection (the relay resends all it holds).
    if (failed && ws.readyState === WebSocket.OPEN) ws.close(4500, 'a request could not be stored; reconnecting');
  }
}
