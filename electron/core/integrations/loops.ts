/**
 * Loops (email): transactional emails and events that drive Loops' own sequences. Every send
 * carries an Idempotency-Key stable across retries; Loops answers 409 to a key reused within
 * 24 h, which means the email already went out.
 */
import { createHash } from 'node:crypto';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import { httpCall, type OutboundResponse } from '../outbound/http-call.js';
import { answer, bodyText, readOptions, requireSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { PermanentError, type CallContext } from './types.js';

const MAX_IDEMPOTENCY_KEY = 100;
/** Top-level fields of /events/send; contact properties live beside them and must not collide. */
const EVENT_FIELDS = new Set(['eventName', 'email', 'userId', 'eventProperties', 'mailingLists']);

export interface LoopsTransactional {
  transactionalId: string;
  email: string;
  dataVariables?: Record<string, string | number>;
  addToAudience?: boolean;
}

export interface LoopsEvent {
  eventName: string;
  email: string;
  eventProperties?: Record<string, string | number | boolean>;
  contactProperties?: Record<string, string | number | boolean>;
}

export interface LoopsClient extends IntegrationClient {
  sendTransactional(req: LoopsTransactional, ctx: CallContext): Promise<{ alreadySent: boolean }>;
  sendEvent(req: LoopsEvent, ctx: CallContext): Promise<{ alreadySent: boolean }>;
  /** Deletes the contact (an erasure); `found` is false when Loops had no such contact (404). */
  deleteContact(email: string, ctx: CallContext): Promise<{ found: boolean }>;
}

/** Loops accepts keys up to 100 characters; a longer key is replaced by its SHA-256 (64 hex). */
export function loopsIdempotencyKey(key: string): string {
  return key.length <= MAX_IDEMPOTENCY_KEY ? key : createHash('sha256').update(key).digest('hex');
}

export function createLoopsClient(deps: ClientDeps): LoopsClient {
  const connect = () => {
    const { base_url } = readOptions(deps, 'loops');
    const apiKey = requireSecret(deps, integrationSecretName('loops', 'api_key'), 'Loops is not configured: add an API key');
    const vendor = vendorProfile(deps, 'loops', base_url, [apiKey], {
      errorMessage: (res) => bodyText(res, 'message'),
    });
    const base = base_url.replace(/\/+$/, '');
    return {
      call: (method: 'GET' | 'POST', path: string, json: unknown, headers: Record<string, string>, signal?: AbortSignal, accept?: number[]) =>
        httpCall(vendor, { method, url: `${base}${path}`, json, headers: { authorization: `Bearer ${apiKey}`, ...headers }, accept }, signal),
    };
  };

  const send = async (path: string, body: Record<string, unknown>, ctx: CallContext) => {
    const { call } = connect();
    const res: OutboundResponse = await call('POST', path, body, { 'idempotency-key': loopsIdempotencyKey(ctx.idempotencyKey) }, ctx.signal, [409]);
    return { alreadySent: res.status === 409 };
  };

  return {
    sendTransactional: (req, ctx) =>
      send(
        '/transactional',
        {
          transactionalId: req.transactionalId,
          email: req.email,
          ...(req.dataVariables && { dataVariables: req.dataVariables }),
          ...(req.addToAudience !== undefined && { addToAudience: req.addToAudience }),
        },
        ctx,
      ),

    sendEvent: (req, ctx) => {
      const clash = Object.keys(req.contactProperties ?? {}).filter((k) => EVENT_FIELDS.has(k));
      if (clash.length) {
        return Promise.reject(new PermanentError(`Loops contact properties cannot be named ${clash.join(', ')}: those are event fields`));
      }
      return send(
        '/events/send',
        {
          ...req.contactProperties,
          eventName: req.eventName,
          email: req.email,
          ...(req.eventProperties && { eventProperties: req.eventProperties }),
        },
        ctx,
      );
    },

    // https://loops.so/docs/api-reference/delete-contact: 404 when no contact has the address, so
    // a repeat after a crash finds it gone and is done too.
    deleteContact: async (email, ctx) => {
      const res = await connect().call('POST', '/contacts/delete', { email }, {}, ctx.signal, [404]);
      return { found: res.status !== 404 };
    },

    // GET /api-key only checks the key: nothing is sent to anyone.
    test: async () => answer(await connect().call('GET', '/api-key', undefined, {})),
    ready: () => void connect(),
  };
}
