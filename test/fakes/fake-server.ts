/**
 * The base of every vendor fake: a real HTTP server on 127.0.0.1 (port 0), a log of what arrived,
 * rate-limit enforcement, and failure injection (fail the next N calls, a seeded random failure
 * rate, hanging, dropped connections, answers lost after the vendor acted).
 */
import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  /** Parsed JSON body (undefined when empty or not JSON; see invalidJson). */
  body: unknown;
  invalidJson: boolean;
  /** Arrival time (performance.now()), taken when the request line and headers arrived. */
  at: number;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export interface Recorded extends FakeRequest {
  /** The status answered; null when the fake hung or dropped the connection. */
  status: number | null;
  /** The vendor acted on the request but its answer never reached the caller. */
  answerLost: boolean;
}

/** An injected failure: an answer with this status (in the vendor's error shape), or a broken exchange. */
export type Failure =
  | { status: number; retryAfter?: number; json?: unknown; text?: string }
  | { mode: 'hang' | 'destroy' | 'lose-answer' };

export interface RateRule {
  limit: number;
  windowMs: number;
  /** What the vendor limits per (a webhook, a team); one window when absent. */
  key?(req: FakeRequest): string;
}

export interface FakeServerOptions {
  name: string;
  /** The vendor's contract. */
  handle(req: FakeRequest): FakeAnswer | Promise<FakeAnswer>;
  rateLimit?: RateRule;
  /** The vendor's 429, given how long until the window has room again. */
  rateLimited?(retryAfterMs: number, req: FakeRequest): FakeAnswer;
  /** The vendor's error body for an injected status. */
  errorBody?(status: number): Pick<FakeAnswer, 'json' | 'text'>;
}

/** An 18-digit numeric id, like Discord snowflakes and Graph object ids. */
export function numericId(): string {
  return `${randomInt(1e8, 1e9)}${randomInt(1e8, 1e9)}`;
}

