/**
 * The public webhook receiver: the only thing the tunnel ever reaches. It serves
 * POST /api/webhooks/{endpoint} and GET /health, on two listeners that share one handler:
 * the direct port, and a loopback port reserved for the tunnel (where X-Forwarded-For counts).
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENDPOINT_INFO, isEndpointName, type EndpointName } from '../../../shared/events/catalog.js';
import { normalise, normaliseOccurred, type FieldError } from '../../../shared/events/normalize.js';
import type { Settings } from '../../../shared/settings.js';
import { uuidv7 } from '../ids.js';
import type { ClientAddressSource } from '../tunnel/provider.js';
import type { Logger } from '../log/logger.js';
import type { Pressure } from '../scheduling/pressure.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Outcome } from '../storage/inbox-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { bodyKind, parseBody } from './body.js';
import { answerClientError, refuseConnect } from './client-error.js';
import type { IngestItem, IngestResult, IngestWriter } from './ingest-writer.js';
import { IpAllowlist } from './ip-allowlist.js';
import { RateLimiter } from './rate-limit.js';
import { RejectBudget } from './reject-budget.js';
import { createLimitedServer, resolveLimits, type ServerLimits } from './server-limits.js';
import { arrivedViaTunnel, clientIp, markTunnel, sanitiseHeaders, sanitisePath } from './request-meta.js';
import { mustVerifySignature } from './signature-policy.js';
import { RelayedInbound, type RelayedContext, type RelayedRequest, type RelayedResult } from './relayed.js';
import { SIGNATURE_HEADERS, verifySignature } from './signatures.js';

export const WEBHOOK_PREFIX = '/api/webhooks/';
export const TEST_FIRE_HEADER = 'x-leadbell-test-fire';
const HARD_BODY_CAP = 16 * 1024 * 1024;

export interface ReceiverDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  writer: IngestWriter;
  log: Logger;
  /** A per-process value that marks the owner's own test-fire requests. */
  testFireNonce: string;
  /** Identifies this process on /health, so a tunnel check knows it reached us. */
  instanceId: string;
  /** Called when storage fails or recovers, for the status shown in the UI. */
  onStorageResult: (error: Error | null) => void;
  /** Told of every request, so background work yields during a burst. */
  pressure?: Pressure;
  /** How far the current tunnel provider vouches for the client address; unset: not at all. */
  tunnelClientAddress?: () => ClientAddressSource;
  /** Timeouts and connection cap of both listeners (defaults: DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
}

export interface ReceiverListen {
  host: string;
  port: number;
  tunnelPort: number;
}

export interface Receiver {
  port: number;
  tunnelPort: number;
  /** Feeds a request the relay held through the same pipeline (see relayed.ts). */
  relayed(r: RelayedRequest): Promise<RelayedResult>;
  close(): Promise<void>;
}

interface Ctx {
  ip: string;
  via: 'direct' | 'tunnel' | 'test-fire' | 'relay';
  endpoint: string | null;
  receivedAt: string;
  relay?: RelayedContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    leadbell: Ctx;
    rawBody?: Buffer;
  }
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function secretFor(secrets: SecretStore, endpoint: EndpointName): string | null {
  return secrets.get(`webhook.${endpoint}`) ?? secrets.get('webhook.default');
}

