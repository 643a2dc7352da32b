/**
 * POST /api/webhooks/{endpoint}: the checks in order (endpoint, method, origin, content type,
 * signature, body, honeypot, normalisation), then the event is stored before it is acknowledged.
 * Also GET /health, which answers with this process's id.
 */
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { endpointTarget, endpointTargets } from '../../../../shared/events/endpoint-target.js';
import { normalise, normaliseOccurred } from '../../../../shared/events/normalize.js';
import { acceptedStatus } from '../../../../shared/senders/index.js';
import { uuidv7 } from '../../ids.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { storageMessage } from '../../storage/storage-errors.js';
import { bodyKind, parseBody } from '../body.js';
import type { IngestResult } from '../ingest-writer.js';
import { dedupeKey } from '../dedupe-key.js';
import { mustVerifySignature } from '../signature-policy.js';
import { verifySignature, type SignedDelivery } from '../signatures.js';
import { leadReading } from '../lead-reading.js';
import { hold } from './hold.js';
import { unstored, type Responses } from './responses.js';
import { originAllowed, SEND_FOR_REAL_HEADER, type ReceiverScope } from './scope.js';
import { testMarkLabel } from '../../../../shared/events/test-mark.js';

/** Declared for the route's contract; the check against the catalog is the route's own (a 404 naming the endpoints). */
const params = {
  type: 'object',
  properties: { endpoint: { type: 'string', description: 'the endpoint name, e.g. "lead"' } },
  required: ['endpoint'],
} as const;

export function secretFor(secrets: SecretStore, endpoint: string): string | null {
  return secrets.get(`webhook.${endpoint}`) ?? secrets.get('webhook.default');
}

export async function webhookRoute(app: FastifyInstance, { scope, responses }: { scope: ReceiverScope; responses: Responses }) {
  const { deps, record } = scope;
  const { reject, invalid, accepted, ignored } = responses;

  app.get('/health', async () => ({ status: 'ok', instance: deps.instanceId }));

  app.all<{ Params: { endpoint: string } }>('/api/webhooks/:endpoint', { schema: { params } }, async (req, reply) => {
    const current = scope.settings();
    // The name as spelled in the path (what the inbox records), not Fastify's decoded param:
    // "lead%2Doptin" is not the endpoint "lead-optin", so an endpoint has one spelling only.
    const name = req.leadbell.endpoint ?? '';
    const target = endpointTarget(current, name);
    if (!target?.settings.enabled) {
      return reject(req, reply, 404, `unknown endpoint "${name}": use one of ${endpointTargets(current).map((t) => t.name).join(', ')}`);
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
        `content type "${req.headers['content-type'] ?? '(none)'}" is not supported: send application/json, application/x-www-form-urlencoded or multipart/form-data`,
      );
    }
    const raw = req.rawBody ?? Buffer.alloc(0);
    const ep = target.settings;
    const secret = secretFor(deps.secrets, name);
    let signed: SignedDelivery | null = null;
    if (req.leadbell.via !== 'test-fire' && secret && mustVerifySignature(ep, req.headers)) {
      // Timestamps are checked against when the request reached us (or the relay), not now.
      const verdict = verifySignature(ep.signature, secret, raw, req.headers, Math.floor(Date.parse(req.leadbell.receivedAt) / 1000));
      if (!verdict.ok) return reject(req, reply, 401, `signature check failed: ${verdict.reason}`);
      signed = verdict;
    }
    const parsed = await parseBody(kind, raw, req.headers['content-type']);
    if (!parsed.ok) return reject(req, reply, parsed.status, parsed.reason);
    const body = parsed.value;

    const honeypot = body[current.receiver.honeypot_field];
    if (typeof honeypot === 'string' && honeypot.trim() !== '') {
      await record(req, 202, 'spam', `honeypot field "${current.receiver.honeypot_field}" was filled in`);
      // Bots are told it worked, so they do not adapt.
      return accepted(req, reply, randomUUID(), false);
    }
    delete body[current.receiver.honeypot_field];

    const reading = leadReading(deps.held, target, body);
    const result = normalise(target.kind, body, req.headers, reading.options);
    if (!result.ok) {
      if (result.held !== undefined) return hold(scope, responses, req, reply, result.held, reading.shape!());
      if (result.ignored === undefined) return invalid(req, reply, result.errors);
      // Kept in the inbox for the owner to see, and acknowledged only once it is stored.
      if (!(await record(req, 200, 'ignored', result.ignored))) return unstored(reply, 'the disk could not store it');
      return ignored(req, reply, result.ignored);
    }
    const n = result.value;
    let stored: IngestResult | null;
    try {
      stored = await record(req, acceptedStatus(req.headers['user-agent']), 'accepted', n.note ?? null, {
        id: uuidv7(),
        event: n.event,
        occurred: normaliseOccurred(n.occurred, req.leadbell.receivedAt),
        received_at: req.leadbell.receivedAt,
        source: name,
        // The owner's own test: its lead is a test lead, and no app is called unless they chose so.
        resource: req.leadbell.via === 'test-fire' ? { ...n.resource, ...testMarkLabel(req.headers[SEND_FOR_REAL_HEADER] === '1') } : n.resource,
        payload: n.payload,
        inbox_id: null,
        idempotency_key: dedupeKey(signed, req.headers, n.idempotencyKey),
      }, n.note ? reading.shape?.() : undefined);
    } catch (err) {
      return unstored(reply, storageMessage(err as Error));
    }
    return accepted(req, reply, stored!.eventId!, stored!.duplicate);
  });
}
