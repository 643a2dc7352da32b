/**
 * Inbound signature schemes, all over the raw request bytes with constant-time comparison.
 * 'auto' accepts whichever known scheme's header the sender used, so an owner can paste one
 * secret and any of their tools works. Each scheme turns the secret into its HMAC key the way its
 * sender does, so the same pasted secret is read one way for Stripe and another for Standard Webhooks.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureScheme } from '../../../shared/settings.js';

export type Headers = Record<string, string | string[] | undefined>;
export type CheckedScheme = Exclude<SignatureScheme, 'none'>;

/**
 * What a verified signature vouches for: the delivery id it signs, where the scheme signs one
 * (Standard Webhooks' webhook-id), and a fingerprint of everything it signed (a hash of the HMAC
 * we computed, not of the header sent, so extra or reordered signatures in the header change nothing).
 */
export interface SignedDelivery {
  scheme: string;
  id?: string;
  fingerprint: string;
}
export type VerifyResult = ({ ok: true } & SignedDelivery) | { ok: false; reason: string };

export const TOLERANCE_SECONDS = 300;

const WHSEC = 'whsec_';
export const LEADBELL_TIMESTAMP = 'x-leadbell-timestamp';

/** Stripe, Typeform, Tally, Webflow, Calendly and Leadbell: the secret's own UTF-8 bytes, a `whsec_` prefix included. */
export function verbatimKey(secret: string): Buffer {
  return Buffer.from(secret, 'utf8');
}

/**
 * Standard Webhooks: the secret is base64, optionally prefixed `whsec_`, and the key is the decoded
 * bytes. Null when the rest is not base64 (the spec's own libraries refuse such a secret too).
 */
export function standardWebhooksKey(secret: string): Buffer | null {
  const b64 = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
  const padded = b64.endsWith('=');
  const wellFormed = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && (padded ? b64.length % 4 === 0 : b64.length % 4 !== 1);
  return wellFormed ? Buffer.from(b64, 'base64') : null;
}

const NOT_STANDARD_WEBHOOKS_SECRET = 'the secret is not a Standard Webhooks secret (whsec_ followed by base64)';

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

function fingerprint(mac: Buffer): string {
  return createHash('sha256').update(mac).digest('hex');
}

interface Verifier {
  scheme: Exclude<CheckedScheme, 'auto'>;
  header: string;
  verify(raw: Buffer, h: Headers, secret: string, nowSeconds: number): VerifyResult;
}

/**
 * Stripe's layout, which Calendly copies: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">"
 * (several v1 values while a secret rolls), keyed with the secret as given.
 */
function timestampedV1(scheme: 'stripe' | 'calendly', name: string, label: string): Verifier {
  return {
    scheme,
    header: name,
    verify(raw, h, secret, now) {
      const parts = header(h, name)!.split(',').map((p) => p.trim().split('='));
      const t = parts.find(([k]) => k === 't')?.[1];
      const stale = freshness(t, now);
      if (stale) return { ok: false, reason: stale };
      const expected = hmac(verbatimKey(secret), `${t}.`, raw);
      const ok = parts.filter(([k]) => k === 'v1').some(([, v]) => {
        const g = v ? decode(v, 'hex') : null;
        return g !== null && safeEqual(expected, g);
      });
      return ok ? { ok: true, scheme, fingerprint: fingerprint(expected) } : { ok: false, reason: `${label} does not match the body` };
    },
  };
}