export async function startReceiver(deps: ReceiverDeps, listen: ReceiverListen): Promise<Receiver> {
  const { settings, secrets, writer, log } = deps;
  let current: Settings = settings.get();
  const allowlist = new IpAllowlist(current.receiver.allowed_ips);
  settings.onChange((s) => {
    current = s;
    allowlist.set(s.receiver.allowed_ips);
  });
  const limiter = new RateLimiter(() => current.receiver.rate_limit_per_minute);
  const rejects = new RejectBudget((n) => log.warn('rejected requests answered but not stored (over the budget)', { count: n }));
  const relayedInbound = new RelayedInbound();

  const limits = resolveLimits(deps.limits);
  let handler: http.RequestListener | undefined;
  const app = Fastify({
    logger: false,
    bodyLimit: HARD_BODY_CAP,
    trustProxy: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    serverFactory: (h) => {
      handler = h;
      return createLimitedServer(h, limits).on('connect', refuseConnect);
    },
  });
  app.decorateRequest('leadbell', null as unknown as Ctx);

  const record = async (
    req: FastifyRequest,
    status: number,
    outcome: Outcome,
    reason: string | null,
    event?: IngestItem['event'],
  ): Promise<IngestResult | null> => {
    // A spam record backs a 2xx the bot was given, so only plain rejections are skipped past the budget.
    if (outcome === 'rejected' && !rejects.take()) return null;
    const body = (req.rawBody ?? Buffer.alloc(0)).subarray(0, current.receiver.max_body_bytes);
    const declared = req.rawBody?.length ?? Number(req.headers['content-length'] ?? 0);
    const size = Number.isFinite(declared) ? declared : 0;
    try {
      const result = await writer.write({
        inbox: {
          received_at: req.leadbell.receivedAt,
          endpoint: req.leadbell.endpoint,
          method: req.method,
          path: sanitisePath(req.url),
          client_ip: req.leadbell.ip,
          via: req.leadbell.via,
          headers: sanitiseHeaders(req.headers),
          content_type: req.headers['content-type'] ?? null,
          body,
          body_size: size,
          body_truncated: body.length < size,
          status,
          outcome,
          reason,
          event_id: null,
          relay_id: req.leadbell.relay?.relayId ?? null,
        },
        event,
      });
      if (req.leadbell.relay) req.leadbell.relay.stored = true;
      deps.onStorageResult(null);
      return result;
    } catch (err) {
      deps.onStorageResult(err as Error);
      log.error('could not store a request', { error: err as Error, endpoint: req.leadbell.endpoint });
      if (event) throw err;
      return null;
    }
  };

  const wantsHtml = (req: FastifyRequest) =>
    bodyKind(req.headers['content-type']) === 'form' && /text\/html/.test(req.headers.accept ?? '');

  const reject = async (req: FastifyRequest, reply: FastifyReply, status: number, reason: string, headers: Record<string, string> = {}) => {
    await record(req, status, 'rejected', reason);
    reply.code(status).headers(headers);
    if (wantsHtml(req) && status < 500) return reply.type('text/html; charset=utf-8').send(htmlPage('Something went wrong', [reason]));
    return reply.send({ status: 'rejected', error: reason });
  };

  // 1. Before any other work: who is it, the rate limit, the allowlist, the pause switch.
  app.addHook('onRequest', async (req, reply) => {
    deps.pressure?.noteRequest();
    const url = req.url.split('?')[0]!;
    const endpoint = url.startsWith(WEBHOOK_PREFIX) ? url.slice(WEBHOOK_PREFIX.length) || null : null;
    // A relayed request was rate-limited at the relay's edge, and is timed by the relay's clock.
    const relay = relayedInbound.take(req.headers);
    const testFire = !relay && req.headers[TEST_FIRE_HEADER] === deps.testFireNonce && !arrivedViaTunnel(req.raw);
    req.leadbell = relay
      ? { ip: relay.ip, via: 'relay', endpoint, receivedAt: relay.receivedAt, relay }
      : {
          ip: clientIp(req.raw, deps.tunnelClientAddress?.() ?? { kind: 'none' }),
          via: testFire ? 'test-fire' : arrivedViaTunnel(req.raw) ? 'tunnel' : 'direct',
          endpoint,
          receivedAt: new Date().toISOString(),
        };
    if (testFire) return;
    const rate = relay ? null : limiter.check(req.leadbell.ip);
    if (rate && !rate.allowed) {
      const reason = `rate limit: more than ${current.receiver.rate_limit_per_minute} requests a minute from ${req.leadbell.ip}`;
      if (rate.firstRefusal) await record(req, 429, 'rejected', `${reason} (further refusals this minute are not logged)`);
      return reply
        .code(429)
        .header('retry-after', String(rate.retryAfterSeconds))
        .send({ status: 'rejected', error: reason, retry_after: rate.retryAfterSeconds });
    }
    if (url === '/health') return;
    if (!allowlist.allows(req.leadbell.ip)) {
      return reject(req, reply, 403, `IP address ${req.leadbell.ip} is not in the allowlist`);
    }
    if (current.receiver.paused && endpoint !== null) {
      return reject(req, reply, 503, 'receiving is paused by the owner', { 'retry-after': '60' });
    }
  });

  await app.register(cors, {
    origin: (origin, cb) => cb(null, !origin || originAllowed(current, origin)),
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Bypass-Tunnel-Reminder', 'ngrok-skip-browser-warning', 'Idempotency-Key', ...SIGNATURE_HEADERS, 'webhook-id', 'webhook-timestamp'],
    maxAge: 600,
  });

  // Bodies are read as raw bytes (signatures cover the bytes), with the owner's size limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    const limit = current.receiver.max_body_bytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return done(new HttpError(413, `the body is over the ${formatBytes(limit)} limit`), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        done(new HttpError(413, `the body is over the ${formatBytes(limit)} limit`), undefined);
      } else chunks.push(c);
    });
    payload.on('end', () => {
      if (size <= limit) {
        req.rawBody = Buffer.concat(chunks);
        done(null, req.rawBody);
      }
    });
    payload.on('error', (e) => done(e, undefined));
  });

  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error('receiver error', { error: err });
    const reason = status === 500 ? 'internal error' : err.message;
    if (req.leadbell?.endpoint !== undefined && status !== 500) return reject(req, reply, status, reason);
    return reply.code(status).send({ status: 'rejected', error: reason });
  });

  app.get('/health', async () => ({ status: 'ok', instance: deps.instanceId }));

  app.all('/api/webhooks/:endpoint', async (req, reply) => {
    const name = req.leadbell.endpoint ?? '';
    if (!isEndpointName(name) || !current.receiver.endpoints[name].enabled) {
      return reject(req, reply, 404, `unknown endpoint "${name}": use one of ${Object.keys(ENDPOINT_INFO).join(', ')}`);
    }
    if (req.method !== 'POST') {
      reply.header('allow', 'POST, OPTIONS');
      return reject(req, reply, 405, `method ${req.method} is not allowed: send a POST`);
    }
    const origin = req.headers.origin;
    if (origin && !originAllowed(current, origin)) {
      return reject(req, reply, 403, `origin ${origin} is not allowed to post here (add it to the allowed origins)`);
    }
    const kind = bodyKind(req.headers['content-type']);
    if (!kind) {
      return reject(
        req,
        reply,
        415,
        `content type "${req.headers['content-type'] ?? '(none)'}" is not supported: send application/json or application/x-www-form-urlencoded`,
      );
    }
    const raw = req.rawBody ?? Buffer.alloc(0);
    const ep = current.receiver.endpoints[name];
    const secret = secretFor(secrets, name);
    let signatureId: string | undefined;
    if (req.leadbell.via !== 'test-fire' && secret && mustVerifySignature(ep, req.headers)) {
      // Timestamps are checked against when the request reached us (or the relay), not now.
      const verdict = verifySignature(ep.signature, secret, raw, req.headers, Math.floor(Date.parse(req.leadbell.receivedAt) / 1000));
      if (!verdict.ok) return reject(req, reply, 401, `signature check failed: ${verdict.reason}`);
      signatureId = verdict.id;
    }
    const parsed = parseBody(kind, raw);
    if (!parsed.ok) return reject(req, reply, parsed.status, parsed.reason);
    const body = parsed.value;

    const honeypot = body[current.receiver.honeypot_field];
    if (typeof honeypot === 'string' && honeypot.trim() !== '') {
      await record(req, 202, 'spam', `honeypot field "${current.receiver.honeypot_field}" was filled in`);
      // Bots are told it worked, so they do not adapt.
      return accepted(req, reply, randomUUID(), false);
    }
    delete body[current.receiver.honeypot_field];

    const result = normalise(name, body);
    if (!result.ok) return invalid(req, reply, result.errors);
    const n = result.value;
    const key = headerValue(req.headers['idempotency-key']) ?? signatureId ?? headerValue(req.headers['webhook-id']) ?? n.idempotencyKey;
    let stored: IngestResult | null;
    try {
      stored = await record(req, 202, 'accepted', null, {
        id: uuidv7(),
        event: n.event,
        occurred: normaliseOccurred(n.occurred, req.leadbell.receivedAt),
        received_at: req.leadbell.receivedAt,
        source: name,
        resource: n.resource,
        payload: n.payload,
        inbox_id: null,
        idempotency_key: key ? key.slice(0, 300) : null,
      });
    } catch (err) {
      return reply
        .code(503)
        .header('retry-after', '30')
        .send({ status: 'unavailable', error: `the request was not stored: ${storageMessage(err as Error)}` });
    }
    return accepted(req, reply, stored!.eventId!, stored!.duplicate);
  });

  const invalid = async (req: FastifyRequest, reply: FastifyReply, errors: FieldError[]) => {
    await record(req, 422, 'rejected', errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    if (wantsHtml(req)) {
      return reply
        .code(422)
        .type('text/html; charset=utf-8')
        .send(htmlPage('Please check the form', errors.map((e) => `${e.path.replace(/_/g, ' ')} ${e.message}`)));
    }
    return reply.code(422).send({ status: 'invalid', errors });
  };

  const accepted = (req: FastifyRequest, reply: FastifyReply, eventId: string, duplicate: boolean) => {
    if (wantsHtml(req)) {
      const target = current.receiver.thank_you_url ?? safeReferer(req.headers.referer);
      if (target) return reply.code(303).header('location', target).send();
      return reply.code(200).type('text/html; charset=utf-8').send(htmlPage('Thank you!', ['We got your details.']));
    }
    return duplicate
      ? reply.code(200).send({ status: 'duplicate', event_id: eventId })
      : reply.code(202).send({ status: 'accepted', event_id: eventId });
  };

  await app.ready();
  await app.listen({ host: listen.host, port: listen.port });
  const toHandler: http.RequestListener = (req, res) => {
    markTunnel(req);
    handler!(req, res);
  };
  const tunnelServer = createLimitedServer(toHandler, limits).on('clientError', answerClientError).on('connect', refuseConnect);
  await new Promise<void>((resolve, reject) => {
    tunnelServer.once('error', reject);
    tunnelServer.listen(listen.tunnelPort, '127.0.0.1', () => resolve());
  });
  const port = (app.server.address() as AddressInfo).port;
  const tunnelPort = (tunnelServer.address() as AddressInfo).port;
  log.info('receiver listening', { host: listen.host, port, tunnel_port: tunnelPort });

  return {
    port,
    tunnelPort,
    relayed: (r) => relayedInbound.inject(app, r),
    async close() {
      tunnelServer.closeAllConnections();
      await new Promise<void>((r) => tunnelServer.close(() => r()));
      await app.close();
    },
  };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}

export function originAllowed(s: Settings, origin: string): boolean {
  const list = s.receiver.allowed_origins;
  return list.includes('*') || list.includes(origin.replace(/\/$/, ''));
}

function safeReferer(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const u = new URL(referer);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.searchParams.set('submitted', '1');
    return u.toString();
  } catch {
    return null;
  }
}

export function storageMessage(err: Error): string {
  const code = (err as Error & { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) return 'the data folder is read-only';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an input/output error';
  if (code === 'SQLITE_BUSY') return 'the database is busy';
  return 'storage is unavailable';
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(n / 1024)} KB`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(title: string, lines: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><a href="javascript:history.back()">Back</a></p></body></html>`;
}
