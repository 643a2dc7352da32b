/**
 * A loopback localtunnel server that speaks the protocol of localtunnel/server:
 *  - control side (the client's `host`): GET /?new or GET /{subdomain} registers a client and
 *    answers {id, port, max_conn_count, url}; an invalid subdomain gets 403 with a message; a
 *    taken one is answered with a random id;
 *  - each client gets its own TCP port, where the client opens up to max_conn_count raw sockets;
 *    a client is removed 1 s after it has no sockets (also 1 s after registering without any);
 *  - public side: a request to {url}/... is written over one of the client's sockets (one request
 *    per socket, as `Connection: close`), with X-Forwarded-For extended by the sender's address
 *    as the public service's nginx does (`forwardedFor: 'append'`, the default), or with the
 *    headers passed on untouched as localtunnel/server itself does (`forwardedFor: 'pass'`);
 *    as on loca.lt, a browser (a Mozilla User-Agent) gets a reminder page instead unless it sends
 *    a Bypass-Tunnel-Reminder header (CORS preflights, which cannot carry it, pass).
 * Public URLs are path-based (http://127.0.0.1:{port}/{id}) because loopback has no wildcard DNS.
 * Knobs for failure modes: refuse (e.g. 403), hang, an outage of N ms, sleep (every socket
 * dropped and every client port closed, as when a laptop sleeps) and stall (the current clients'
 * sockets stay open but nothing gets through them: a silently dead tunnel).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

/** The address a public request pretends to come from (loopback has only 127.0.0.1). */
export const FAKE_REMOTE_ADDRESS = 'x-fake-remote-address';

const SUBDOMAIN = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;
const INVALID_SUBDOMAIN = 'Invalid subdomain. Subdomains must be lowercase and between 4 and 63 alphanumeric characters.';

export interface FakeLocaltunnelOptions {
  maxConnCount?: number;
  /** A client with no sockets is removed after this long (localtunnel/server: 1 s). */
  graceMs?: number;
  /** A public request waits this long for a free socket before 504. */
  forwardTimeoutMs?: number;
  /** 'append': X-Forwarded-For gets the sender's address (loca.lt's proxy); 'pass': untouched (a bare server). */
  forwardedFor?: 'append' | 'pass';
}

interface Client {
  id: string;
  server: net.Server;
  port: number;
  sockets: Set<net.Socket>;
  idle: net.Socket[];
  waiters: ((s: net.Socket | null) => void)[];
  grace: NodeJS.Timeout | null;
  stalled: boolean;
}

type Mode = { kind: 'normal' } | { kind: 'refuse'; status: number; message: string } | { kind: 'hang' };

export class FakeLocaltunnelServer {
  /** Every successful registration: what was asked for and what was given. */
  readonly registrations: { requested: string | null; assigned: string }[] = [];
  /** Public requests written over a client socket. */
  forwarded = 0;
  private readonly clients = new Map<string, Client>();
  private readonly hanging = new Set<http.ServerResponse>();
  private mode: Mode = { kind: 'normal' };
  private readonly maxConn: number;
  private readonly graceMs: number;
  private readonly forwardTimeoutMs: number;
  private readonly forwardedFor: 'append' | 'pass';
  private control: http.Server;
  private publicSide: http.Server;
  private controlPort = 0;
  private publicPort = 0;

  private constructor(opts: FakeLocaltunnelOptions) {
    this.maxConn = opts.maxConnCount ?? 10;
    this.graceMs = opts.graceMs ?? 1000;
    this.forwardTimeoutMs = opts.forwardTimeoutMs ?? 5000;
    this.forwardedFor = opts.forwardedFor ?? 'append';
    this.control = http.createServer((req, res) => void this.onControl(req, res));
    this.publicSide = http.createServer((req, res) => void this.onPublic(req, res));
  }

  static async start(opts: FakeLocaltunnelOptions = {}): Promise<FakeLocaltunnelServer> {
    const s = new FakeLocaltunnelServer(opts);
    s.controlPort = await listen(s.control, 0);
    s.publicPort = await listen(s.publicSide, 0);
    return s;
  }

  /** What the client is pointed at (`host`). */
  get host(): string {
    return `http://127.0.0.1:${this.controlPort}`;
  }

  urlFor(id: string): string {
    return `http://127.0.0.1:${this.publicPort}/${id}`;
  }

  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  socketCount(id: string): number {
    return this.clients.get(id)?.sockets.size ?? 0;
  }

  /** Answers every registration with this status and message (the public service's 403/503). */
  refuse(status = 403, message = 'Forbidden'): void {
    this.mode = { kind: 'refuse', status, message };
  }

  /** Accepts registrations but never answers them. */
  hang(): void {
    this.mode = { kind: 'hang' };
  }

  behave(): void {
    this.mode = { kind: 'normal' };
    this.releaseHanging();
  }

  /** As after a laptop slept: every client socket dropped and every client port closed. */
  sleep(): void {
    for (const c of this.clients.values()) {
      c.server.close();
      for (const s of c.sockets) s.destroy();
      for (const w of c.waiters.splice(0)) w(null);
    }
  }

  /** The current clients stay registered with their sockets open, but no request gets through. */
  stall(): void {
    for (const c of this.clients.values()) c.stalled = true;
  }

