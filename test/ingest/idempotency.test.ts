import { afterAll, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
afterAll(async () => t.stop());

describe('idempotency, durably across restarts', () => {
  it('Idempotency-Key, webhook-id and payload event_id make repeats duplicates, also after a restart', async () => {
    t = await startTestCore();
    const url = t.url('/api/webhooks/lead-optin');
    const a = await post(url, { email: 'i@x.co' }, { 'idempotency-key': 'order-1' });
    const b = await post(url, { email: 'i@x.co', event_id: 'evt-42' });
    const c = await post(t.url('/api/webhooks/events'), { event: 'lead.opted_in', id: 'env-7', payload: { email: 'i@x.co' } });
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);

    await t.restart();
    const url2 = t.url('/api/webhooks/lead-optin');
    const a2 = await post(url2, { email: 'other@x.co' }, { 'idempotency-key': 'order-1' });
    const b2 = await post(url2, { email: 'i@x.co', event_id: 'evt-42' });
    const c2 = await post(t.url('/api/webhooks/events'), { event: 'lead.opted_in', id: 'env-7', payload: { email: 'i@x.co' } });
    expect(a2).toMatchObject({ status: 200, body: { status: 'duplicate', event_id: a.body.event_id } });
    expect(b2).toMatchObject({ status: 200, body: { status: 'duplicate', event_id: b.body.event_id } });
    expect(c2).toMatchObject({ status: 200, body: { status: 'duplicate', event_id: c.body.event_id } });
    expect((await t.api('GET', '/api/events')).body.total).toBe(3);
    const dups = (await t.api('GET', '/api/requests?outcome=duplicate')).body.items;
    expect(dups).toHaveLength(3);
  });

  it('concurrent repeats of one key in the same group commit store one event', async () => {
    const url = t.url('/api/webhooks/lead-optin');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(url, { email: 'race@x.co' }, { 'idempotency-key': 'race-1' })),
    );
    const ids = new Set(results.map((r) => r.body.event_id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
  });

  it('acknowledged requests are all there after a restart', async () => {
    const acked = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(t.url('/api/webhooks/lead-optin'), { email: `durable${i}@x.co` })),
    );
    expect(acked.every((r) => r.status === 202)).toBe(true);
    await t.restart();
    const stored = await t.api('GET', '/api/events?search=durable&limit=100');
    expect(stored.body.total).toBe(50);
  });
});
