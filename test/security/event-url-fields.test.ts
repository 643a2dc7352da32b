/**
 * Any URL scheme was stored for page_url and link_url: `javascript:` and `data:` got 202, and
 * page_url went on to Loops as a variable of the follow-up email. An address in an event is now
 * http: or https: only, on its own endpoint and in an `events` envelope alike; anything else is
 * 422 naming the field, and nothing is stored as an event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const BAD = ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://files.example/x'];
const MESSAGE = 'must be an http:// or https:// address';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 1000 } });
});
afterAll(async () => t?.stop());

const events = async () => (await t.api('GET', '/api/events?limit=1')).body.total as number;

describe('addresses in event fields', () => {
  it('page_url (sales-page-visit): refused unless http(s), naming the field', async () => {
    const before = await events();
    for (const bad of BAD) {
      const r = await post(t.url('/api/webhooks/sales-page-visit'), { visitor_id: 'v-1', page_url: bad });
      expect(r.status, bad).toBe(422);
      expect(r.body.errors).toEqual([{ path: 'page_url', message: MESSAGE }]);
    }
    expect(await events()).toBe(before);
    expect((await post(t.url('/api/webhooks/sales-page-visit'), { visitor_id: 'v-1', page_url: 'https://shop.example/pricing' })).status).toBe(202);
    const missing = await post(t.url('/api/webhooks/sales-page-visit'), { visitor_id: 'v-1' });
    expect(missing.body.errors).toEqual([{ path: 'page_url', message: 'is required' }]);
  });

  it('link_url (email-engagement): refused unless http(s), naming the field; it stays optional', async () => {
    const before = await events();
    for (const bad of BAD) {
      const r = await post(t.url('/api/webhooks/email-engagement'), { email: 'a@example.com', event_type: 'click', link_url: bad });
      expect(r.status, bad).toBe(422);
      expect(r.body.errors).toEqual([{ path: 'link_url', message: MESSAGE }]);
    }
    expect(await events()).toBe(before);
    expect((await post(t.url('/api/webhooks/email-engagement'), { email: 'a@example.com', event_type: 'click' })).status).toBe(202);
    expect((await post(t.url('/api/webhooks/email-engagement'), { email: 'a@example.com', event_type: 'click', link_url: 'http://shop.example/x' })).status).toBe(202);
  });

  it('the same fields in an events envelope', async () => {
    const before = await events();
    for (const [event, field] of [['visitor.sales_page_visit', 'page_url'], ['email.clicked', 'link_url']] as const) {
      const r = await post(t.url('/api/webhooks/events'), { event, payload: { email: 'a@example.com', [field]: 'javascript:alert(1)' } });
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([{ path: `payload.${field}`, message: MESSAGE }]);
    }
    expect(await events()).toBe(before);
  });

  it('a browser form is told in words which field to fix', async () => {
    const r = await post(t.url('/api/webhooks/sales-page-visit'), 'visitor_id=v-2&page_url=javascript%3Aalert(1)', {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(r.status).toBe(422);
    expect(String(r.body)).toContain(`page url ${MESSAGE}`);
  });
});
