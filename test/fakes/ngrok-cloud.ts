/**
 * A loopback stand-in for ngrok's cloud, and a fake of the SDK (@ngrok/ngrok 1.x) that talks to
 * it, keeping what the SDK documents and what the real one does here:
 *  - SessionBuilder.connect() with no route to ngrok rejects at once with "failed to connect
 *    session: failed to establish tcp connection", code GenericFailure and no errorCode (what the
 *    real SDK answers on this machine), and never calls the disconnection handler;
 *  - ngrok's own refusals end with "error_code: ERR_NGROK_…" and carry `errorCode`, as the SDK's
 *    wrapper fills it in: no authtoken (4018), a malformed one (105) or an unknown one (107), both
 *    quoting the token back as ngrok does; a domain already online in another session (334); a
 *    domain that is not the account's (refused with a code; its exact number is a placeholder,
 *    as the provider words every other code the same way);
 *  - listen(false) binds nothing locally; Listener.forward(addr) sends each public request to
 *    addr and settles only when forwarding ends (resolves when the session is closed);
 *  - a session whose connection drops calls handleDisconnection(addr, error) and, when it returns
 *    true, keeps trying to reconnect on its own until closed;
 *  - after a drop the cloud keeps the endpoint "online" for `staleHoldMs` (it has not noticed
 *    yet), so reopening the same domain meanwhile is refused with 334.
 * Public side: {publicBase}/{domain}/path is served as https://{domain}/path would be (loopback has
 * no wildcard DNS). Requests get X-Forwarded-For extended by the sender's address; a browser-like
 * request without `ngrok-skip-browser-warning` gets the free plan's interstitial page; a domain with
 * no live endpoint gets 404 ERR_NGROK_3200.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NgrokHttpEndpointBuilder, NgrokListener, NgrokSdk, NgrokSession, NgrokSessionBuilder } from '../../electron/core/tunnel/ngrok-sdk.js';
import { FAKE_REMOTE_ADDRESS } from './localtunnel-server.js';

/** A refusal Leadbell has no special words for (placeholder number). */
export const OTHER_REFUSAL = 'ERR_NGROK_9000';
/** ngrok authtokens are long runs of letters, digits and underscores. */
const WELL_FORMED_TOKEN = /^[0-9A-Za-z_]{20,}$/;

interface Endpoint {
  domain: string;
  session: FakeSession;
  forwardTo: string | null;
  /** Until then the cloud still counts a dropped session's endpoint as online. */
  heldUntil: number;
}

export class FakeNgrokCloud {
  /** Every connect() and listen() the SDK made, with how it ended. */
  readonly attempts: { kind: 'connect' | 'listen'; result: string; at: number }[] = [];
  readonly sessions = new Set<FakeSession>();
  reachable = true;
  /** How long connect() takes (a slow network). */
  connectDelayMs = 0;
  staleHoldMs = 0;
  private readonly endpoints = new Map<string, Endpoint>();

  private constructor(
    private readonly server: http.Server,
    /** authtoken -> the domains the account owns */
    private readonly accounts: Map<string, string[]>,
  ) {}

