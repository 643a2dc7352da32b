/**
 * Time and connection limits for both receiver listeners (the public port and the tunnel's
 * loopback port). Fastify ignores its own requestTimeout when it is given a server, so the limits
 * are set here, on each server. Node checks them on an interval (30 s by default): it is
 * shortened so a slow client is cut off close to the limit, not up to half a minute after it.
 * On the tunnel port this matters doubly: every request held open there also holds one of the
 * tunnel's few pooled sockets.
 *
 * The connection cap is shared by every client, so its last places are kept for addresses that
 * hold little of it: on the public port per connection, by the socket's address (limitPerAddress);
 * on the tunnel port, where every socket is the tunnel client's, per request in flight, by the
 * address the tunnel vouches for (the receiver's guard).
 */
import http from 'node:http';
import { AddressSlots } from './address-slots.js';

export interface ServerLimits {
  /** The whole request (headers and body) must arrive within this long: 408 otherwise. */
  requestTimeoutMs: number;
  /** The headers must arrive within this long. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Open connections at once, per listener; more are dropped on arrival. */
  maxConnections: number;
  /**
   * The last places of maxConnections, kept for addresses holding fewer than this many at once:
   * connections on the public port, requests in flight on the tunnel port (see address-slots.ts).
   */
  perAddress: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  // Per listener; two listeners together stay well under the common 1024 open-files limit.
  maxConnections: 256,
  // A quarter of the cap: a busy integration (Zapier, Make) keeps well under it.
  perAddress: 64,
};

export function resolveLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  const l = { ...DEFAULT_SERVER_LIMITS, ...given };
  // Node requires headersTimeout <= requestTimeout.
  return { ...l, headersTimeoutMs: Math.min(l.headersTimeoutMs, l.requestTimeoutMs) };
}

export function createLimitedServer(handler: http.RequestListener, limits: ServerLimits): http.Server {
  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

/** Drops a connection on arrival when the port is nearly full and its address already holds its share. */
export function limitPerAddress(server: http.Server, limits: ServerLimits): http.Server {
  const slots = new AddressSlots(limits.maxConnections, limits.perAddress);
  return server.on('connection', (socket) => {
    const ip = socket.remoteAddress;
    if (!ip) return;
    if (!slots.take(ip)) return void socket.destroy();
    socket.once('close', () => slots.give(ip));
  });
}
