import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadbellSignature } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const SECRET = 'whsec_' + Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64');

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ secretEnv: { 'webhook.default': SECRET } });
});
afterAll(async () => t.stop());

const body = JSON.stringify({ email: 'signed@example.com', first_name: 'Sig' });
const url = () => t.url('/api/webhooks/assessment');
const assess = JSON.stringify({ email: 'signed@example.com', score: 70 });

// Each scheme's own cases (valid, wrong key, changed body, stale, replay) are in signature-schemes.test.ts.
describe('signatures (every endpoint requires one once a secret is set)', () => {
  it('401 without a signature, naming the accepted headers', async () => {
    const r = await post(url(), assess);
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/signature missing: send one of x-leadbell-signature/);
  });

  it('X-Leadbell-Signature: valid, wrong, and over a re-serialised body', async () => {
    expect((await post(url(), assess, { 'x-leadbell-signature': leadbellSignature(SECRET, assess) })).status).toBe(202);
    const wrong = await post(url(), assess, { 'x-leadbell-signature': leadbellSignature('whsec_b3RoZXI=', assess) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/does not match/);
    // The same object serialised differently is different bytes: the signature must not verify.
    const reserialised = JSON.stringify(JSON.parse(assess), null, 2);
    const r = await post(url(), reserialised, { 'x-leadbell-signature': leadbellSignature(SECRET, assess) });
    expect(r.status).toBe(401);
  });

  it('a fixed scheme accepts only that scheme; a per-endpoint secret overrides the default', async () => {
    await t.api('PUT', '/api/settings', { receiver: { endpoints: { assessment: { signature: 'stripe' } } } });
    const lb = await post(url(), assess, { 'x-leadbell-signature': leadbellSignature(SECRET, assess) });
    expect(lb.status).toBe(401);
    expect(lb.body.error).toMatch(/stripe-signature/);
    await t.api('PUT', '/api/settings', { receiver: { endpoints: { assessment: { signature: 'auto' } } } });
    await t.api('PUT', '/api/secrets/webhook.assessment', { value: 'plain-text-secret' });
    expect((await post(url(), assess, { 'x-leadbell-signature': leadbellSignature(SECRET, assess) })).status).toBe(401);
    // A secret without the whsec_ prefix is used as its UTF-8 bytes.
    const plain = `sha256=${createHmac('sha256', 'plain-text-secret').update(assess).digest('hex')}`;
    expect((await post(url(), assess, { 'x-leadbell-signature': plain })).status).toBe(202);
    await t.api('PUT', '/api/secrets/webhook.assessment', { value: null });
  });

  it('a public browser form needs no signature (origins, honeypot and rate limit protect it)', async () => {
    // lead-optin is a public form by default.
    expect((await post(t.url('/api/webhooks/lead-optin'), body)).status).toBe(202);
    await t.api('PUT', '/api/settings', { receiver: { endpoints: { 'lead-optin': { public_form: false } } } });
    expect((await post(t.url('/api/webhooks/lead-optin'), body)).status).toBe(401);
    await t.api('PUT', '/api/settings', { receiver: { endpoints: { 'lead-optin': { public_form: true } } } });
  });

  it('the secret is never in the logs, the inbox or the settings answer', async () => {
    const settings = await t.api('GET', '/api/settings');
    expect(JSON.stringify(settings.body)).not.toContain(SECRET.slice(6, 20));
    expect(settings.body.secrets['webhook.default']).toEqual({ set: true, from_env: true });
    const inbox = await t.api('GET', '/api/requests?limit=200');
    expect(JSON.stringify(inbox.body)).not.toContain(SECRET.slice(6, 20));
    expect(t.logs.join('\n')).not.toContain(SECRET.slice(6, 20));
  });
});
