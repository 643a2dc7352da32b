/** The answers a sender gets, matching the desktop receiver's (CORS, 202, 303 for browser forms). */
import { formReturnUrl } from '../../shared/form-return.js';
import { acceptedStatus } from '../../shared/senders/index.js';
import { json } from './env.js';

export interface PublicConfig {
  allowed_origins: string[];
  thank_you_url: string | null;
}

const ALLOWED_HEADERS = [
  'content-type',
  'idempotency-key',
  'x-leadbell-signature',
  'x-leadbell-timestamp',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-hub-signature-256',
  'stripe-signature',
];

export function originAllowed(config: PublicConfig, origin: string): boolean {
  return config.allowed_origins.includes('*') || config.allowed_origins.includes(origin.replace(/\/$/, ''));
}

export function preflight(req: Request, config: PublicConfig): Response {
  const origin = req.headers.get('origin');
  if (!origin || !originAllowed(config, origin)) return new Response(null, { status: 403 });
  const asked = (req.headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const refused = asked.filter((h) => !ALLOWED_HEADERS.includes(h));
  if (refused.length) return new Response(null, { status: 403 });
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': ALLOWED_HEADERS.join(', '),
      'access-control-max-age': '600',
      vary: 'Origin',
    },
  });
}

export function corsHeaders(req: Request, config: PublicConfig): Record<string, string> {
  const origin = req.headers.get('origin');
  return origin && originAllowed(config, origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
}

function isBrowserForm(req: Request): boolean {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  return (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) && /text\/html/.test(req.headers.get('accept') ?? '');
}

/** 202 (200 to WordPress: `acceptedStatus`) with the request id, or, for a browser form post, 303 to the thank-you page. */
export function accepted(req: Request, config: PublicConfig, requestId: string): Response {
  if (isBrowserForm(req)) {
    const target = config.thank_you_url ?? formReturnUrl(req.headers.get('referer'));
    if (target) return new Response(null, { status: 303, headers: { location: target } });
    return new Response('<!doctype html><meta charset="utf-8"><title>Thank you!</title><h1>Thank you!</h1><p>We got your details.</p>', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  }
  return json(acceptedStatus(req.headers.get('user-agent')), { status: 'accepted', request_id: requestId }, corsHeaders(req, config));
}

