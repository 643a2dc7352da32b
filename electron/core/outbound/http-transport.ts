/**
 * The wire under httpCall: one request over node:http(s) on kept-alive connections, the whole
 * answer read as text. It replaces fetch, which here spent about five times the CPU per call
 * (web streams, a cloned request body for `redirect: 'manual'`, composed abort signals): at a
 * few vendor calls per opt-in that was the engine's largest cost. Redirects are not followed
 * (a redirected POST is an answer to report) and no compression is asked for.
 */
import http from 'node:http';
import https from 'node:https';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireHeaders {
  /** A header's value (repeated headers joined with ", "), or null. */
  get(name: string): string | null;
}

export interface WireResponse {
  status: number;
  headers: WireHeaders;
  text: string;
}

export type HttpSend = (req: WireRequest, opts: { signal?: AbortSignal; timeoutMs: number }) => Promise<WireResponse>;

/** The call took longer than its timeout (connecting, sending and reading the answer). */
export class CallTimeoutError extends Error {}

/**
 * Idle kept-alive connections are closed after this long, before a server's usual 5 s
 * keep-alive timeout, so a request is rarely written to a connection the server just closed.
 */
const IDLE_SOCKET_MS = 4_000;
const httpAgent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const httpsAgent = new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

function headersOf(raw: http.IncomingHttpHeaders): WireHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

export const sendHttp: HttpSend = (req, { signal, timeoutMs }) =>
  new Promise<WireResponse>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    let settled = false;
    const finish = (err: unknown, res?: WireResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const r = (secure ? https : http).request(url, { method: req.method, headers, agent: secure ? httpsAgent : httpAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: headersOf(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish(e));
      res.on('aborted', () => finish(new Error('the connection closed before the answer was complete')));
    });
    const onAbort = () => {
      finish(signal!.reason);
      r.destroy();
    };
    const timer = setTimeout(() => {
      finish(new CallTimeoutError(`no answer within ${timeoutMs} ms`));
      r.destroy();
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    r.on('error', (e) => finish(e));
    r.end(req.body);
  });
