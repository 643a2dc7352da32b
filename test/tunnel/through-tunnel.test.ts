/**
 * Requests through the tunnel, end to end: sender -> loopback localtunnel server -> raw sockets
 * opened by the real localtunnel client -> the receiver's tunnel ingress port -> SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core.js';
import { localtunnelProvider } from '../../electron/core/tunnel/localtunnel-provider.js';
import type { TunnelProvider } from '../../electron/core/tunnel/provider.js';
import { FAKE_REMOTE_ADDRESS, FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { online, startTunnelCore, tunnelOf, waitForTunnel } from './helpers.js';

const BYPASS = { 'Bypass-Tunnel-Reminder': '1' };

let server: FakeLocaltunnelServer;
let t: TestCore;
let url: string;
/** Every local port the tunnel was asked to forward to. */
const forwardedPorts: number[] = [];
const recordingProvider: TunnelProvider = {
  name: 'localtunnel',
  open: (req) => {
    forwardedPorts.push(req.port);
    return localtunnelProvider.open(req);
  },
  // The loopback server appends the sender's address as the public service's proxy does; on a
  // self-hosted host the real provider would not vouch for it (test/security/tunnel-client-ip).
  clientAddress: () => ({ kind: 'forwarded-for' }),
};

beforeAll(async () => {
  server = await FakeLocaltunnelServer.start();
  t = await startTunnelCore(server, { tunnel: { providers: { localtunnel: recordingProvider } } });
  url = (await waitForTunnel(t, online)).url!;
});

afterAll(async () => {
  await t.stop();
  await server.close();
});

async function send(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...BYPASS, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the public URL', () => {
  it('is the installation subdomain on the configured server, and is what the endpoints list shows', async () => {
    const { subdomain } = t.core.stores.settings.get().tunnel;
    expect(url).toBe(server.urlFor(subdomain!));
    const status = await t.api('GET', '/api/status');
    expect(status.body.tunnel).toMatchObject({ state: 'online', url, requested_subdomain: subdomain, url_changed: false });
    expect(status.body.receiver.public_base_url).toBe(url);
    const endpoints = await t.api('GET', '/api/endpoints');
    expect(endpoints.body.items.find((e: { name: string }) => e.name === 'lead-optin').public_url).toBe(`${url}/api/webhooks/lead-optin`);
  });

  it('stores a webhook sent to it, marked as arriving through the tunnel with the sender address', async () => {
    const res = await send('/api/webhooks/lead-optin', { email: 'ana@salon.example', first_name: 'Ana' }, { [FAKE_REMOTE_ADDRESS]: '198.51.100.23' });
    expect(res.status).toBe(202);
    const requests = await t.api('GET', '/api/requests?limit=1');
    expect(requests.body.items[0]).toMatchObject({ via: 'tunnel', client_ip: '198.51.100.23', status: 202, event_id: res.body.event_id });
    const events = await t.api('GET', '/api/events?limit=1');
    expect(events.body.items[0]).toMatchObject({ id: res.body.event_id, event: 'lead.opted_in', payload: { email: 'ana@salon.example' } });
  });

  it('test-fires through the tunnel when asked to', async () => {
    const fired = await t.api('POST', '/api/test-fire', { sample: 'optin', via: 'tunnel' });
    expect(fired.body).toMatchObject({ status: 202, url: `${url}/api/webhooks/lead-optin` });
    const requests = await t.api('GET', '/api/requests?limit=1');
    expect(requests.body.items[0].via).toBe('tunnel');
  });
});

describe('the allowlist behind the tunnel', () => {
  afterAll(async () => {
    await t.api('PUT', '/api/settings', { receiver: { allowed_ips: [] } });
  });

  it('judges the address the tunnel server saw, not one the sender claims', async () => {
    await t.api('PUT', '/api/settings', { receiver: { allowed_ips: ['198.51.100.0/24'] } });
    // The sender claims an allowed address in X-Forwarded-For; the tunnel server appends the real one.
    const refused = await send(
      '/api/webhooks/lead-optin',
      { email: 'bot@spam.example' },
      { [FAKE_REMOTE_ADDRESS]: '203.0.113.9', 'x-forwarded-for': '198.51.100.7' },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('IP address 203.0.113.9 is not in the allowlist');
    const allowed = await send('/api/webhooks/lead-optin', { email: 'bo@garage.example' }, { [FAKE_REMOTE_ADDRESS]: '198.51.100.7' });
    expect(allowed.status).toBe(202);
    const requests = await t.api('GET', '/api/requests?limit=2');
    expect(requests.body.items.map((r: { client_ip: string; status: number }) => [r.client_ip, r.status])).toEqual([
      ['198.51.100.7', 202],
      ['203.0.113.9', 403],
    ]);
  });
});

describe('the admin API and UI', () => {
  it('cannot be reached through the tunnel, even with the admin token', async () => {
    const auth = { authorization: `Bearer ${t.token}` };
    // The same calls work on the admin port, so a 404 through the tunnel means "not there", not "broken".
    expect((await fetch(t.adminUrl('/api/status'), { headers: auth })).status).toBe(200);
    expect((await fetch(t.adminUrl('/api/settings'), { headers: auth })).status).toBe(200);

    for (const path of ['/api/status', '/api/settings', '/api/leads', '/api/requests', '/api/stream', '/', '/index.html']) {
      const res = await fetch(`${url}${path}`, { headers: { ...auth, ...BYPASS } });
      const text = await res.text();
      expect(res.status, path).toBe(404);
      expect(text, path).not.toContain('test-admin-token');
      expect(text, path).not.toContain('"settings"');
    }
    const put = await fetch(`${url}/api/settings`, {
      method: 'PUT',
      headers: { ...auth, ...BYPASS, 'content-type': 'application/json' },
      body: JSON.stringify({ receiver: { paused: true } }),
    });
    expect(put.status).toBe(404);
    expect(t.core.stores.settings.get().receiver.paused).toBe(false);
    const restart = await fetch(`${url}/api/tunnel/restart`, { method: 'POST', headers: { ...auth, ...BYPASS } });
    expect(restart.status).toBe(404);
  });

  it('is never what the tunnel forwards to: only the receiver tunnel port is', () => {
    expect(forwardedPorts.length).toBeGreaterThan(0);
    expect(new Set(forwardedPorts)).toEqual(new Set([t.core.receiver.tunnelPort]));
    expect(forwardedPorts).not.toContain(t.admin.port);
  });
});

describe('restart from the UI', () => {
  it('reopens the tunnel on the same URL', async () => {
    const before = tunnelOf(t).reconnects;
    const res = await t.api('POST', '/api/tunnel/restart', {});
    expect(res).toEqual({ status: 200, body: { ok: true } });
    const after = await waitForTunnel(t, (s) => s.state === 'online' && s.reconnects === before + 1);
    expect(after.url).toBe(url);
    expect((await send('/api/webhooks/lead-optin', { email: 'cy@gym.example' })).status).toBe(202);
  });
});
