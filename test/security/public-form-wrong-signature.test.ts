/**
 * Finding 5: a public browser form may arrive unsigned, but a signature that is present and wrong
 * is 401 on every endpoint, public forms included, in every scheme and body type, and nothing
 * from such a request becomes an event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../shared/events/catalog.js';
import { leadbellSignature, standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const SECRET = 'whsec_' + Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64');
const OTHER = 'whsec_' + Buffer.from('somebody-else-s-secret-32-bytes!').toString('base64');
const now = () => Math.floor(Date.now() / 1000);

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ secretEnv: { 'webhook.default': SECRET } });
});
afterAll(async () => t?.stop());

const json = JSON.stringify({ email: 'forged@example.com', first_name: 'Forged' });
const form = 'email=forged%40example.com&first_name=Forged';

/** A wrong signature in each scheme the receiver knows. */
const wrong = (raw: string): Record<string, Record<string, string>> => ({
  leadbell: { 'x-leadbell-signature': leadbellSignature(OTHER, raw) },
  'leadbell, malformed': { 'x-leadbell-signature': 'sha256=nothex' },
  'standard-webhooks': standardWebhooksHeaders(OTHER, 'msg_forged', raw),
  typeform: { 'typeform-signature': `sha256=${Buffer.from('x'.repeat(32)).toString('base64')}` },
  tally: { 'tally-signature': Buffer.from('y'.repeat(32)).toString('base64') },
  stripe: { 'stripe-signature': `t=${now()},v1=${'0'.repeat(64)}` },
});

const eventCount = async () => (await t.api('GET', '/api/events?limit=1')).body.total as number;

describe('a present, wrong signature is refused on every endpoint', () => {
  it('lead-optin (a public form by default): 401 for JSON, for a form post and for a browser form', async () => {
    const settings = await t.api('GET', '/api/settings');
    expect(settings.body.settings.receiver.endpoints['lead-optin'].public_form).toBe(true);
    const before = await eventCount();
    for (const [kind, raw, type, accept] of [
      ['json', json, 'application/json', 'application/json'],
      ['form', form, 'application/x-www-form-urlencoded', '*/*'],
      ['browser form', form, 'application/x-www-form-urlencoded', 'text/html'],
    ] as const) {
      for (const [scheme, headers] of Object.entries(wrong(raw))) {
        const r = await post(t.url('/api/webhooks/lead-optin'), raw, { 'content-type': type, accept, ...headers });
        expect(r.status, `${kind} / ${scheme}`).toBe(401);
      }
    }
    expect(await eventCount()).toBe(before);
    const rejected = await t.api('GET', '/api/requests?limit=5&outcome=rejected&endpoint=lead-optin');
    expect(rejected.body.items[0].reason).toMatch(/signature check failed/);
  });

  it('an unsigned post to the public form is still accepted, and so is a correctly signed one', async () => {
    expect((await post(t.url('/api/webhooks/lead-optin'), json)).status).toBe(202);
    const signed = JSON.stringify({ email: 'signed@example.com' });
    const r = await post(t.url('/api/webhooks/lead-optin'), signed, { 'x-leadbell-signature': leadbellSignature(SECRET, signed) });
    expect(r.status).toBe(202);
  });

  it('every endpoint, made a public form: a wrong signature is 401', async () => {
    const all = Object.fromEntries(ENDPOINTS.map((e) => [e, { public_form: true }]));
    expect((await t.api('PUT', '/api/settings', { receiver: { endpoints: all } })).status).toBe(200);
    for (const e of ENDPOINTS) {
      const r = await post(t.url(`/api/webhooks/${e}`), json, wrong(json).leadbell!);
      expect(r.status, e).toBe(401);
    }
  });
});
