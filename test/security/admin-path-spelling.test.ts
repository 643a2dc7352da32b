/**
 * Finding 1 (critical): the admin API must authenticate the route Fastify matched, not the raw
 * URL. Every contract method is called with its path percent-encoded, with doubled slashes and in
 * mixed case, without credentials: none may answer with data. A page of another origin may not
 * drive the API even with the owner's cookie, and writes must be JSON (no preflight-free posts).
 */
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../shared/api/contract.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t?.stop());

const concrete = (p: string) => p.replace(/:(\w+)/g, 'x');
/** Percent-encodes the first letter of every path segment: `/api/settings` -> `/%61pi/%73ettings`. */
const encoded = (p: string) =>
  p.replace(/\/([a-z])/g, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`);

/** Sends a request exactly as written (fetch and URL would normalise the path). */
function raw(
  port: number,
  method: string,
  p: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const SPELLINGS: Record<string, (p: string) => string> = {
  'percent-encoded': encoded,
  'fully percent-encoded': (p) => p.replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  'doubled slashes': (p) => p.replace(/\//g, '//'),
  'leading doubled slash': (p) => `/${p}`,
  'mixed case': (p) => p.replace(/api/, 'ApI'),
  'encoded slash': (p) => p.replace('/api/', '/api%2F'),
  'dot segment': (p) => p.replace('/api/', '/x/../api/'),
};

describe('the admin API checks the matched route, not the raw URL', () => {
  it('every contract method, spelled every way, without credentials: never a 2xx and never data', async () => {
    const tried: string[] = [];
    for (const name of METHOD_NAMES) {
      const { method, path: p } = contract[name].http;
      for (const [how, spell] of Object.entries(SPELLINGS)) {
        const url = spell(concrete(p));
        const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
        const res = await raw(t.admin.port, method, url, body ? { 'content-type': 'application/json' } : {}, body);
        const label = `${name}: ${method} ${url} (${how}) -> ${res.status} ${res.body.slice(0, 120)}`;
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        expect(res.body, label).not.toMatch(/"(data_dir|secrets|items|receiver|allowed_origins)"/);
        tried.push(label);
      }
    }
    expect(tried.length).toBe(METHOD_NAMES.length * Object.keys(SPELLINGS).length);
  });

  it('the encoded path reaches the real handler once the token is given (so the 401 above is the auth check)', async () => {
    const res = await raw(t.admin.port, 'GET', encoded('/api/settings'), { authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty('secrets');
    const anon = await raw(t.admin.port, 'GET', encoded('/api/settings'));
    expect(anon.status).toBe(401);
    expect(JSON.parse(anon.body).error.code).toBe('unauthorized');
  });

  it('an encoded settings write without a token changes nothing', async () => {
    const before = (await t.api('GET', '/api/settings')).body;
    const res = await raw(
      t.admin.port,
      'PUT',
      encoded('/api/settings'),
      { 'content-type': 'application/json' },
      JSON.stringify({ receiver: { rate_limit_per_minute: 1 } }),
    );
    expect(res.status).toBe(401);
    expect((await t.api('GET', '/api/settings')).body).toEqual(before);
  });

  it('the live stream is authenticated however it is spelled', async () => {
    for (const spell of Object.values(SPELLINGS)) {
      const res = await raw(t.admin.port, 'GET', spell('/api/stream'));
      expect(res.status, spell('/api/stream')).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('cross-site requests are refused before any handler', () => {
  // A real signed-in browser's cookie (a session id issued at login).
  let session = '';
  beforeAll(async () => {
    const res = await fetch(t.adminUrl('/api/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: t.token }),
    });
    session = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  const cookie = () => session;

  it('a cross-site text/plain backup post (no preflight) with the owner cookie: 403, no file written', async () => {
    const files = () => fs.readdirSync(t.dataDir, { recursive: true }).length;
    const before = files();
    for (const p of ['/api/backup', encoded('/api/backup')]) {
      const res = await raw(t.admin.port, 'POST', p, { origin: 'https://evil.example', 'content-type': 'text/plain', cookie: cookie() }, '{}');
      expect(res.status, p).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/evil\.example/);
      // Without an Origin (an old browser, a plugin), the text/plain body alone is refused.
      const plain = await raw(t.admin.port, 'POST', p, { 'content-type': 'text/plain', cookie: cookie() }, '{}');
      expect(plain.status, p).toBe(415);
    }
    expect(files()).toBe(before);
  });

  it('another origin, even another loopback port, cannot read or write with the owner cookie', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', `http://127.0.0.1:${t.admin.port + 1}`, 'null']) {
      const read = await raw(t.admin.port, 'GET', '/api/settings', { origin, cookie: cookie() });
      expect(read.status, origin).toBe(403);
      const login = await raw(t.admin.port, 'POST', '/api/login', { origin, 'content-type': 'application/json' }, JSON.stringify({ token: t.token }));
      expect(login.status, origin).toBe(403);
    }
  });

  it('a browser request marked cross-site (Sec-Fetch-Site) is refused even without Origin', async () => {
    const res = await raw(t.admin.port, 'GET', '/api/status', { 'sec-fetch-site': 'cross-site', cookie: cookie() });
    expect(res.status).toBe(403);
  });

  it('writes must be JSON: a form or text/plain body is refused with the reason', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers: Record<string, string> = { authorization: `Bearer ${t.token}`, ...(type && { 'content-type': type }) };
      const res = await raw(t.admin.port, 'POST', '/api/backup', headers, '{}');
      expect(res.status, String(type)).toBe(415);
      expect(JSON.parse(res.body).error.message).toMatch(/application\/json/);
    }
  });

  it('the UI itself, on its own origin, still works: same-origin reads and JSON writes pass', async () => {
    const origin = `http://127.0.0.1:${t.admin.port}`;
    const read = await raw(t.admin.port, 'GET', '/api/status', { origin, cookie: cookie(), 'sec-fetch-site': 'same-origin' });
    expect(read.status).toBe(200);
    const write = await raw(
      t.admin.port,
      'PUT',
      '/api/settings',
      { origin, cookie: cookie(), 'content-type': 'application/json; charset=utf-8' },
      JSON.stringify({}),
    );
    expect(write.status).toBe(200);
  });
});
