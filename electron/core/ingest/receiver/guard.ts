/**
 * Runs first for every request, before any other work: who sent it (client IP, tunnel, relay,
 * the owner's test fire), its share of the tunnel port, the per-IP rate gate, the allowlist, the
 * pause switch, and CORS.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AddressSlots } from '../address-slots.js';
import { IpAllowlist } from '../ip-allowlist.js';
import { IpRateGate } from '../ip-rate-gate.js';
import type { RelayedInbound } from '../relayed.js';
import { arrivedViaTunnel, clientIp } from '../request-meta.js';
import { resolveLimits } from '../server-limits.js';
import { LEADBELL_TIMESTAMP, SIGNATURE_HEADERS } from '../signatures.js';
import type { Responses } from './responses.js';
import { originAllowed, TEST_FIRE_HEADER, WEBHOOK_PREFIX, type ReceiverScope, type RequestContext } from './scope.js';

export interface GuardOptions {
  scope: ReceiverScope;
  responses: Responses;
  relayedInbound: RelayedInbound;
}

export const guard = fp(async (app: FastifyInstance, { scope, responses, relayedInbound }: GuardOptions) => {
  const { deps, settings, record } = scope;
  const allowlist = new IpAllowlist(settings().receiver.allowed_ips);
  deps.settings.onChange((s) => allowlist.set(s.receiver.allowed_ips));
  const rateGate = new IpRateGate(() => settings().receiver.rate_limit_per_minute);
  // Requests in flight per forwarded address on the tunnel port (see server-limits.ts).
  const { maxConnections, perAddress } = resolveLimits(deps.limits);
  const tunnelShares = new AddressSlots(maxConnections, perAddress);

  app.decorateRequest('leadbell', null as unknown as RequestContext);
  app.addHook('onRequest', async (req, reply) => {
    deps.pressure?.noteRequest();
    const url = req.url.split('?')[0]!;
    const endpoint = url.startsWith(WEBHOOK_PREFIX) ? url.slice(WEBHOOK_PREFIX.length) || null : null;
    // A relayed request was rate-limited at the relay's edge, and is timed by the relay's clock; a
    // replay is the owner's, timed as when it first arrived.
    const relay = relayedInbound.take(req.headers);
    const testFire = !relay && req.headers[TEST_FIRE_HEADER] === deps.testFireNonce && !arrivedViaTunnel(req.raw);
    req.leadbell = relay
      ? { ip: relay.ip, via: relay.replayOf === undefined ? 'relay' : 'replay', endpoint, receivedAt: relay.receivedAt, relay }
      : {
          ip: clientIp(req.raw, deps.tunnelClientAddress?.() ?? { kind: 'none' }),
          via: testFire ? 'test-fire' : arrivedViaTunnel(req.raw) ? 'tunnel' : 'direct',
          endpoint,
          receivedAt: new Date().toISOString(),
        };
    if (testFire) return;
    if (req.leadbell.via === 'tunnel') {
      const ip = req.leadbell.ip;
      if (!tunnelShares.take(ip)) {
        // Not recorded: a client past its share is sending faster than it is answered.
        // Closed after the answer, so a slow body does not keep the socket either.
        return reply
          .code(429)
          .header('retry-after', '10')
          .header('connection', 'close')
          .send({ status: 'rejected', error: `too many requests at once from ${ip} while the receiver is busy: try again shortly`, retry_after: 10 });
      }
      reply.raw.once('close', () => tunnelShares.give(ip));
    }
    const rate = relay ? null : rateGate.check(req.leadbell.ip);
    if (rate && !rate.allowed) {
      const reason = `rate limit: more than ${settings().receiver.rate_limit_per_minute} requests a minute from ${req.leadbell.ip}`;
      if (rate.firstRefusal) await record(req, 429, 'rejected', `${reason} (further refusals this minute are not logged)`);
      return reply
        .code(429)
        .header('retry-after', String(rate.retryAfterSeconds))
        // The body is not read: draining a slow one would keep the connection for nothing.
        .header('connection', 'close')
        .send({ status: 'rejected', error: reason, retry_after: rate.retryAfterSeconds });
    }
    if (url === '/health') return;
    if (!allowlist.allows(req.leadbell.ip)) {
      return responses.reject(req, reply, 403, `IP address ${req.leadbell.ip} is not in the allowlist`);
    }
    if (settings().receiver.paused && endpoint !== null) {
      return responses.reject(req, reply, 503, 'receiving is paused by the owner', { 'retry-after': '60' });
    }
  });

  await app.register(cors, {
    origin: (origin, cb) => cb(null, !origin || originAllowed(settings(), origin)),
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Bypass-Tunnel-Reminder', 'ngrok-skip-browser-warning', 'Idempotency-Key', ...SIGNATURE_HEADERS, LEADBELL_TIMESTAMP, 'webhook-id', 'webhook-timestamp'],
    maxAge: 600,
  });
});
