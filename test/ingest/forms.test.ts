import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

describe('HTML forms and browsers', () => {
  it('a form post (Zapier style) is parsed, numbers coerced, nested brackets supported', async () => {
    const r = await post(
      t.url('/api/webhooks/assessment'),
      'email=Form%40Example.com&first_name=Fi&assessment_data%5Bmarketing%5D=8&assessment_data%5Bsales%5D=6&phone=',
      formHeaders,
    );
    expect(r.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=lead.assessment_complete&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ email: 'form@example.com', assessment_data: { marketing: 8, sales: 6 } });
    expect(ev.payload.phone).toBeUndefined();
  });

  it('a browser form post gets a 303 to the thank-you page', async () => {
    const headers = { ...formHeaders, accept: 'text/html,application/xhtml+xml' };
    const toReferer = await post(t.url('/api/webhooks/lead-optin'), form({ email: 'b@x.co' }), {
      ...headers,
      referer: 'https://salon.example/offer',
    });
    expect(toReferer.status).toBe(303);
    expect(toReferer.headers.get('location')).toBe('https://salon.example/offer?submitted=1');
    await t.api('PUT', '/api/settings', { receiver: { thank_you_url: 'https://salon.example/thanks' } });
    const configured = await post(t.url('/api/webhooks/lead-optin'), form({ email: 'c@x.co' }), headers);
    expect(configured.status).toBe(303);
    expect(configured.headers.get('location')).toBe('https://salon.example/thanks');
    const invalid = await post(t.url('/api/webhooks/lead-optin'), form({ email: 'nope' }), headers);
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toMatch(/text\/html/);
    expect(invalid.body).toContain('email must be a valid email address');
  });

  it('a filled honeypot is answered 202, stored as spam, and produces no event', async () => {
    const before = (await t.api('GET', '/api/events?limit=1')).body.total;
    const r = await post(t.url('/api/webhooks/lead-optin'), { email: 'bot@spam.example', website: 'http://spam.example' });
    expect(r.status).toBe(202);
    expect((await t.api('GET', '/api/events?limit=1')).body.total).toBe(before);
    const spam = (await t.api('GET', '/api/requests?outcome=spam')).body.items;
    expect(spam[0]).toMatchObject({ spam: true, status: 202 });
    expect(spam[0].reason).toMatch(/honeypot/);
    // An empty honeypot is a person: accepted, and the field is not kept in the payload.
    const human = await post(t.url('/api/webhooks/lead-optin'), { email: 'human@x.co', website: '' });
    expect(human.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?limit=1')).body.items[0];
    expect(ev.payload.website).toBeUndefined();
  });

  it('CORS preflight allows Content-Type and the tunnels\' notice-skipping headers for allowed origins only', async () => {
    await t.api('PUT', '/api/settings', { receiver: { allowed_origins: ['https://salon.example'] } });
    const preflight = (origin: string) =>
      fetch(t.url('/api/webhooks/lead-optin'), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,bypass-tunnel-reminder,ngrok-skip-browser-warning',
        },
      });
    const ok = await preflight('https://salon.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://salon.example');
    const allowed = ok.headers.get('access-control-allow-headers')!.toLowerCase();
    expect(allowed).toContain('content-type');
    expect(allowed).toContain('bypass-tunnel-reminder');
    expect(allowed).toContain('ngrok-skip-browser-warning');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // The real POST from a disallowed origin is refused, and says why.
    const post403 = await post(t.url('/api/webhooks/lead-optin'), { email: 'a@b.co' }, { origin: 'https://evil.example' });
    expect(post403.status).toBe(403);
    expect(post403.body.error).toMatch(/origin https:\/\/evil.example is not allowed/);
    const post202 = await post(t.url('/api/webhooks/lead-optin'), { email: 'a@b.co' }, { origin: 'https://salon.example' });
    expect(post202.status).toBe(202);
    expect(post202.headers.get('access-control-allow-origin')).toBe('https://salon.example');
    await t.api('PUT', '/api/settings', { receiver: { allowed_origins: ['*'] } });
  });

  it('navigator.sendBeacon bodies (text/plain JSON) are accepted', async () => {
    const r = await post(
      t.url('/api/webhooks/sales-page-visit'),
      JSON.stringify({ visitor_id: 'v-beacon', page_url: 'https://x.example/pricing', duration: '31' }),
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expect(r.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=visitor.sales_page_visit&limit=1')).body.items[0];
    expect(ev.payload.duration).toBe(31);
  });
});
