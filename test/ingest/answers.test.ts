import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

const optin = (email: string, extra: Record<string, unknown> = {}) => ({ email, first_name: 'Ana', ...extra });

describe('public receiver answers', () => {
  it('202 accepted with an event id, stored with its request, email normalised', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), optin('  Ana@Salon.Example '));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'accepted' });
    const events = await t.api('GET', '/api/events?limit=5');
    const ev = events.body.items.find((e: { id: string }) => e.id === r.body.event_id);
    expect(ev.event).toBe('lead.opted_in');
    expect(ev.payload.email).toBe('ana@salon.example');
    expect(ev.resource['prefect.resource.id']).toBe('lead.ana@salon.example');
    const reqs = await t.api('GET', '/api/requests?limit=5');
    const inbox = reqs.body.items.find((i: { event_id: string }) => i.event_id === r.body.event_id);
    expect(inbox).toMatchObject({ status: 202, endpoint: 'lead-optin', via: 'direct', client_ip: '127.0.0.1' });
    expect(JSON.parse(inbox.body).email).toBe('  Ana@Salon.Example ');
  });

  it.each([
    ['lead-optin', optin('a@b.co'), 'lead.opted_in'],
    ['assessment', { email: 'a@b.co', assessment_data: { marketing: 7, sales: 4 } }, 'lead.assessment_complete'],
    ['assessment', { email: 'a@b.co', score: 85 }, 'lead.assessment_complete'],
    ['sales-page-visit', { visitor_id: 'v-1', page_url: 'https://x.example/pricing', duration: 45 }, 'visitor.sales_page_visit'],
    ['email-engagement', { email: 'a@b.co', event_type: 'open', email_id: 'e1' }, 'email.opened'],
    ['email-engagement', { email: 'a@b.co', event_type: 'click', email_id: 'e1', link_url: 'https://x.example' }, 'email.clicked'],
    ['events', { event: 'lead.assessment_started', payload: { email: 'a@b.co' } }, 'lead.assessment_started'],
  ])('endpoint %s emits the right event', async (endpoint, body, event) => {
    const r = await post(t.url(`/api/webhooks/${endpoint}`), body);
    expect(r.status).toBe(202);
    const stored = await t.api('GET', `/api/events?event=${event}&limit=1`);
    expect(stored.body.items[0].id).toBe(r.body.event_id);
  });

  it("accepts the guide's nested metadata shape", async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), {
      event_type: 'opted_in',
      timestamp: '2025-01-10T14:30:00Z',
      email: 'nested@example.com',
      first_name: 'John',
      metadata: { visitor_id: 'visitor-9', segment: 'Beauty-Salon', source: 'facebook-ad' },
    });
    expect(r.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=lead.opted_in&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ visitor_id: 'visitor-9', segment: 'beauty-salon', source: 'facebook-ad' });
    expect(ev.occurred).toBe('2025-01-10T14:30:00.000Z');
  });

  it('assessment: 8 ratings at most, each 0-10, or a ready score', async () => {
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`s${i}`, 5]));
    const tooMany = await post(t.url('/api/webhooks/assessment'), { email: 'a@b.co', assessment_data: nine });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0]).toMatchObject({ path: 'assessment_data' });
    const outOfRange = await post(t.url('/api/webhooks/assessment'), { email: 'a@b.co', assessment_data: { sales: 11 } });
    expect(outOfRange.body.errors).toEqual([{ path: 'assessment_data.sales', message: 'must be at most 10' }]);
    const none = await post(t.url('/api/webhooks/assessment'), { email: 'a@b.co' });
    expect(none.status).toBe(422);
    const inside = await post(t.url('/api/webhooks/assessment'), { email: 'a@b.co', assessment_data: { score: 91 } });
    expect(inside.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=lead.assessment_complete&limit=1')).body.items[0];
    expect(ev.payload.score).toBe(91);
  });

  it('422 names the field and why', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), { email: 'not-an-email', first_name: 3 });
    expect(r.status).toBe(422);
    expect(r.body.status).toBe('invalid');
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', message: 'must be a valid email address' },
        expect.objectContaining({ path: 'first_name' }),
      ]),
    );
    const missing = await post(t.url('/api/webhooks/lead-optin'), { first_name: 'x' });
    expect(missing.body.errors).toEqual([{ path: 'email', message: 'is required' }]);
  });

  it('422 for a flat event name on the generic endpoint', async () => {
    const r = await post(t.url('/api/webhooks/events'), { event: 'optin', payload: {} });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('event');
    expect(r.body.errors[0].message).toMatch(/hierarchical/);
  });

  it('400 for malformed JSON and non-object bodies', async () => {
    const bad = await post(t.url('/api/webhooks/lead-optin'), '{"email":');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);
    const arr = await post(t.url('/api/webhooks/lead-optin'), '[1,2]');
    expect(arr.status).toBe(400);
    expect(arr.body.error).toMatch(/JSON object/);
  });

  it('404 unknown endpoint, 405 wrong method, 415 unsupported type — all in the inbox with reasons', async () => {
    const nf = await post(t.url('/api/webhooks/nope'), optin('a@b.co'));
    expect(nf.status).toBe(404);
    const get = await fetch(t.url('/api/webhooks/lead-optin'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
    const xml = await post(t.url('/api/webhooks/lead-optin'), '<a/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    const rejected = (await t.api('GET', '/api/requests?outcome=rejected&limit=50')).body.items;
    for (const status of [404, 405, 415]) {
      const row = rejected.find((r: { status: number }) => r.status === status);
      expect(row?.reason, `inbox row for ${status}`).toBeTruthy();
    }
  });

  it('413 for a body over the limit (declared or streamed)', async () => {
    const big = JSON.stringify({ email: 'a@b.co', first_name: 'x'.repeat(1024 * 1024) });
    const r = await post(t.url('/api/webhooks/lead-optin'), big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/1 MB limit/);
    const row = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(row).toMatchObject({ status: 413, body_truncated: true });
  });

  it('the size limit is a setting', async () => {
    await t.api('PUT', '/api/settings', { receiver: { max_body_bytes: 2048 } });
    const r = await post(t.url('/api/webhooks/lead-optin'), optin('a@b.co', { note: 'x'.repeat(3000) }));
    expect(r.status).toBe(413);
    await t.api('PUT', '/api/settings', { receiver: { max_body_bytes: 1024 * 1024 } });
    expect((await post(t.url('/api/webhooks/lead-optin'), optin('a@b.co', { note: 'x'.repeat(3000) }))).status).toBe(202);
  });

  it('GET /health answers 200 and nothing else is served on the public port', async () => {
    const h = await fetch(t.url('/health'));
    expect(h.status).toBe(200);
    for (const p of ['/api/status', '/api/leads', '/api/settings', '/', '/index.html', '/api/stream']) {
      expect((await fetch(t.url(p), { headers: { authorization: `Bearer ${t.token}` } })).status, p).toBe(404);
    }
  });
});

describe('normalisation details', () => {
  it('the generic endpoint gives the same resource id to the same email however it is written', async () => {
    const r = await post(t.url('/api/webhooks/events'), { event: 'lead.booked_call', payload: { email: ' Ana@Salon.Example ' } });
    expect(r.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=lead.booked_call&limit=1')).body.items[0];
    expect(ev.resource['prefect.resource.id']).toBe('lead.ana@salon.example');
  });

  it('a sales-page visit keeps a top-level segment and source', async () => {
    const r = await post(t.url('/api/webhooks/sales-page-visit'), {
      visitor_id: 'v-seg',
      page_url: 'https://x.example/pricing',
      segment: 'Fitness',
      source: 'newsletter',
    });
    expect(r.status).toBe(202);
    const ev = (await t.api('GET', '/api/events?event=visitor.sales_page_visit&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ segment: 'fitness', source: 'newsletter' });
  });
});
