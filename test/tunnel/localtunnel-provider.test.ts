/** The localtunnel provider on its own: the real localtunnel 2.0.2 client against the loopback server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { localtunnelProvider } from '../../electron/core/tunnel/localtunnel-provider.js';
import { TunnelOpenError, type OpenTunnel } from '../../electron/core/tunnel/provider.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';

let server: FakeLocaltunnelServer;
let local: http.Server;
let localPort: number;
const open: OpenTunnel[] = [];

beforeEach(async () => {
  server = await FakeLocaltunnelServer.start();
  local = http.createServer((req, res) => res.end(`local saw ${req.method} ${req.url} from ${req.headers['x-forwarded-for']}`));
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
  localPort = (local.address() as AddressInfo).port;
});

afterEach(async () => {
  for (const t of open.splice(0)) t.close();
  local.closeAllConnections();
  await new Promise<void>((r) => local.close(() => r()));
  await server.close();
});

async function openTunnel(subdomain: string, over: { host?: string; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const t = await localtunnelProvider.open({
    port: localPort,
    subdomain,
    host: over.host ?? server.host,
    timeoutMs: over.timeoutMs ?? 2_000,
    signal: over.signal ?? new AbortController().signal,
  });
  open.push(t);
  return t;
}

async function failure(p: Promise<unknown>): Promise<TunnelOpenError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TunnelOpenError);
  return err as TunnelOpenError;
}

it('opens the requested subdomain with snake_case options and forwards requests to the local port', async () => {
  const t = await openTunnel('corner-shop');
  expect(t).toMatchObject({ url: server.urlFor('corner-shop'), subdomain: 'corner-shop' });
  expect(server.socketCount('corner-shop')).toBeGreaterThan(0);
  const res = await fetch(`${t.url}/hello?x=1`, { headers: { 'x-fake-remote-address': '192.0.2.5' } });
  expect(await res.text()).toBe('local saw GET /hello?x=1 from 192.0.2.5');
});

it('reports a taken subdomain as the one it actually got', async () => {
  await openTunnel('corner-shop');
  const second = await openTunnel('corner-shop');
  expect(second.subdomain).not.toBe('corner-shop');
  expect(second.url).toBe(server.urlFor(second.subdomain));
});

it('close() lets the server drop the client', async () => {
  const t = await openTunnel('corner-shop');
  t.close();
  for (let i = 0; i < 200 && server.clientIds().includes('corner-shop'); i++) await new Promise((r) => setTimeout(r, 20));
  expect(server.clientIds()).not.toContain('corner-shop');
});

it('calls onLost once when the server side dies, and the client error does not crash the process', async () => {
  const t = await openTunnel('corner-shop');
  const lost: Error[] = [];
  t.onLost((e) => lost.push(e));
  server.sleep();
  for (let i = 0; i < 200 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  expect(lost).toHaveLength(1);
  expect(lost[0]!.message).toMatch(/^connection refused: 127\.0\.0\.1:\d+/);
});

it('a server that answers something else than localtunnel is reported as such', async () => {
  const other = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  try {
    const host = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const err = await failure(openTunnel('corner-shop', { host }));
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe(`the tunnel server at ${host} gave an unexpected answer (id: Invalid input: expected string, received undefined)`);
  } finally {
    other.closeAllConnections();
    await new Promise<void>((r) => other.close(() => r()));
  }
});

it('an invalid subdomain is refused by the server with its reason', async () => {
  const err = await failure(openTunnel('ab'));
  expect(err.kind).toBe('refused');
  expect(err.message).toBe(
    `the tunnel server at ${server.host} refused the tunnel (HTTP 403): Invalid subdomain. Subdomains must be lowercase and between 4 and 63 alphanumeric characters.`,
  );
});

it('aborting stops an open that hangs, instead of waiting for its timeout', async () => {
  server.hang();
  const abort = new AbortController();
  const pending = openTunnel('corner-shop', { timeoutMs: 60_000, signal: abort.signal });
  setTimeout(() => abort.abort(), 50);
  const err = await failure(pending);
  expect(err.kind).toBe('cancelled');
  expect((await failure(openTunnel('corner-shop', { signal: abort.signal }))).kind).toBe('cancelled');
});
