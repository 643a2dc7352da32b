/**
 * The Prefect events API fake refuses what a Prefect server refuses, and Leadbell's event mapping
 * produces what it accepts and refuses, by name, what it would not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPrefectLimits, PrefectLimitError, prefectSizeBytes, toPrefectEvent, type PrefectEvent } from '../../electron/core/prefect/event-mapping.js';
import { uuidv7 } from '../../electron/core/ids.js';
import type { EventRecord } from '../../shared/api/models.js';
import { PrefectFake } from '../fakes/prefect-fake.js';

const AUTH = 'admin:s3cret';
let fake: PrefectFake;
beforeAll(async () => {
  fake = await PrefectFake.start({ authString: AUTH });
});
afterAll(async () => fake.stop());

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

async function post(body: unknown, auth: string | null = basic(AUTH), url = `${fake.apiUrl}/events`) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const record = (overrides: Partial<EventRecord> = {}): EventRecord => ({
  id: uuidv7(),
  seq: 1,
  event: 'lead.opted_in',
  occurred: '2026-01-02T10:00:00.123Z',
  received_at: '2026-01-02T10:00:00.200Z',
  source: 'lead-optin',
  resource: { 'prefect.resource.id': 'lead.ann@example.com' },
  payload: { email: 'ann@example.com', first_name: 'Ann' },
  inbox_id: null,
  idempotency_key: null,
  ...overrides,
});

const valid = (): PrefectEvent => toPrefectEvent(record(), { lead: { id: uuidv7(), email: 'ann@example.com' }, visitorId: 'v-1' });

describe('the fake: Prefect events API contract', () => {
  it('accepts a JSON array of valid events with 204 and no body, and keeps each id once', async () => {
    const a = valid();
    const b = valid();
    expect(await post([a, b])).toEqual({ status: 204, json: null });
    expect(await post([a])).toEqual({ status: 204, json: null });
    expect(fake.events.get(a.id)?.related.map((r) => r['prefect.resource.role'])).toEqual(['lead', 'visitor', 'endpoint']);
    expect([...fake.events.keys()].filter((k) => k === a.id || k === b.id)).toHaveLength(2);
  });

  it('401 without Basic auth or with the wrong secret', async () => {
    expect(await post([valid()], null)).toEqual({ status: 401, json: { exception_message: 'Unauthorized' } });
    expect((await post([valid()], basic('admin:nope'))).status).toBe(401);
    expect((await post([valid()], `Bearer ${AUTH}`)).status).toBe(401);
  });

  const refused = async (body: unknown) => {
    const r = await post(body);
    expect(r.status).toBe(422);
    expect(r.json?.exception_message).toBe('Invalid request received.');
    return JSON.stringify(r.json?.exception_detail);
  };

  it('422 for a body that is not a list, or not JSON', async () => {
    expect(await refused(valid())).toMatch(/valid list/);
    expect(await refused('[{')).toMatch(/JSON decode error/);
  });

  it('422 naming the field: id, occurred, name, resource id, labels, related, roles, size', async () => {
    expect(await refused([{ ...valid(), id: 'evt-1' }])).toMatch(/"id"/);
    expect(await refused([{ ...valid(), occurred: 'yesterday' }])).toMatch(/"occurred"/);
    expect(await refused([{ ...valid(), event: 'x'.repeat(1025) }])).toMatch(/at most 1024 characters/);
    expect(await refused([{ ...valid(), resource: { shop: 'a' } }])).toMatch(/prefect.resource.id/);
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`l${i}`, 'v']));
    expect(await refused([{ ...valid(), resource: { ...many, 'prefect.resource.id': 'x' } }])).toMatch(/labels per resource is 500/);
    const rel = { 'prefect.resource.id': 'r', 'prefect.resource.role': 'lead' };
    expect(await refused([{ ...valid(), related: Array.from({ length: 101 }, () => rel) }])).toMatch(/related resources is 100/);
    expect(await refused([{ ...valid(), related: [{ 'prefect.resource.id': 'r' }] }])).toMatch(/prefect.resource.role/);
    expect(await refused([{ ...valid(), payload: { blob: 'x'.repeat(1_500_001) } }])).toMatch(/larger than 1500000 bytes/);
  });

  it('one bad event refuses the whole batch (nothing of it is stored)', async () => {
    const good = valid();
    await refused([good, { ...valid(), id: 'nope' }]);
    expect(fake.events.has(good.id)).toBe(false);
  });

  it('outages and slow answers can be switched on and off', async () => {
    fake.setOutage(503);
    expect((await post([valid()])).status).toBe(503);
    fake.setOutage(null);
    fake.setDelay(300);
    const t0 = performance.now();
    expect((await post([valid()])).status).toBe(204);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    fake.setDelay(0);
  });

  it('Prefect Cloud: a workspace path and a Bearer API key', async () => {
    const cloud = await PrefectFake.start({ apiKey: 'pnu_key', basePath: '/api/accounts/a1/workspaces/w1' });
    try {
      expect((await post([valid()], 'Bearer pnu_key', `${cloud.apiUrl}/events`)).status).toBe(204);
      expect((await post([valid()], 'Bearer other', `${cloud.apiUrl}/events`)).status).toBe(401);
    } finally {
      await cloud.stop();
    }
  });
});

describe('mapping a Leadbell event to a Prefect event', () => {
  it('keeps the id, occurred, name, labels and payload; relates the lead, visitor and endpoint', () => {
    const r = record();
    const e = toPrefectEvent(r, { lead: { id: 'L1', email: 'ann@example.com' }, visitorId: 'v-9' });
    expect(e).toEqual({
      id: r.id,
      occurred: r.occurred,
      event: 'lead.opted_in',
      resource: { 'prefect.resource.id': 'lead.ann@example.com' },
      related: [
        { 'prefect.resource.id': 'leadbell.lead.L1', 'prefect.resource.role': 'lead', 'prefect.resource.name': 'ann@example.com' },
        { 'prefect.resource.id': 'leadbell.visitor.v-9', 'prefect.resource.role': 'visitor' },
        { 'prefect.resource.id': 'leadbell.endpoint.lead-optin', 'prefect.resource.role': 'endpoint', 'prefect.resource.name': 'lead-optin' },
      ],
      payload: r.payload,
    });
  });

  const limit = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(PrefectLimitError);
      return e as PrefectLimitError;
    }
    throw new Error('accepted');
  };

  it('refuses an event over a limit with the limit named, never cutting it down', () => {
    expect(limit(() => toPrefectEvent(record({ event: 'e'.repeat(1025) }))).message).toMatch(/its name has 1025 characters \(Prefect allows 1024\)/);
    const labels = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`l${i}`, 'v']));
    expect(limit(() => toPrefectEvent(record({ resource: { ...labels, 'prefect.resource.id': 'x' } }))).limit).toBe('resource_labels');
    expect(limit(() => toPrefectEvent(record({ resource: { shop: 'a' } }))).limit).toBe('resource');
    expect(limit(() => toPrefectEvent(record({ id: 'not-a-uuid' }))).limit).toBe('id');
    const big = limit(() => toPrefectEvent(record({ payload: { blob: 'x'.repeat(1_500_000) } })));
    expect(big.limit).toBe('size');
    expect(big.message).toMatch(/bytes as JSON \(Prefect allows 1500000\)/);
    const e = valid();
    expect(limit(() => checkPrefectLimits({ ...e, related: Array.from({ length: 101 }, () => e.related[0]!) })).limit).toBe('related');
  });

  it('exactly at the limits is accepted, by the mapping and by the fake', async () => {
    const labels = Object.fromEntries(Array.from({ length: 499 }, (_, i) => [`l${i}`, 'v']));
    const e = toPrefectEvent(record({ event: 'e'.repeat(1024), resource: { ...labels, 'prefect.resource.id': 'lead.x' } }));
    const filler = 1_500_000 - prefectSizeBytes({ ...e, payload: { blob: '' } });
    const atSize = { ...e, payload: { blob: 'x'.repeat(filler) } };
    expect(() => checkPrefectLimits(atSize)).not.toThrow();
    expect((await post([atSize])).status).toBe(204);
    const over = { ...e, payload: { blob: 'x'.repeat(filler + 1) } };
    expect(() => checkPrefectLimits(over)).toThrow(/Prefect allows 1500000/);
    expect((await post([over])).status).toBe(422);
  });
});
