/**
 * Finding 9: the session cookie was the admin token itself, so signing out revoked nothing and a
 * copied cookie worked for ever. Now a sign-in issues a random session id, sign-out revokes it, and
 * wrong sign-ins are throttled. Also in this finding: the thank-you page must be an http(s) URL,
 * and the test-fire nonce is masked in the inbox like any other secret header.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../electron/core/admin/admin-server.js';
import { LOGIN_FAILURES_PER_MINUTE } from '../../electron/core/admin/sessions.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';

let t: TestCore;
/** The same core's admin server with a UI folder, where the printed sign-in link is served. */
let withUi: AdminServer;
beforeAll(async () => {
  t = await startTestCore();
  const uiDir = tempDir('leadbell-ui-');
  fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Leadbell</title>');
  withUi = await startAdminServer({ handlers: t.core.handlers, live: t.core.live, token: t.token, port: 0, uiDir, log: silentLogger });
});
afterAll(async () => {
  await withUi?.close();
  await t?.stop();
});
const uiUrl = (p: string) => `http://127.0.0.1:${withUi.port}${p}`;

const json = { 'content-type': 'application/json' };
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

async function login(token: string): Promise<Response> {
  return fetch(t.adminUrl('/api/login'), { method: 'POST', headers: json, body: JSON.stringify({ token }) });
}
const status = async (cookie: string) => (await fetch(t.adminUrl('/api/status'), { headers: { cookie } })).status;

describe('browser sessions', () => {
  it('a sign-in issues a random session id, never the token; each sign-in gets its own', async () => {
    const a = cookieOf(await login(t.token));
    const b = cookieOf(await login(t.token));
    expect(a).toMatch(/^leadbell_session=[A-Za-z0-9_-]{40,}$/);
    expect(a).not.toContain(t.token);
    expect(a).not.toContain(encodeURIComponent(t.token));
    expect(a).not.toBe(b);
    expect(await status(a)).toBe(200);
    expect(await status(b)).toBe(200);
  });

  it('the token itself is not a session: a cookie holding it is refused', async () => {
    expect(await status(`leadbell_session=${encodeURIComponent(t.token)}`)).toBe(401);
  });

  it('signing out revokes that session on the server (a copied cookie stops working), and only that one', async () => {
    const mine = cookieOf(await login(t.token));
    const other = cookieOf(await login(t.token));
    const out = await fetch(t.adminUrl('/api/logout'), { method: 'POST', headers: { ...json, cookie: mine }, body: '{}' });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(await status(mine)).toBe(401);
    expect(await status(other)).toBe(200);
  });

  it('the printed sign-in link also issues a session id, not the token', async () => {
    const res = await fetch(uiUrl(`/?token=${encodeURIComponent(t.token)}`), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/^leadbell_session=./);
    expect(cookie).not.toContain(encodeURIComponent(t.token));
    expect((await fetch(uiUrl('/api/status'), { headers: { cookie } })).status).toBe(200);
  });
});

describe('thank-you page and test-fire nonce', () => {
  it('thank_you_url accepts http(s) only', async () => {
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.com/x']) {
      const res = await t.api('PUT', '/api/settings', { receiver: { thank_you_url: url } });
      expect(res.status, url).toBe(400);
      expect(JSON.stringify(res.body.error), url).toMatch(/thank_you_url/);
    }
    for (const url of ['https://salon.example/thanks', 'http://salon.example/thanks']) {
      expect((await t.api('PUT', '/api/settings', { receiver: { thank_you_url: url } })).status, url).toBe(200);
    }
    expect((await t.api('GET', '/api/settings')).body.settings.receiver.thank_you_url).toBe('http://salon.example/thanks');
  });

  it('the test-fire nonce is masked in the inbox', async () => {
    const fired = await t.api('POST', '/api/test-fire', { sample: 'optin' });
    expect(fired.status).toBe(200);
    const list = await t.api('GET', '/api/requests?limit=1');
    const stored = list.body.items[0];
    expect(stored.via).toBe('test-fire');
    expect(stored.headers['x-leadbell-test-fire']).toBe('[masked]');
  });
});

describe('sign-in throttling (last: it locks sign-in for the rest of the minute)', () => {
  it(`after ${LOGIN_FAILURES_PER_MINUTE} wrong tokens every sign-in is refused with 429 and Retry-After, even the right one`, async () => {
    for (let i = 0; i < LOGIN_FAILURES_PER_MINUTE; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
    const refused = await login(t.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/too many wrong sign-in attempts/);
    expect(cookieOf(refused)).toBe('');
    // The sign-in link is throttled the same way (that server has its own count).
    for (let i = 0; i < LOGIN_FAILURES_PER_MINUTE; i++) expect((await fetch(uiUrl(`/?token=wrong-${i}`), { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(uiUrl(`/?token=${encodeURIComponent(t.token)}`), { redirect: 'manual' })).status).toBe(429);
    // Scripts with the token keep working.
    expect((await t.api('GET', '/api/status')).status).toBe(200);
  });
});
