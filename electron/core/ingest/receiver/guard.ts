/**
 * Runs first for every request, before any other work: who sent it (client IP, tunnel, relay,
 * the owner's test fire), the per-IP rate gate, the allowlist, the pause switch, and CORS.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { IpAllowlist } from '../ip-allowlist.js';
import { IpRateGate } from '../ip-rate-gate.js';
import type { RelayedInbound } from '../relayed.js';
import { arrivedViaTunnel, clientIp } from '../request-meta.js';
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
    const rate = relay ? null : rateGate.check(req.leadbell.ip);
    if (rate && !rate.allowed) {
      const reason = `rate limit: more than ${settings().receiver.rate_limit_per_minute} requests a minute from ${req.leadbell.ip}`;
      if (rate.firstRefusal) await record(req, 429, 'rejected', `${reason} (further refusals this minute are not logged)`);
      return reply
        .code(429)
        .header('retry-after', String(rate.retryAfterSeconds))
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
