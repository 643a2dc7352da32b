/** What the receiver records about a request: client IP, sanitised headers and path. */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { normaliseIp } from './ip-allowlist.js';

// The test-fire header carries the per-process nonce that marks the owner's own requests.
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-leadbell-test-fire)$|token|secret|password|api[-_]?key/i;
const SECRET_PARAM = /token|secret|password|key|sig/i;
export const MASK = '[masked]';

/** Marks requests that arrived on the loopback port the tunnel forwards to. */
const viaTunnel = new WeakSet<IncomingMessage>();
export function markTunnel(req: IncomingMessage): void {
  viaTunnel.add(req);
}
export function arrivedViaTunnel(req: IncomingMessage): boolean {
  return viaTunnel.has(req);
}

/**
 * The client's address. X-Forwarded-For is trusted only on the tunnel's ingress port, and only
 * its last entry: the one the tunnel server appended. Earlier entries are the sender's claim.
 */
export function clientIp(req: IncomingMessage): string {
  const socketIp = normaliseIp(req.socket.remoteAddress ?? 'unknown');
  if (!arrivedViaTunnel(req)) return socketIp;
  const xff = req.headers['x-forwarded-for'];
  const last = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last && isIP(normaliseIp(last)) ? normaliseIp(last) : socketIp;
}

export function sanitiseHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADER.test(k) ? MASK : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function sanitisePath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url.slice(0, 2000);
  const params = new URLSearchParams(url.slice(q + 1));
  for (const k of [...params.keys()]) if (SECRET_PARAM.test(k)) params.set(k, MASK);
  return `${url.slice(0, q)}?${params.toString()}`.slice(0, 2000);
}
