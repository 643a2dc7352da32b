import { afterEach, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const optin = (i: number) => ({ email: `p${i}@example.com` });

describe('rate limit, allowlist and client IP', () => {
  it('429 with Retry-After past the per-IP limit; only the first refusal is logged in the inbox', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 5 } });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 9; i++) {
      last = await post(t.url('/api/webhooks/lead-optin'), optin(i));
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(5);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.error).toMatch(/rate limit/);
    // Every request counts, health checks and bad requests included.
    expect((await fetch(t.url('/health'))).status).toBe(429);
    const logged = (await t.api('GET', '/api/requests?limit=50')).body.items.filter((r: { status: number }) => r.status === 429);
    expect(logged).toHaveLength(1);
    // Via the tunnel port, the forwarded client is a different client with its own budget.
    const other = await post(t.tunnelUrl('/api/webhooks/lead-optin'), optin(100), { 'x-forwarded-for': '198.51.100.7' });
    expect(other.status).toBe(202);
  });

  it('0 disables the limit', async () => {
    t = await startTestCore({ settingsOverride: { apply: (s) => ({ ...s, receiver: { ...s.receiver, rate_limit_per_minute: 0 } }), names: ['LEADBELL_RATE_LIMIT'] } });
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => post(t!.url('/api/webhooks/lead-optin'), optin(i))));
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect((await t.api('GET', '/api/status')).body.env_overrides).toEqual(['LEADBELL_RATE_LIMIT']);
  });

  it('403 for an address outside the allowlist; CIDR ranges work', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { allowed_ips: ['203.0.113.0/24'] } });
    const direct = await post(t.url('/api/webhooks/lead-optin'), optin(1));
    expect(direct.status).toBe(403);
    expect(direct.body.error).toMatch(/127\.0\.0\.1 is not in the allowlist/);
    const ok = await post(t.tunnelUrl('/api/webhooks/lead-optin'), optin(2), { 'x-forwarded-for': '203.0.113.9' });
    expect(ok.status).toBe(202);
    const no = await post(t.tunnelUrl('/api/webhooks/lead-optin'), optin(3), { 'x-forwarded-for': '192.0.2.1' });
    expect(no.status).toBe(403);
    const row = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(row).toMatchObject({ status: 403, client_ip: '192.0.2.1', via: 'tunnel' });
  });

  it('a spoofed X-Forwarded-For on the direct port is ignored', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { allowed_ips: ['203.0.113.9'] } });
    const spoofed = await post(t.url('/api/webhooks/lead-optin'), optin(1), { 'x-forwarded-for': '203.0.113.9' });
    expect(spoofed.status).toBe(403);
    const row = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(row.client_ip).toBe('127.0.0.1');
    expect(row.via).toBe('direct');
  });

  it('on the tunnel port only the entry the tunnel appended counts', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { allowed_ips: ['203.0.113.9'] } });
    // The sender claims an allowed address; the tunnel server appended the real one last.
    const r = await post(t.tunnelUrl('/api/webhooks/lead-optin'), optin(1), { 'x-forwarded-for': '203.0.113.9, 192.0.2.50' });
    expect(r.status).toBe(403);
  });

  it('pausing receiving answers 503 with Retry-After and stores nothing as accepted', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { paused: true } });
    const r = await post(t.url('/api/webhooks/lead-optin'), optin(1));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('60');
    expect((await t.api('GET', '/api/events')).body.total).toBe(0);
    await t.api('PUT', '/api/settings', { receiver: { paused: false } });
    expect((await post(t.url('/api/webhooks/lead-optin'), optin(1))).status).toBe(202);
  });
});
