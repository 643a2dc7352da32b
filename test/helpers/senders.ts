/**
 * The tools that sign requests to Leadbell, each signing the way it really does: with the sender's
 * own library where it publishes one (Standard Webhooks, Stripe), otherwise by the algorithm in the
 * document named in `signer`. Secrets are in the form each sender hands out.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import type { SignatureScheme } from '../../shared/settings.js';

export type SignedScheme = Exclude<SignatureScheme, 'auto' | 'none'>;

export interface Sender {
  scheme: SignedScheme;
  /** The library that signs, or the document a hand-written signer follows. */
  signer: string;
  /** A fresh secret in the form this sender hands out. */
  secret(): string;
  /** A delivery in the sender's own body shape; `id` is its delivery id, so a resend is a duplicate. */
  body(id: string, email: string): string;
  /** The signature headers the sender adds, signed at `atSeconds` (unix time). */
  sign(secret: string, body: string, id: string, atSeconds: number): Record<string, string>;
  /** Whether the signature carries a timestamp the receiver holds to a tolerance. */
  timestamped: boolean;
}

const assessmentBody = (id: string, email: string) => JSON.stringify({ event_id: id, email, first_name: 'Sig', score: 70 });

export const SENDERS: Sender[] = [
  {
    scheme: 'leadbell',
    signer: "README.md, 'Signatures': X-Leadbell-Timestamp, and sha256=<hex HMAC-SHA256(secret, timestamp.body)>, as its openssl example computes it",
    secret: () => `whsec_${randomBytes(24).toString('base64')}`,
    body: assessmentBody,
    sign: (secret, body, _id, at) => ({
      'x-leadbell-timestamp': String(at),
      'x-leadbell-signature': `sha256=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`,
    }),
    timestamped: true,
  },
  {
    scheme: 'leadbell',
    signer: "README.md, 'Signatures', the older form without a timestamp: sha256=<hex HMAC-SHA256(secret, body)>",
    secret: () => `whsec_${randomBytes(24).toString('base64')}`,
    body: assessmentBody,
    sign: (secret, body) => ({ 'x-leadbell-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }),
    timestamped: false,
  },
  {
    scheme: 'standard-webhooks',
    signer: 'the standardwebhooks package (Webhook.sign)',
    secret: () => `whsec_${randomBytes(24).toString('base64')}`,
    body: assessmentBody,
    sign: (secret, body, id, at) => ({
      'webhook-id': id,
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), body),
    }),
    timestamped: true,
  },
  {
    scheme: 'stripe',
    signer: 'the stripe package (Stripe.webhooks.generateTestHeaderString)',
    // The form `stripe listen` prints: whsec_ and 64 hex digits (also valid base64, which is the trap).
    secret: () => `whsec_${randomBytes(32).toString('hex')}`,
    body: assessmentBody,
    sign: (secret, body, _id, at) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: at }) }),
    timestamped: true,
  },
  {
    scheme: 'typeform',
    // Typeform publishes no signing library.
    signer:
      'https://www.typeform.com/developers/webhooks/secure-your-webhooks/: sha256= + base64 HMAC-SHA256 of the payload, keyed with the secret',
    // The docs suggest a random hex string as the secret.
    secret: () => randomBytes(20).toString('hex'),
    body: (id, email) =>
      JSON.stringify({
        event_id: id,
        event_type: 'form_response',
        form_response: {
          form_id: 'lT4Z3j',
          submitted_at: new Date().toISOString(),
          calculated: { score: 70 },
          answers: [
            { type: 'text', text: 'Laura', field: { id: 'a1', type: 'short_text', ref: 'first_name' } },
            { type: 'email', email, field: { id: 'a2', type: 'email', ref: 'your-email' } },
          ],
        },
      }),
    sign: (secret, body) => ({ 'typeform-signature': `sha256=${createHmac('sha256', secret).update(body).digest('base64')}` }),
    timestamped: false,
  },
  {
    scheme: 'tally',
    // Tally publishes no signing library.
    signer: 'https://tally.so/help/webhooks: base64 HMAC-SHA256 of the JSON payload, keyed with the signing secret',
    // Tally's signing secret is whatever the form owner types in.
    secret: () => `salon-forms-${randomBytes(8).toString('hex')}`,
    body: (id, email) =>
      JSON.stringify({
        eventId: id,
        eventType: 'FORM_RESPONSE',
        createdAt: new Date().toISOString(),
        data: {
          fields: [
            { key: 'question_1', label: 'First name', type: 'INPUT_TEXT', value: 'Omar' },
            { key: 'question_2', label: 'Work email', type: 'INPUT_EMAIL', value: email },
            { key: 'question_3', label: 'Marketing', type: 'RATING', value: 7 },
          ],
        },
      }),
    sign: (secret, body) => ({ 'tally-signature': createHmac('sha256', secret).update(body).digest('base64') }),
    timestamped: false,
  },
  {
    scheme: 'standard-webhooks',
    // Svix's own library signs with standardwebhooks and sends the headers under svix-* names.
    signer: 'the standardwebhooks package (Webhook.sign), sent under svix-* names as the svix package does (https://docs.svix.com/receiving/verifying-payloads/how-manual)',
    secret: () => `whsec_${randomBytes(24).toString('base64')}`,
    body: assessmentBody,
    sign: (secret, body, id, at) => ({
      'svix-id': id,
      'svix-timestamp': String(at),
      'svix-signature': new Webhook(secret).sign(id, new Date(at * 1000), body),
    }),
    timestamped: true,
  },
  {
    scheme: 'webflow',
    // Webflow publishes no signing library for senders.
    signer:
      'https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures: hex HMAC-SHA256 of "<timestamp ms>:<body>", keyed with the secret',
    secret: () => randomBytes(32).toString('hex'),
    body: (id, email) =>
      JSON.stringify({
        triggerType: 'form_submission',
        payload: { name: 'Quiz', siteId: '65427cf400e02b306eaa049c', data: { 'First Name': 'Sig', email, Score: '70' }, id, submittedAt: new Date().toISOString() },
      }),
    sign: (secret, body, _id, at) => {
      const ms = String(at * 1000);
      return { 'x-webflow-timestamp': ms, 'x-webflow-signature': createHmac('sha256', secret).update(`${ms}:${body}`).digest('hex') };
    },
    timestamped: true,
  },
  {
    scheme: 'calendly',
    // Calendly publishes no signing library.
    signer: 'https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
    // A signing key chosen by the owner, as Calendly's docs suggest (e.g. openssl rand -hex 32).
    secret: () => randomBytes(32).toString('hex'),
    body: (id, email) =>
      JSON.stringify({
        event: 'invitee.created',
        created_at: new Date().toISOString(),
        payload: { email, first_name: 'Sig', last_name: 'Ner', uri: `https://api.calendly.com/scheduled_events/EV/invitees/${id}` },
      }),
    sign: (secret, body, _id, at) => ({
      'calendly-webhook-signature': `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`,
    }),
    timestamped: true,
  },
];