  static async start(accounts: Record<string, string[]>): Promise<FakeNgrokCloud> {
    const server = http.createServer();
    const cloud = new FakeNgrokCloud(server, new Map(Object.entries(accounts)));
    server.on('request', (req, res) => cloud.servePublic(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cloud;
  }

  get publicBase(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  urlFor(domain: string): string {
    return `${this.publicBase}/${domain}`;
  }

  /** The SDK module, as `import('@ngrok/ngrok')` gives it. */
  sdk(): NgrokSdk {
    const cloud = this;
    return {
      SessionBuilder: class implements NgrokSessionBuilder {
        private token: string | null = null;
        private onDrop: ((addr: string, error: string) => boolean) | null = null;
        authtoken(t: string): this {
          this.token = t;
          return this;
        }
        clientInfo(): this {
          return this;
        }
        handleDisconnection(h: (addr: string, error: string) => boolean): this {
          this.onDrop = h;
          return this;
        }
        connect(): Promise<NgrokSession> {
          return cloud.connect(this.token, this.onDrop);
        }
      },
    };
  }

  /** The network goes away: every session's connection drops (and cannot come back until online()). */
  offline(): void {
    this.reachable = false;
    for (const s of this.sessions) s.drop('failed to establish tcp connection');
  }

  online(): void {
    this.reachable = true;
    for (const s of this.sessions) s.reconnected();
  }

  /** ngrok's side closes the sessions' connections (a restart of its edge, a flaky route). */
  dropAll(error = 'error reading from connection: unexpected EOF'): void {
    for (const s of this.sessions) s.drop(error);
  }

  isOnline(domain: string): boolean {
    const e = this.endpoints.get(domain);
    return Boolean(e && (e.session.connected || Date.now() < e.heldUntil));
  }

  async close(): Promise<void> {
    for (const s of [...this.sessions]) await s.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async connect(token: string | null, onDrop: ((addr: string, error: string) => boolean) | null): Promise<NgrokSession> {
    if (this.connectDelayMs) await new Promise((r) => setTimeout(r, this.connectDelayMs));
    if (!this.reachable) {
      this.attempts.push({ kind: 'connect', result: 'unreachable', at: performance.now() });
      throw Object.assign(new Error('failed to connect session: failed to establish tcp connection'), { code: 'GenericFailure' });
    }
    if (!token) {
      throw this.refusal('connect', 'failed to connect session', 'Usage of ngrok requires a verified account and authtoken.', 'ERR_NGROK_4018');
    }
    if (!WELL_FORMED_TOKEN.test(token)) {
      throw this.refusal(
        'connect',
        'failed to connect session',
        `The authtoken you specified does not look like a proper ngrok authtoken.\nYour authtoken: ${token}`,
        'ERR_NGROK_105',
      );
    }
    const domains = this.accounts.get(token);
    if (!domains) {
      throw this.refusal(
        'connect',
        'failed to connect session',
        `The authtoken you specified is properly formed, but it is invalid.\nYour authtoken: ${token}`,
        'ERR_NGROK_107',
      );
    }
    this.attempts.push({ kind: 'connect', result: 'ok', at: performance.now() });
    const session = new FakeSession(this, domains, onDrop);
    this.sessions.add(session);
    return session;
  }

  listen(session: FakeSession, domain: string | null): FakeListener {
    if (domain === null || !session.domains.includes(domain)) {
      throw this.refusal('listen', 'failed to start listener', `The domain '${domain}' is not reserved on this account.`, OTHER_REFUSAL);
    }
    if (this.isOnline(domain) && this.endpoints.get(domain)?.session !== session) {
      throw this.refusal('listen', 'failed to start listener', `The endpoint 'https://${domain}' is already online.`, 'ERR_NGROK_334');
    }
    this.attempts.push({ kind: 'listen', result: 'ok', at: performance.now() });
    const endpoint: Endpoint = { domain, session, forwardTo: null, heldUntil: 0 };
    this.endpoints.set(domain, endpoint);
    return new FakeListener(this, endpoint);
  }

  /** A close over a dropped connection never reaches the cloud: the endpoint stays held. */
  release(endpoint: Endpoint): void {
    if (this.endpoints.get(endpoint.domain) === endpoint && (endpoint.session.connected || Date.now() >= endpoint.heldUntil)) {
      this.endpoints.delete(endpoint.domain);
    }
  }

  holdStale(session: FakeSession): void {
    for (const e of this.endpoints.values()) if (e.session === session) e.heldUntil = Date.now() + this.staleHoldMs;
  }

  forget(session: FakeSession): void {
    this.sessions.delete(session);
    for (const e of [...this.endpoints.values()]) {
      // A closed session's endpoint goes at once; a dropped one stays held until the hold ends.
      if (e.session === session && Date.now() >= e.heldUntil) this.endpoints.delete(e.domain);
    }
  }

  private refusal(kind: 'connect' | 'listen', context: string, message: string, code: string): Error {
    this.attempts.push({ kind, result: code, at: performance.now() });
    return Object.assign(new Error(`${context}: ${message}\r\n\r\n${code} error_code: ${code}`), { code: 'GenericFailure', errorCode: code });
  }

  private servePublic(req: http.IncomingMessage, res: http.ServerResponse): void {
    const [, domain = '', ...rest] = (req.url ?? '/').split('/');
    const e = this.endpoints.get(domain);
    if (!e || !e.session.connected || !e.forwardTo) {
      res.writeHead(404, { 'content-type': 'text/plain', 'ngrok-error-code': 'ERR_NGROK_3200' });
      res.end(`Tunnel ${domain} not found\n\nERR_NGROK_3200`);
      return;
    }
    const browser = /Mozilla/.test(req.headers['user-agent'] ?? '');
    if (browser && !req.headers['ngrok-skip-browser-warning']) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>ngrok</title><p>You are about to visit this site. <button>Visit Site</button></p>');
      return;
    }
    const sender = (req.headers[FAKE_REMOTE_ADDRESS] as string | undefined) ?? req.socket.remoteAddress ?? '';
    const { [FAKE_REMOTE_ADDRESS]: _, host: __, ...headers } = req.headers;
    const xff = headers['x-forwarded-for'];
    const [host, port] = e.forwardTo.split(':');
    const upstream = http.request(
      {
        host,
        port: Number(port),
        method: req.method,
        path: `/${rest.join('/')}`,
        headers: { ...headers, host: domain, 'x-forwarded-for': xff ? `${xff}, ${sender}` : sender, 'x-forwarded-proto': 'https' },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('ERR_NGROK_8012: the agent could not reach the upstream');
    });
    req.pipe(upstream);
  }
}

class FakeSession implements NgrokSession {
  connected = true;
  private closed = false;
  private readonly forwards = new Set<() => void>();

  constructor(
    private readonly cloud: FakeNgrokCloud,
    readonly domains: string[],
    private readonly onDrop: ((addr: string, error: string) => boolean) | null,
  ) {}

  httpEndpoint(): NgrokHttpEndpointBuilder {
    let domain: string | null = null;
    const session = this;
    return {
      domain(d: string) {
        domain = d;
        return this;
      },
      metadata() {
        return this;
      },
      async listen(bind?: boolean | null) {
        if (bind !== false) throw new Error('the fake only supports listen(false)');
        if (session.closed) throw Object.assign(new Error('failed to start listener: session closed'), { code: 'GenericFailure' });
        return session.cloud.listen(session, domain);
      },
    };
  }

  drop(error: string): void {
    if (this.closed || !this.connected) return;
    this.connected = false;
    this.cloud.holdStale(this);
    // The SDK's callback runs on the event loop, not inside the caller's stack.
    setImmediate(() => {
      if (!this.closed) this.onDrop?.('connect.ngrok-agent.com:443', error);
    });
  }

  /** The SDK's own redial succeeded (the handler returned true). */
  reconnected(): void {
    if (!this.closed) this.connected = true;
  }

  waitForClose(): Promise<void> {
    return new Promise((resolve) => (this.closed ? resolve() : this.forwards.add(resolve)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connected = false;
    this.cloud.forget(this);
    for (const f of this.forwards) f();
    this.forwards.clear();
  }
}

class FakeListener implements NgrokListener {
  constructor(
    private readonly cloud: FakeNgrokCloud,
    private readonly endpoint: Endpoint,
  ) {}

  url(): string {
    return this.cloud.urlFor(this.endpoint.domain);
  }

  async forward(addr: string): Promise<void> {
    this.endpoint.forwardTo = addr;
    await this.endpoint.session.waitForClose();
  }

  async close(): Promise<void> {
    this.cloud.release(this.endpoint);
  }
}
