/**
 * Finding 6: on the tunnel port the last X-Forwarded-For entry was trusted whatever the tunnel
 * server was. localtunnel's server passes the sender's headers on untouched; only the public
 * service's proxy appends the real address. So the address is read only as far as the provider
 * vouches for it, per provider, and a sender can never choose its own through any path here:
 * a self-hosted localtunnel server (nothing appended), the public localtunnel service (the last
 * entry appended), and a relay that sets one header of its own (as CF-Connecting-IP).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { localtunnelClientAddress, localtunnelProvider } from '../../electron/core/tunnel/localtunnel-provider.js';
import type { TunnelProvider } from '../../electron/core/tunnel/provider.js';
import { FAKE_REMOTE_ADDRESS, FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import type { TestCore } from '../helpers/core.js';
import { online, startTunnelCore, waitForTunnel } from '../tunnel/helpers.js';

const BYPASS = { 'bypass-tunnel-reminder': '1', 'content-type': 'application/json' };
const ALLOWED = '198.51.100.7';

let server: FakeLocaltunnelServer | undefined;
let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  await server?.close();
  t = undefined;
  server = undefined;
});

async function send(url: string, headers: Record<string, string>, n: number) {
  const res = await fetch(`${url}/api/webhooks/lead-optin`, {
    method: 'POST',
    headers: { ...BYPASS, ...headers },
    body: JSON.stringify({ email: `sender${n}@example.com` }),
  });
  await res.text();
  const row = (await t!.api('GET', '/api/requests?limit=1')).body.items[0] as { client_ip: string; via: string; status: number };
  return { status: res.status, ip: row.client_ip, via: row.via };
}

/** The spoofing attempts a sender can make with the headers it controls. */
const CLAIMS: Record<string, string>[] = [
  { 'x-forwarded-for': ALLOWED },
  { 'x-forwarded-for': `${ALLOWED}, ${ALLOWED}` },
  { 'x-forwarded-for': `garbage, ${ALLOWED}` },
  { 'cf-connecting-ip': ALLOWED, 'x-real-ip': ALLOWED, forwarded: `for=${ALLOWED}` },
];

describe('which host localtunnel vouches for', () => {
  it('the public service (localtunnel.me, loca.lt) appends the address; any other host does not', () => {
    expect(localtunnelClientAddress('https://localtunnel.me')).toEqual({ kind: 'forwarded-for' });
    expect(localtunnelClientAddress('https://loca.lt/')).toEqual({ kind: 'forwarded-for' });
    for (const host of ['http://127.0.0.1:3000', 'https://tunnel.mysalon.example', 'https://evil-loca.lt', 'https://loca.lt.evil.example', 'not a url']) {
      expect(localtunnelClientAddress(host), host).toEqual({ kind: 'none' });
    }
  });
});

describe('a self-hosted localtunnel server (headers passed on untouched)', () => {
  it('the sender cannot choose its address: it is unknown, and an allowlist refuses it', async () => {
    server = await FakeLocaltunnelServer.start({ forwardedFor: 'pass' });
    t = await startTunnelCore(server, { settings: { receiver: { allowed_ips: [`${ALLOWED}/32`] } } });
    const url = (await waitForTunnel(t, online)).url!;
    let n = 0;
    for (const claim of CLAIMS) {
      const r = await send(url, { [FAKE_REMOTE_ADDRESS]: '203.0.113.66', ...claim }, n++);
      expect(r, JSON.stringify(claim)).toEqual({ status: 403, ip: 'unknown', via: 'tunnel' });
    }
  });
});

describe('the public localtunnel service (its proxy appends the address)', () => {
  it('only the appended entry counts, whatever the sender put before it', async () => {
    server = await FakeLocaltunnelServer.start({ forwardedFor: 'append' });
    const asPublicService: TunnelProvider = { ...localtunnelProvider, clientAddress: () => localtunnelClientAddress('https://loca.lt') };
    t = await startTunnelCore(server, { tunnel: { providers: { localtunnel: asPublicService } }, settings: { receiver: { allowed_ips: [`${ALLOWED}/32`] } } });
    const url = (await waitForTunnel(t, online)).url!;
    let n = 0;
    for (const claim of CLAIMS) {
      const r = await send(url, { [FAKE_REMOTE_ADDRESS]: '203.0.113.66', ...claim }, n++);
      expect(r, JSON.stringify(claim)).toEqual({ status: 403, ip: '203.0.113.66', via: 'tunnel' });
    }
    expect(await send(url, { [FAKE_REMOTE_ADDRESS]: ALLOWED }, n++)).toEqual({ status: 202, ip: ALLOWED, via: 'tunnel' });
  });
});

describe('a relay that sets its own client-address header', () => {
  const relays: http.Server[] = [];
  afterAll(async () => {
    for (const r of relays) {
      r.closeAllConnections();
      await new Promise((ok) => r.close(ok));
    }
  });

  /** A relay edge: overwrites CF-Connecting-IP with the address it saw, forwards the rest as sent. */
  const relayProvider: TunnelProvider = {
    name: 'relay',
    clientAddress: () => ({ kind: 'header', name: 'CF-Connecting-IP' }),
    open: async (req) => {
      const relay = http.createServer((inbound, outbound) => {
        const headers: http.OutgoingHttpHeaders = { ...inbound.headers, 'cf-connecting-ip': String(inbound.headers[FAKE_REMOTE_ADDRESS] ?? '127.0.0.1') };
        delete headers[FAKE_REMOTE_ADDRESS];
        const up = http.request({ host: '127.0.0.1', port: req.port, method: inbound.method, path: inbound.url, headers }, (r) => {
          outbound.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(outbound);
        });
        up.on('error', () => outbound.destroy());
        inbound.pipe(up);
      });
      relays.push(relay);
      await new Promise<void>((ok) => relay.listen(0, '127.0.0.1', ok));
      return { url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, subdomain: req.subdomain, close: () => relay.close(), onLost: () => {} };
    },
  };

  it('only the relay-set header counts; a sender cannot set it or fall back to X-Forwarded-For', async () => {
    server = await FakeLocaltunnelServer.start();
    t = await startTunnelCore(server, { tunnel: { providers: { localtunnel: relayProvider } }, settings: { receiver: { allowed_ips: [`${ALLOWED}/32`] } } });
    const url = (await waitForTunnel(t, online)).url!;
    let n = 0;
    for (const claim of CLAIMS) {
      const r = await send(url, { [FAKE_REMOTE_ADDRESS]: '203.0.113.66', ...claim }, n++);
      expect(r, JSON.stringify(claim)).toEqual({ status: 403, ip: '203.0.113.66', via: 'tunnel' });
    }
    expect(await send(url, { [FAKE_REMOTE_ADDRESS]: ALLOWED }, n++)).toEqual({ status: 202, ip: ALLOWED, via: 'tunnel' });
  });
});
