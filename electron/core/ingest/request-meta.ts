/** What the receiver records about a request: client IP, sanitised headers and path. */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { ClientAddressSource } from '../tunnel/provider.js';
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

/** What the receiver records when nothing in a tunnelled request can be trusted to name the sender. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The client's address. On the direct port it is the socket's. On the tunnel's ingress port the
 * socket is the local tunnel client, so the address is read only where the tunnel provider
 * vouches for it (see ClientAddressSource); anything else there is the sender's own claim.
 */
export function clientIp(req: IncomingMessage, tunnel: ClientAddressSource): string {
  const socketIp = normaliseIp(req.socket.remoteAddress ?? UNKNOWN_CLIENT);
  if (!arrivedViaTunnel(req)) return socketIp;
  let claimed: string | undefined;
  if (tunnel.kind === 'forwarded-for') {
    const xff = req.headers['x-forwarded-for'];
    claimed = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean).pop();
  } else if (tunnel.kind === 'header') {
    const v = req.headers[tunnel.name.toLowerCase()];
    claimed = typeof v === 'string' ? v.trim() : undefined;
  }
  return claimed && isIP(normaliseIp(claimed)) ? normaliseIp(claimed) : UNKNOWN_CLIENT;
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
