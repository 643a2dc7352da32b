/**
 * Any website could lock the owner out of sign-in: the printed sign-in link (`/?token=`) was
 * served outside the Origin and Sec-Fetch-Site checks, and ten wrong tokens a minute locked every
 * sign-in for a minute, so `<img src="http://127.0.0.1:4748/?token=x">` on any page did it. Now
 * the link is refused to other sites as the API is, and what the link's wrong tokens count can
 * lock only the link: the sign-in form (a same-origin JSON post) keeps its own count.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../electron/core/admin/admin-server.js';
import { LOGIN_FAILURES_PER_MINUTE } from '../../electron/core/admin/sessions.js';
import { silentLogger } from '../../electron/core/log/logger.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';

let t: TestCore;
let ui: AdminServer;
beforeEach(async () => {
  t = await startTestCore();
  const uiDir = tempDir('leadbell-ui-');
  fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Leadbell</title>');
  ui = await startAdminServer({ handlers: t.core.handlers, live: t.core.live, token: t.token, port: 0, uiDir, log: silentLogger });
});
afterEach(async () => {
  await ui?.close();
  await t?.stop();
});
const url = (p: string) => `http://127.0.0.1:${ui.port}${p}`;

/** The headers a browser sends for `<img src>` on another site's page. */
const CROSS_SITE_IMAGE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
/** The same from another site on this machine (a dev server on another port is the same site). */
const SAME_SITE_IMAGE = { ...CROSS_SITE_IMAGE, 'sec-fetch-site': 'same-site' };
/** The owner opening the printed link: typed, pasted or opened from the terminal. */
const OPENED = { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

const link = (token: string, headers: Record<string, string>) => fetch(url(`/?token=${encodeURIComponent(token)}`), { headers, redirect: 'manual' });
const signInForm = (token: string) =>
  fetch(url('/api/login'), { method: 'POST', headers: { 'content-type': 'application/json', origin: url('') }, body: JSON.stringify({ token }) });

describe('the sign-in link from another site', () => {
  it('is refused (403), counts nothing, and the owner still signs in by the link and by the form', async () => {
    for (const headers of [CROSS_SITE_IMAGE, SAME_SITE_IMAGE]) {
      for (let i = 0; i <= LOGIN_FAILURES_PER_MINUTE; i++) expect((await link(`x${i}`, headers)).status).toBe(403);
      // The right token from another site is refused too: a page cannot sign a browser in.
      expect((await link(t.token, headers)).status).toBe(403);
    }
    const opened = await link(t.token, OPENED);
    expect(opened.status).toBe(302);
    expect(opened.headers.get('set-cookie')).toMatch(/^leadbell_session=/);
    expect((await signInForm(t.token)).status).toBe(200);
  });

  it('an older browser that sends no Sec-Fetch-Site can lock the link, never the sign-in form', async () => {
    for (let i = 0; i < LOGIN_FAILURES_PER_MINUTE; i++) expect((await link(`x${i}`, {})).status).toBe(302);
    expect((await link(t.token, {})).status).toBe(429);
    const form = await signInForm(t.token);
    expect(form.status).toBe(200);
    expect(form.headers.get('set-cookie')).toMatch(/^leadbell_session=/);
  });

  it('a form post or text/plain sign-in (no preflight from any page) is refused and counts nothing', async () => {
    for (let i = 0; i <= LOGIN_FAILURES_PER_MINUTE; i++) {
      const r = await fetch(url('/api/login'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ token: `x${i}` }) });
      expect(r.status).toBe(415);
    }
    expect((await signInForm(t.token)).status).toBe(200);
  });
});
