/**
 * A raw HTTP/1.1 client over a TCP socket. fetch and http.request refuse to send malformed
 * requests (bad Content-Length, invalid header bytes, broken chunking), and hide a dropped
 * connection behind a generic error; hostile-input tests need both the bytes and the truth.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type RawOutcome =
  | { kind: 'response'; response: RawResponse }
  /** The server closed or reset the connection without a complete answer. */
  | { kind: 'dropped'; error: string; received: string };

export interface RawRequestOptions {
  timeoutMs?: number;
  /** Half-close after writing (the client has no more to send). */
  endAfterWrite?: boolean;
  /** HEAD answers carry headers only. */
  head?: boolean;
}

/** Builds request bytes; header values may be Buffers to carry bytes fetch would refuse. */
export function buildRequest(
  method: string,
  target: string,
  headers: [string, string | Buffer][],
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const parts: Buffer[] = [Buffer.from(`${method} ${target} HTTP/1.1\r\n`, 'latin1')];
  for (const [k, v] of headers) parts.push(Buffer.from(`${k}: `, 'latin1'), typeof v === 'string' ? Buffer.from(v, 'latin1') : v, Buffer.from('\r\n'));
  parts.push(Buffer.from('\r\n'), body);
  return Buffer.concat(parts);
}

/** Parses one complete response from the bytes so far, or returns null if more are needed. */
export function parseResponse(buf: Buffer, head = false, ended = false): RawResponse | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return null;
  const status = Number(m[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = buf.subarray(end + 4);
  // An interim answer (100 Continue) is followed by the real one.
  if (status >= 100 && status < 200) return parseResponse(rest, head, ended);
  if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    return rest.length >= n ? { status, headers, body: rest.subarray(0, n) } : null;
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const body = dechunk(rest);
    return body ? { status, headers, body } : null;
  }
  // Neither length nor chunking: the body runs to the close.
  return ended ? { status, headers, body: rest } : null;
}

function dechunk(buf: Buffer): Buffer | null {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size)) return null;
    if (size === 0) return Buffer.concat(out);
    if (buf.length < eol + 2 + size + 2) return null;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends the bytes and waits for one answer. A reset or close before a complete answer is a
 * drop; an error writing the rest of a body after the server already answered is not.
 */
export function rawRequest(port: number, request: Buffer, opts: RawRequestOptions = {}): Promise<RawOutcome> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    let writeError: string | null = null;
    const finish = (o: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const attempt = (ended: boolean, why: string) => {
      const parsed = parseResponse(Buffer.concat(chunks), opts.head, ended);
      if (parsed) finish({ kind: 'response', response: parsed });
      else if (ended) finish({ kind: 'dropped', error: writeError ?? why, received: Buffer.concat(chunks).toString('latin1').slice(0, 200) });
    };
    const timer = setTimeout(() => attempt(true, `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      attempt(false, '');
    });
    socket.on('end', () => attempt(true, 'closed by the server'));
    socket.on('close', () => attempt(true, 'closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET while still writing a body the server already refused: read on.
      writeError = `${e.code ?? ''} ${e.message}`.trim();
      attempt(true, writeError);
    });
    socket.on('connect', () => {
      socket.write(request, (err) => {
        if (!err && opts.endAfterWrite) socket.end();
      });
    });
  });
}