const VERIFIERS: Verifier[] = [
  {
    scheme: 'leadbell',
    header: 'x-leadbell-signature',
    // Signed as `<timestamp>.<body>` when X-Leadbell-Timestamp is sent. The older form, over the
    // body alone, is still accepted: its replays are bounded by deduplication instead, since its
    // fingerprint is the same every time the same bytes are sent (see dedupe-key.ts).
    verify(raw, h, secret, now) {
      const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header(h, 'x-leadbell-signature')!.trim());
      if (!m) return { ok: false, reason: 'X-Leadbell-Signature must look like sha256=<64 hex digits>' };
      const ts = header(h, LEADBELL_TIMESTAMP);
      if (ts !== undefined) {
        const stale = freshness(ts, now);
        if (stale) return { ok: false, reason: stale };
      }
      const expected = ts === undefined ? hmac(verbatimKey(secret), raw) : hmac(verbatimKey(secret), `${ts}.`, raw);
      return safeEqual(expected, Buffer.from(m[1]!, 'hex'))
        ? { ok: true, scheme: 'leadbell', fingerprint: fingerprint(expected) }
        : { ok: false, reason: 'X-Leadbell-Signature does not match the body' };
    },
  },
  {
    scheme: 'standard-webhooks',
    header: 'webhook-signature',
    verify(raw, h, secret, now) {
      const id = header(h, 'webhook-id');
      const ts = header(h, 'webhook-timestamp');
      if (!id) return { ok: false, reason: 'webhook-id header is missing' };
      const stale = freshness(ts, now);
      if (stale) return { ok: false, reason: stale };
      const key = standardWebhooksKey(secret);
      if (!key) return { ok: false, reason: NOT_STANDARD_WEBHOOKS_SECRET };
      const expected = hmac(key, `${id}.${ts}.`, raw);
      const given = header(h, 'webhook-signature')!
        .split(' ')
        .filter((s) => s.startsWith('v1,'))
        .map((s) => decode(s.slice(3), 'base64'));
      return given.some((g) => g && safeEqual(expected, g))
        ? { ok: true, scheme: 'standard-webhooks', id, fingerprint: fingerprint(expected) }
        : { ok: false, reason: 'webhook-signature does not match the body' };
    },
  },
  {
    scheme: 'typeform',
    header: 'typeform-signature',
    verify(raw, h, secret) {
      const m = /^sha256=(.+)$/.exec(header(h, 'typeform-signature')!.trim());
      const given = m ? decode(m[1]!, 'base64') : null;
      const expected = hmac(verbatimKey(secret), raw);
      return given && safeEqual(expected, given)
        ? { ok: true, scheme: 'typeform', fingerprint: fingerprint(expected) }
        : { ok: false, reason: 'Typeform-Signature does not match the body' };
    },
  },
  {
    scheme: 'tally',
    header: 'tally-signature',
    verify(raw, h, secret) {
      const given = decode(header(h, 'tally-signature')!.trim(), 'base64');
      const expected = hmac(verbatimKey(secret), raw);
      return given && safeEqual(expected, given)
        ? { ok: true, scheme: 'tally', fingerprint: fingerprint(expected) }
        : { ok: false, reason: 'Tally-Signature does not match the body' };
    },
  },
  timestampedV1('stripe', 'stripe-signature', 'Stripe-Signature'),
  {
    // https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures:
    // hex HMAC-SHA256 of "<timestamp>:<body>", the timestamp in milliseconds.
    scheme: 'webflow',
    header: 'x-webflow-signature',
    verify(raw, h, secret, now) {
      const ms = header(h, 'x-webflow-timestamp')?.trim();
      if (!ms || !/^\d{1,15}$/.test(ms)) return { ok: false, reason: 'x-webflow-timestamp header is missing or not a number' };
      const stale = freshness(String(Math.floor(Number(ms) / 1000)), now);
      if (stale) return { ok: false, reason: stale };
      const given = decode(header(h, 'x-webflow-signature')!.trim(), 'hex');
      const expected = hmac(verbatimKey(secret), `${ms}:`, raw);
      return given && safeEqual(expected, given)
        ? { ok: true, scheme: 'webflow', fingerprint: fingerprint(expected) }
        : { ok: false, reason: 'x-webflow-signature does not match the body' };
    },
  },
  // https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures: Stripe's layout.
  timestampedV1('calendly', 'calendly-webhook-signature', 'Calendly-Webhook-Signature'),
  {
    // Svix-branded Standard Webhooks (Clerk, Resend, ...): the same scheme under svix-* names,
    // read exactly as Svix's own library reads them (https://docs.svix.com/receiving/verifying-payloads/how-manual).
    scheme: 'standard-webhooks',
    header: 'svix-signature',
    verify(raw, h, secret, now) {
      const standard = VERIFIERS.find((v) => v.header === 'webhook-signature')!;
      const unbranded = { 'webhook-id': h['svix-id'], 'webhook-timestamp': h['svix-timestamp'], 'webhook-signature': h['svix-signature'] };
      const r = standard.verify(raw, unbranded, secret, now);
      return r.ok ? r : { ok: false, reason: r.reason.replace(/\bwebhook-(id|signature)\b/g, 'svix-$1') };
    },
  },
];

export const SIGNATURE_HEADERS = VERIFIERS.map((v) => v.header);

/**
 * Verifies a request against the endpoint's scheme. With 'auto', a request must carry at least
 * one known signature header, and every one it carries is checked until one verifies.
 */
export function verifySignature(
  scheme: CheckedScheme,
  secret: string,
  raw: Buffer,
  h: Headers,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const candidates = VERIFIERS.filter((v) => (scheme === 'auto' || v.scheme === scheme) && header(h, v.header) !== undefined);
  if (!candidates.length) {
    const expected = scheme === 'auto' ? VERIFIERS.map((v) => v.header).join(', ') : VERIFIERS.find((v) => v.scheme === scheme)!.header;
    return { ok: false, reason: `signature missing: send one of ${expected}` };
  }
  let last: VerifyResult = { ok: false, reason: 'signature does not match' };
  for (const v of candidates) {
    last = v.verify(raw, h, secret, nowSeconds);
    if (last.ok) return last;
  }
  return last;
}

/** Signs a body the older way, without a timestamp: HMAC-SHA256 of the body keyed with the secret as written. */
export function leadbellSignature(secret: string, raw: Buffer | string): string {
  return `sha256=${hmac(verbatimKey(secret), raw).toString('hex')}`;
}

/** The headers a Leadbell sender adds: the timestamp, and the signature over `<timestamp>.<body>`. */
export function leadbellHeaders(secret: string, raw: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)) {
  return {
    [LEADBELL_TIMESTAMP]: String(nowSeconds),
    'x-leadbell-signature': `sha256=${hmac(verbatimKey(secret), `${nowSeconds}.`, raw).toString('hex')}`,
  };
}

/** Standard Webhooks signature headers for an outbound or test request. */
export function standardWebhooksHeaders(secret: string, id: string, raw: Buffer | string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const key = standardWebhooksKey(secret);
  if (!key) throw new Error(`cannot sign: ${NOT_STANDARD_WEBHOOKS_SECRET}`);
  const sig = hmac(key, `${id}.${nowSeconds}.`, raw).toString('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': `v1,${sig}` };
}