  /** The whole server goes away for `ms` and comes back empty, on the same ports. */
  async outage(ms: number): Promise<void> {
    this.releaseHanging();
    for (const id of [...this.clients.keys()]) this.remove(id);
    await Promise.all([shutdown(this.control), shutdown(this.publicSide)]);
    await new Promise((r) => setTimeout(r, ms));
    this.control = http.createServer((req, res) => void this.onControl(req, res));
    this.publicSide = http.createServer((req, res) => void this.onPublic(req, res));
    await listen(this.control, this.controlPort);
    await listen(this.publicSide, this.publicPort);
  }

  async close(): Promise<void> {
    this.releaseHanging();
    for (const id of [...this.clients.keys()]) this.remove(id);
    await Promise.all([shutdown(this.control), shutdown(this.publicSide)]);
  }

  private async onControl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'GET') return json(res, 405, { message: 'Method not allowed' });
    if (this.mode.kind === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.mode.kind === 'refuse') return json(res, this.mode.status, { message: this.mode.message });
    let requested: string | null;
    if (url.pathname === '/' && url.searchParams.has('new')) requested = null;
    else if (/^\/[^/]+$/.test(url.pathname)) requested = decodeURIComponent(url.pathname.slice(1));
    else return json(res, 404, { message: 'Not found' });
    if (requested !== null && !SUBDOMAIN.test(requested)) return json(res, 403, { message: INVALID_SUBDOMAIN });
    const id = requested !== null && !this.clients.has(requested) ? requested : `fake-${randomBytes(5).toString('hex')}`;
    const client = await this.addClient(id);
    this.registrations.push({ requested, assigned: id });
    json(res, 200, { id, port: client.port, max_conn_count: this.maxConn, url: this.urlFor(id) });
  }

  private async addClient(id: string): Promise<Client> {
    const client: Client = { id, server: net.createServer(), port: 0, sockets: new Set(), idle: [], waiters: [], grace: null, stalled: false };
    client.server.on('connection', (sock) => {
      sock.on('error', () => {});
      if (client.sockets.size >= this.maxConn) return sock.destroy();
      client.sockets.add(sock);
      if (client.grace) clearTimeout(client.grace);
      client.grace = null;
      sock.on('close', () => {
        client.sockets.delete(sock);
        client.idle = client.idle.filter((s) => s !== sock);
        if (client.sockets.size === 0) this.startGrace(client);
      });
      const waiter = client.stalled ? undefined : client.waiters.shift();
      if (waiter) waiter(sock);
      else client.idle.push(sock);
    });
    // Taken before listening, so a concurrent request for the same id gets a random one.
    this.clients.set(id, client);
    client.port = await listen(client.server, 0);
    this.startGrace(client);
    return client;
  }

  private startGrace(client: Client): void {
    if (client.grace) clearTimeout(client.grace);
    client.grace = setTimeout(() => {
      if (this.clients.get(client.id) === client) this.remove(client.id);
    }, this.graceMs);
  }

  private remove(id: string): void {
    const c = this.clients.get(id);
    if (!c) return;
    this.clients.delete(id);
    if (c.grace) clearTimeout(c.grace);
    c.server.close();
    for (const s of c.sockets) s.destroy();
    for (const w of c.waiters.splice(0)) w(null);
  }

  private take(client: Client): Promise<net.Socket | null> {
    const sock = client.stalled ? undefined : client.idle.shift();
    if (sock) return Promise.resolve(sock);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        client.waiters = client.waiters.filter((w) => w !== waiter);
        resolve(null);
      }, this.forwardTimeoutMs);
      const waiter = (s: net.Socket | null) => {
        clearTimeout(timer);
        resolve(s);
      };
      client.waiters.push(waiter);
    });
  }

  private async onPublic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const match = /^\/([^/?]+)(.*)$/.exec(req.url ?? '/');
    const client = match ? this.clients.get(match[1]!) : undefined;
    if (!match || !client) return text(res, 404, `404 - no active client for this address`);
    if (req.method !== 'OPTIONS' && /Mozilla\//.test(req.headers['user-agent'] ?? '') && !req.headers['bypass-tunnel-reminder']) {
      res.writeHead(511, { 'content-type': 'text/html' }).end('<h1>Friendly Reminder</h1><p>This website is served via a tunnel.</p>');
      return;
    }
    const sock = await this.take(client);
    if (!sock) return text(res, 504, 'Gateway timeout: the tunnel has no open connection');
    const rest = match[2] ?? '';
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    const sender = headerOf(req, FAKE_REMOTE_ADDRESS) ?? req.socket.remoteAddress ?? '';
    const headers = { ...req.headers };
    delete headers[FAKE_REMOTE_ADDRESS];
    const xff = headerOf(req, 'x-forwarded-for');
    if (this.forwardedFor === 'append') headers['x-forwarded-for'] = xff ? `${xff}, ${sender}` : sender;
    headers.connection = 'close';
    this.forwarded++;
    const upstream = http.request({ method: req.method, path, headers, createConnection: () => sock });
    upstream.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      sock.destroy();
      if (!res.headersSent) text(res, 502, `Bad gateway: ${err.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  private releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function shutdown(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}
