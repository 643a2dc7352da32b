/**
 * An address per form, through the real receiver on loopback with a real SQLite file: a named
 * endpoint has its own URL, makes its kind's event, fills in its segment and source, checks its
 * own signature with its own secret, and keeps mappings of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadbellSignature } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

const SPRING = { slug: 'spring-promo', name: 'Spring promo form', kind: 'lead-optin', segment: 'Beauty-Salon', source: 'spring-promo' };
const BOOKING = { slug: 'booking-page', name: 'Booking page', kind: 'lead-optin', public_form: false, signature: 'leadbell' };
const lastEvent = async () => (await t.api('GET', '/api/events?limit=1')).body.items[0];

describe('named endpoints', () => {
  it('are saved in Settings and listed with their own address', async () => {
    const r = await t.api('PUT', '/api/settings', { receiver: { named_endpoints: [SPRING, BOOKING] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.settings.receiver.named_endpoints[0]).toMatchObject({ slug: 'spring-promo', segment: 'beauty-salon', enabled: true, public_form: true, signature: 'auto' });
    const listed = (await t.api('GET', '/api/endpoints')).body.items;
    expect(listed.find((e: any) => e.name === 'spring-promo')).toMatchObject({
      title: 'Spring promo form',
      kind: 'lead-optin',
      named: true,
      path: '/api/webhooks/spring-promo',
      local_url: t.url('/api/webhooks/spring-promo'),
      emits: ['lead.opted_in'],
    });
    expect(listed.find((e: any) => e.name === 'lead-optin')).toMatchObject({ named: false, kind: 'lead-optin' });
  });

  it('make their kind\'s event, with the address as its source and their segment and source filled in', async () => {
    const r = await post(t.url('/api/webhooks/spring-promo'), { email: 'ivy@salon.example', first_name: 'Ivy' });
    expect(r.status).toBe(202);
    const ev = await lastEvent();
    expect(ev).toMatchObject({ event: 'lead.opted_in', source: 'spring-promo' });
    expect(ev.payload).toMatchObject({ email: 'ivy@salon.example', segment: 'beauty-salon', source: 'spring-promo' });
    // What the form says wins over the address's defaults.
    await post(t.url('/api/webhooks/spring-promo'), { email: 'kai@gym.example', segment: 'fitness', metadata: { source: 'instagram' } });
    expect((await lastEvent()).payload).toMatchObject({ segment: 'fitness', source: 'instagram' });
    const requests = (await t.api('GET', '/api/requests?endpoint=spring-promo')).body;
    expect(requests.total).toBe(2);
  });

  it('check their own signature with their own secret', async () => {
    expect((await t.api('PUT', '/api/secrets/webhook.booking-page', { value: 'booking-secret-0123456789' })).status).toBe(200);
    const body = JSON.stringify({ email: 'zoe@salon.example' });
    const unsigned = await post(t.url('/api/webhooks/booking-page'), body);
    expect(unsigned.status).toBe(401);
    const wrong = await post(t.url('/api/webhooks/booking-page'), body, { 'x-leadbell-signature': leadbellSignature('another-secret', body) });
    expect(wrong.status).toBe(401);
    const signed = await post(t.url('/api/webhooks/booking-page'), body, { 'x-leadbell-signature': leadbellSignature('booking-secret-0123456789', body) });
    expect(signed.status).toBe(202);
    // The built-in address is not bound by the booking page's settings.
    expect((await post(t.url('/api/webhooks/lead-optin'), body)).status).toBe(202);
  });

  it('keep their own mappings: a sender mapped on one address is still held on another', async () => {
    const odd = { entry: { who: 'Noa Levi', contact: 'Noa <noa@salon.example>' } };
    expect((await post(t.url('/api/webhooks/spring-promo'), odd)).body).toEqual({ status: 'held' });
    expect((await post(t.url('/api/webhooks/lead-optin'), odd)).body).toEqual({ status: 'held' });
    const groups = (await t.api('GET', '/api/held')).body.items;
    const spring = groups.find((g: any) => g.endpoint === 'spring-promo');
    expect(groups.map((g: any) => g.endpoint).sort()).toEqual(['lead-optin', 'spring-promo']);
    const saved = await t.api('PUT', '/api/mappings', { endpoint: 'spring-promo', shape: spring.shape, mapping: { email: ['entry', 'contact'], full_name: ['entry', 'who'] } });
    expect(saved.body.released).toBe(1);
    await t.core.releaser.idle();
    expect((await t.api('GET', '/api/held')).body.items.map((g: any) => g.endpoint)).toEqual(['lead-optin']);
    // Released through the address's pipeline: its segment and source too.
    const ev = (await t.api('GET', '/api/events?search=noa%40salon.example')).body.items[0];
    expect(ev).toMatchObject({ source: 'spring-promo' });
    expect(ev.payload).toMatchObject({ email: 'noa@salon.example', first_name: 'Noa', segment: 'beauty-salon', source: 'spring-promo' });
  });

  it('refuse a clash with a built-in address or with each other, naming the field', async () => {
    const clash = await t.api('PUT', '/api/settings', { receiver: { named_endpoints: [{ ...SPRING, slug: 'assessment' }] } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.fields).toContainEqual({ path: 'receiver.named_endpoints.0.slug', message: 'is the name of a built-in address: choose another' });
    const twice = await t.api('PUT', '/api/settings', { receiver: { named_endpoints: [SPRING, { ...SPRING, name: 'Again' }] } });
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields).toContainEqual({ path: 'receiver.named_endpoints.1.slug', message: '"spring-promo" is used by another address' });
  });

  it('turned off or removed, an address is a 404 that lists the addresses there are', async () => {
    await t.api('PUT', '/api/settings', { receiver: { named_endpoints: [{ ...SPRING, enabled: false }, BOOKING] } });
    const off = await post(t.url('/api/webhooks/spring-promo'), { email: 'a@b.example' });
    expect(off.status).toBe(404);
    expect(off.body.error).toContain('use one of lead-optin, assessment, sales-page-visit, email-engagement, events, spring-promo, booking-page');
    await t.api('PUT', '/api/settings', { receiver: { named_endpoints: [] } });
    expect((await post(t.url('/api/webhooks/booking-page'), { email: 'a@b.example' })).status).toBe(404);
  });
});
