/**
 * Inbound signature schemes, all over the raw request bytes with constant-time comparison.
 * 'auto' accepts whichever known scheme's header the sender used, so an owner can paste one
 * secret and any of their tools works.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureScheme } from '../../../shared/settings.js';

export type Headers = Record<string, string | string[] | undefined>;
export type VerifyResult = { ok: true; scheme: string; id?: string } | { ok: false; reason: string };

export const TOLERANCE_SECONDS = 300;

/** The HMAC key: the base64-decoded part of a `whsec_…` secret, else the secret's UTF-8 bytes. */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function hmac(key: Buffer, ...parts: (string | Buffer)[]): Buffer {
  const m = createHmac('sha256', key);
  for (const p of parts) m.update(p);
  return m.digest();
}

function safeEqual(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function decode(text: string, encoding: 'hex' | 'base64'): Buffer | null {
  const valid = encoding === 'hex' ? /^[0-9a-fA-F]+$/ : /^[A-Za-z0-9+/_-]+={0,2}$/;
  return valid.test(text) ? Buffer.from(text, encoding) : null;
}

function freshness(timestamp: string | undefined, nowSeconds: number): string | null {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'the signature timestamp is missing or not a number';
  return Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS
    ? `the signature timestamp is more than ${TOLERANCE_SECONDS / 60} minutes off (stale or replayed)`
    : null;
}

interface Verifier {
  scheme: Exclude<SignatureScheme, 'auto' | 'none'>;
  header: string;
  verify(raw: Buffer, h: Headers, key: Buffer, nowSeconds: number): VerifyResult;
}

const VERIFIERS: Verifier[] = [
  {
    scheme: 'leadbell',
    header: 'x-leadbell-signature',
    verify(raw, h, key) {
      const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header(h, 'x-leadbell-signature')!.trim());
      if (!m) return { ok: false, reason: 'X-Leadbell-Signature must look like sha256=<64 hex digits>' };
      return safeEqual(hmac(key, raw), Buffer.from(m[1]!, 'hex'))
        ? { ok: true, scheme: 'leadbell' }
        : { ok: false, reason: 'X-Leadbell-Signature does not match the body' };
    },
  },
  {
    scheme: 'standard-webhooks',
    header: 'webhook-signature',
    verify(raw, h, key, now) {
      const id = header(h, 'webhook-id');
      const ts = header(h, 'webhook-timestamp');
      if (!id) return { ok: false, reason: 'webhook-id header is missing' };
      const stale = freshness(ts, now);
      if (stale) return { ok: false, reason: stale };
      const expected = hmac(key, `${id}.${ts}.`, raw);
      const given = header(h, 'webhook-signature')!
        .split(' ')
        .filter((s) => s.startsWith('v1,'))
        .map((s) => decode(s.slice(3), 'base64'));
      return given.some((g) => g && safeEqual(expected, g))
        ? { ok: true, scheme: 'standard-webhooks', id }
        : { ok: false, reason: 'webhook-signature does not match the body' };
    },
  },
  {
    scheme: 'typeform',
    header: 'typeform-signature',
    verify(raw, h, key) {
      const m = /^sha256=(.+)$/.exec(header(h, 'typeform-signature')!.trim());
      const given = m ? decode(m[1]!, 'base64') : null;
      return given && safeEqual(hmac(key, raw), given)
        ? { ok: true, scheme: 'typeform' }
        : { ok: false, reason: 'Typeform-Signature does not match the body' };
    },
  },
  {
    scheme: 'tally',
    header: 'tally-signature',
    verify(raw, h, key) {
      const given = decode(header(h, 'tally-signature')!.trim(), 'base64');
      return given && safeEqual(hmac(key, raw), given)
        ? { ok: true, scheme: 'tally' }
        : { ok: false, reason: 'Tally-Signature does not match the body' };
    },
  },
  {
    scheme: 'stripe',
    header: 'stripe-signature',
    verify(raw, h, key, now) {
      const parts = header(h, 'stripe-signature')!.split(',').map((p) => p.trim().split('='));
      const t = parts.find(([k]) => k === 't')?.[1];
      const stale = freshness(t, now);
      if (stale) return { ok: false, reason: stale };
      const expected = hmac(key, `${t}.`, raw);
      const ok = parts.filter(([k]) => k === 'v1').some(([, v]) => {
        const g = v ? decode(v, 'hex') : null;
        return g !== null && safeEqual(expected, g);
      });
      return ok ? { ok: true, scheme: 'stripe' } : { ok: false, reason: 'Stripe-Signature does not match the body' };
    },
  },
];

export const SIGNATURE_HEADERS = VERIFIERS.map((v) => v.header);

/**
 * Verifies a request against the endpoint's scheme. With 'auto', a request must carry at least
 * one known signature header, and every one it carries is checked until one verifies.
 */
export function verifySignature(
  scheme: SignatureScheme,
  secret: string,
  raw: Buffer,
  h: Headers,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  if (scheme === 'none') return { ok: true, scheme: 'none' };
  const key = signingKey(secret);
  const candidates = VERIFIERS.filter((v) => (scheme === 'auto' || v.scheme === scheme) && header(h, v.header) !== undefined);
  if (!candidates.length) {
    const expected = scheme === 'auto' ? VERIFIERS.map((v) => v.header).join(', ') : VERIFIERS.find((v) => v.scheme === scheme)!.header;
    return { ok: false, reason: `signature missing: send one of ${expected}` };
  }
  let last: VerifyResult = { ok: false, reason: 'signature does not match' };
  for (const v of candidates) {
    last = v.verify(raw, h, key, nowSeconds);
    if (last.ok) return last;
  }
  return last;
}

/** Signs a body the way a Leadbell sender would (used by test-fire and the docs' examples). */
export function leadbellSignature(secret: string, raw: Buffer | string): string {
  return `sha256=${hmac(signingKey(secret), raw).toString('hex')}`;
}

/** Standard Webhooks signature headers for an outbound or test request. */
export function standardWebhooksHeaders(secret: string, id: string, raw: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const sig = hmac(signingKey(secret), `${id}.${nowSeconds}.`, raw).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': `v1,${sig}` };
}