/** mulberry32: a small seeded RNG so a "random" failure pattern repeats run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RANDOM_FAILURES: Failure[] = [{ status: 500 }, { status: 429, retryAfter: 1 }, { mode: 'hang' }, { mode: 'destroy' }];

export class FakeServer {
  /** Everything that arrived, in order, with what the fake answered. */
  readonly requests: Recorded[] = [];
  private readonly failures: { failure: Failure; match: ((req: FakeRequest) => boolean) | undefined }[] = [];
  private random: { rate: number; next: () => number; modes: Failure[] } | null = null;
  private hanging = false;
  /** An outage: connections are cut as they open, so nothing reaches the vendor (counted in `cut`). */
  private outage = false;
  /** Connections cut by an outage. */
  cut = 0;
  private readonly arrivals = new Map<string, number[]>();

  private constructor(
    private readonly server: http.Server,
    private readonly opts: FakeServerOptions,
    /** http://127.0.0.1:<port> */
    readonly origin: string,
  ) {}

  static async start(opts: FakeServerOptions): Promise<FakeServer> {
    let fake: FakeServer | undefined;
    const server = http.createServer((req, res) => void fake!.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeServer(server, opts, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (socket) => {
      if (!fake!.outage) return;
      fake!.cut++;
      socket.destroy();
    });
    return fake;
  }

  /** Requests the vendor accepted (answered 2xx, or acted on before the answer was lost). */
  get accepted(): Recorded[] {
    return this.requests.filter((r) => r.status !== null && r.status >= 200 && r.status < 300);
  }

  /** The next `n` requests (that `match`, when given) fail this way, after any already queued. */
  failNext(n: number, failure: Failure, match?: (req: FakeRequest) => boolean): void {
    for (let i = 0; i < n; i++) this.failures.push({ failure, match });
  }

  /** Each request fails with probability `rate`, picking a failure from `modes` with the same seeded RNG. */
  failRandomly(rate: number, seed: number, modes: Failure[] = RANDOM_FAILURES): void {
    this.random = rate > 0 ? { rate, next: seededRandom(seed), modes } : null;
  }

  /** While on, every request is left unanswered (the client's timeout must fire). */
  hang(on = true): void {
    this.hanging = on;
  }

  /**
   * While on, the vendor is down: every connection is reset as it opens, and requests under way on
   * kept-alive connections are cut before they are answered, as when a service goes away.
   */
  down(on = true): void {
    this.outage = on;
    if (on) this.server.closeAllConnections();
  }

  /** Clears injected failures and the request log. */
  reset(): void {
    this.failures.length = 0;
    this.random = null;
    this.hanging = false;
    this.requests.length = 0;
    this.arrivals.clear();
  }

  /** The most requests that arrived within any window of `windowMs` (per rate-limit key). */
  maxObservedRate(windowMs = this.opts.rateLimit?.windowMs ?? 1000): number {
    let max = 0;
    for (const times of this.arrivals.values()) {
      let from = 0;
      for (let to = 0; to < times.length; to++) {
        while (times[to]! - times[from]! >= windowMs) from++;
        max = Math.max(max, to - from + 1);
      }
    }
    return max;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.origin);
    let body: unknown;
    let invalidJson = false;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        invalidJson = true;
      }
    }
    const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, raw, body, invalidJson, at };
    const record = (status: number | null, answerLost = false) => this.requests.push({ ...request, status, answerLost });
    if (this.outage) {
      this.cut++;
      req.socket.destroy();
      return;
    }

    const key = this.opts.rateLimit?.key?.(request) ?? '';
    const times = this.arrivals.get(key) ?? [];
    times.push(at);
    this.arrivals.set(key, times);

    const queued = this.failures.findIndex((f) => !f.match || f.match(request));
    const failure = this.hanging
      ? { mode: 'hang' as const }
      : queued >= 0
        ? this.failures.splice(queued, 1)[0]!.failure
        : this.randomFailure();
    if (failure && 'mode' in failure && failure.mode !== 'lose-answer') {
      record(null);
      // A hung request stays open until the client gives up or the fake stops.
      if (failure.mode === 'destroy') req.socket.destroy();
      return;
    }
    if (failure && 'status' in failure) {
      record(failure.status);
      const fallback = this.opts.errorBody?.(failure.status) ?? { text: `injected ${failure.status}` };
      const body = failure.json !== undefined || failure.text !== undefined ? { json: failure.json, text: failure.text } : fallback;
      return send(res, { status: failure.status, headers: failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {}, ...body });
    }

    const rule = this.opts.rateLimit;
    if (rule && this.opts.rateLimited) {
      const inWindow = times.filter((t) => at - t < rule.windowMs);
      if (inWindow.length > rule.limit) {
        const answer = this.opts.rateLimited(inWindow[0]! + rule.windowMs - at, request);
        record(answer.status);
        return send(res, answer);
      }
    }

    let answer: FakeAnswer;
    try {
      answer = await this.opts.handle(request);
    } catch (err) {
      answer = { status: 500, text: `${this.opts.name} fake failed: ${(err as Error).message}` };
    }
    record(answer.status, Boolean(failure));
    if (failure) {
      // The vendor acted, but the answer never reaches the caller.
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  private randomFailure(): Failure | undefined {
    if (!this.random || this.random.next() >= this.random.rate) return undefined;
    return this.random.modes[Math.floor(this.random.next() * this.random.modes.length)];
  }
}

function send(res: http.ServerResponse, a: FakeAnswer): void {
  const headers: Record<string, string> = { ...a.headers };
  let payload = '';
  if (a.json !== undefined) {
    payload = JSON.stringify(a.json);
    headers['content-type'] ??= 'application/json';
  } else if (a.text !== undefined) {
    payload = a.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  }
  res.writeHead(a.status, headers);
  res.end(payload);
}

/** "Loops fake: 400 because ..." style helpers for the zod issues a fake reports. */
export function issueText(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
}
