/**
 * Which key makes a repeat of a request a duplicate. Once a signature is verified, only what the
 * sender signed may name the delivery: its signed id, else the body's own event id (the body is
 * signed), else the fingerprint of everything signed. A header the signature does not cover, such
 * as Idempotency-Key, would let anyone who captured one delivery replay it as new events.
 * Unsigned requests name themselves: Idempotency-Key, else webhook-id (svix-id), else the body's event id.
 */
import type { Headers, SignedDelivery } from './signatures.js';

/** Stored keys are capped (a sender's header could be long). */
const MAX_KEY = 300;

export function dedupeKey(signed: SignedDelivery | null, headers: Headers, bodyKey: string | undefined): string | null {
  const key = signed
    ? (signed.id ?? bodyKey ?? `signed:${signed.scheme}:${signed.fingerprint}`)
    : (headerValue(headers['idempotency-key']) ?? headerValue(headers['webhook-id']) ?? headerValue(headers['svix-id']) ?? bodyKey);
  return key ? key.slice(0, MAX_KEY) : null;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}
