/**
 * Security checks through real HTTP: the admin API refuses missing or wrong tokens on every
 * route; nothing on the public receiver or the tunnel's ingress port reaches an admin route;
 * the admin port refuses non-loopback Host names; and secrets (webhook secrets from the
 * environment and from the API, integration keys, the admin token) never appear in logs, API
 * answers, the inbox, or the database file in plain text. The UI's CSP is checked as the data the
 * shell uses (the window's hardened options are checked in test/shell/window.test.ts).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../shared/api/contract.js';
import { UI_CSP } from '../../electron/core/admin/ui-assets.js';
import { PacerRegistry } from '../../electron/core/outbound/rate-limiter.js';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { configureFakes, startFakes, type Fakes } from '../fakes/vendors.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const ENV_WEBHOOK_SECRET = 'whsec_' + Buffer.from('env-provided-webhook-secret-32b!').toString('base64');
const API_WEBHOOK_SECRET = 'assessment-secret-set-through-the-api-7c1f';
const QUERY_TOKEN = 'query-token-that-must-be-masked-93ab';
const HEADER_API_KEY = 'sender-api-key-that-must-be-masked-51de';

let t: TestCore;
let fakes: Fakes;

/** Every secret value this suite hands the core, by what it is. */
const secrets = (): Record<string, string> => ({
  'env webhook secret': ENV_WEBHOOK_SECRET,
  'API webhook secret': API_WEBHOOK_SECRET,
  'Loops API key': fakes.loops.apiKey,
  'Notion token': fakes.notion.token,
  'Meta access token': fakes.meta.accessToken,
  'Discord webhook URL': fakes.discord.webhookUrl,
  'Slack webhook URL': fakes.slack.webhookUrl,
  'outbound webhook secret': fakes.webhook.secret,
  'admin token': t.token,
  'token in a query': QUERY_TOKEN,
  'API key in a header': HEADER_API_KEY,
});

function leaks(text: string): string[] {
  return Object.entries(secrets())
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

beforeAll(async () => {
  fakes = await startFakes();
  t = await startTestCore({
    secretEnv: { 'webhook.default': ENV_WEBHOOK_SECRET },
    integrations: { pacers: new PacerRegistry(), timeoutMs: 2_000 },
  });
  configureFakes(t.core, fakes);
  expect((await t.api('PUT', `/api/secrets/webhook.assessment`, { value: API_WEBHOOK_SECRET })).status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
  await fakes?.stop();
});

/** A contract path with its parameters filled in. */
const concrete = (p: string) => p.replace(/:(\w+)/g, 'x');
const ADMIN_PATHS = [...METHOD_NAMES.map((m) => contract[m].http), { method: 'GET' as const, path: '/api/stream' }];

function rawGet(port: number, p: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers, setHost: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('admin API authentication', () => {
  const wrong = (token: string): Record<string, Record<string, string>> => ({
    'no credentials': {},
    'a wrong token': { authorization: 'Bearer wrong-token-wrong-token' },
    'the token with a character more': { authorization: `Bearer ${token}x` },
    'a prefix of the token': { authorization: `Bearer ${token.slice(0, -1)}` },
    'the token upper-cased': { authorization: `Bearer ${token.toUpperCase()}` },
    'the token as Basic auth': { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` },
    'an empty bearer': { authorization: 'Bearer ' },
    'a wrong session cookie': { cookie: 'leadbell_session=not-the-token' },
  });

  it('every contract route (and the live stream) refuses missing or wrong credentials with 401 and a reason', async () => {
    for (const { method, path: p } of ADMIN_PATHS) {
      for (const [label, headers] of Object.entries(wrong(t.token))) {
        const res = await fetch(t.adminUrl(concrete(p)), { method, headers });
        const text = await res.text();
        expect(res.status, `${method} ${p} with ${label}`).toBe(401);
        expect(JSON.parse(text).error.code, `${method} ${p} with ${label}`).toBe('unauthorized');
      }
      // The token in the query string is for the printed UI link, never for the API.
      const viaQuery = await fetch(t.adminUrl(`${concrete(p)}?token=${encodeURIComponent(t.token)}`), { method });
      expect(viaQuery.status, `${method} ${p} with ?token=`).toBe(401);
    }
  });

  it('the right token is accepted (the checks above are not refusing everything)', async () => {
    expect((await t.api('GET', '/api/status')).status).toBe(200);
  });
});

describe('no admin route on the public ports', () => {
  it('the receiver and the tunnel ingress answer 404 to every admin route, even with the admin token', async () => {
    const ports = { receiver: t.core.receiver.port, 'tunnel ingress': t.core.receiver.tunnelPort };
    const extra = ['/api/login', '/api/logout', '/', '/index.html', '/assets/index.js', '/api/status?token=' + t.token];
    for (const [where, port] of Object.entries(ports)) {
      for (const { method, path: p } of [...ADMIN_PATHS, ...extra.map((x) => ({ method: 'GET' as const, path: x }))]) {
        const res = await fetch(`http://127.0.0.1:${port}${concrete(p)}`, {
          method,
          headers: { authorization: `Bearer ${t.token}`, cookie: `leadbell_session=${t.token}`, 'content-type': 'application/json' },
          body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        });
        const text = await res.text();
        expect(res.status, `${method} ${p} on the ${where} port: ${text.slice(0, 200)}`).toBe(404);
        expect(text).not.toMatch(/"(data_dir|secret_backend|settings|items)"/);
      }
    }
  });
});

describe('admin port: loopback Host names only (DNS rebinding)', () => {
  it('refuses every other Host with 403, accepts the loopback ones', async () => {
    const port = t.admin.port;
    const auth = { authorization: `Bearer ${t.token}` };
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0', '192.168.1.10', '[::ffff:127.0.0.1]', '']) {
      const res = await rawGet(port, '/api/status', { ...auth, host });
      expect(res.status, `Host: ${host}`).toBe(403);
      expect(res.body).not.toContain('data_dir');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawGet(port, '/api/status', { ...auth, host })).status, `Host: ${host}`).toBe(200);
    }
  });
});

describe('secrets never leak', () => {
  let answers = '';

  beforeAll(async () => {
    // Traffic that carries secrets in every place a sender puts them.
    await post(t.url(`/api/webhooks/lead-optin?token=${QUERY_TOKEN}&api_key=${QUERY_TOKEN}&secret=${QUERY_TOKEN}`), { email: 'masked@example.com', first_name: 'Mask' }, {
      authorization: `Bearer ${t.token}`,
      'x-api-key': HEADER_API_KEY,
      'api-key': HEADER_API_KEY,
      cookie: `session=${HEADER_API_KEY}`,
      'proxy-authorization': `Basic ${HEADER_API_KEY}`,
      'x-auth-token': HEADER_API_KEY,
    });
    // Signature failures name the problem, never the expected value.
    await post(t.url('/api/webhooks/assessment'), { email: 'sig@example.com', score: 90 }, { 'x-leadbell-signature': 'sha256=' + '0'.repeat(64) });
    await post(t.url('/api/webhooks/events'), { event: 'lead.noted', payload: {} }, { 'webhook-id': 'x', 'webhook-timestamp': '1', 'webhook-signature': 'v1,AAAA' });
    // Flows that call every vendor with its credential; one vendor refusing, one timing out.
    fakes.loops.server.failNext(1, { status: 401 });
    fakes.notion.server.failNext(1, { status: 500 });
    await post(t.url('/api/webhooks/lead-optin'), { email: 'flows@example.com', first_name: 'Flo', segment: 'fitness' });
    await t.core.engine.idle();
    await t.api('POST', '/api/integrations/loops/test');
    await t.api('POST', '/api/test-fire', { sample: 'assessment-hot' });
    await t.core.engine.idle();
    // Every read-only answer the API gives.
    for (const name of METHOD_NAMES) {
      const { method, path: p } = contract[name].http;
      if (method !== 'GET' || p.includes(':')) continue;
      const res = await t.api('GET', p);
      answers += `\n${name}: ${JSON.stringify(res.body)}`;
    }
    const leads = (await t.api('GET', '/api/leads')).body.items as { id: string }[];
    for (const l of leads) answers += JSON.stringify((await t.api('GET', `/api/leads/${l.id}`)).body);
    const runs = (await t.api('GET', '/api/runs?limit=1000')).body.items as { id: string }[];
    expect(runs.length).toBeGreaterThan(3);
    for (const r of runs) answers += JSON.stringify((await t.api('GET', `/api/runs/${r.id}`)).body);
  });

  it('the secrets were really used (so their absence below means something)', () => {
    expect(fakes.loops.server.requests.some((r) => r.headers.authorization === `Bearer ${fakes.loops.apiKey}`)).toBe(true);
    expect(fakes.notion.server.requests.length).toBeGreaterThan(0);
    expect(t.logs.length).toBeGreaterThan(5);
  });

  it('not in the logs', () => {
    const found = t.logs.flatMap((line) => leaks(line).map((k) => `${k} in: ${line.slice(0, 300)}`));
    expect(found).toEqual([]);
  });

  it('not in API answers; settings show secrets only as set / from_env', async () => {
    expect(leaks(answers)).toEqual([]);
    const view = (await t.api('GET', '/api/settings')).body.secrets as Record<string, unknown>;
    expect(view['webhook.default']).toEqual({ set: true, from_env: true });
    expect(view['webhook.assessment']).toEqual({ set: true, from_env: false });
    expect(view['integration.loops.api_key']).toEqual({ set: true, from_env: false });
    for (const [name, v] of Object.entries(view)) expect(Object.keys(v as object).sort(), name).toEqual(['from_env', 'set']);
    // Writing a secret answers with its name only.
    const set = await t.api('PUT', '/api/secrets/integration.slack.webhook_url', { value: fakes.slack.webhookUrl });
    expect(set.body).toEqual({ name: 'integration.slack.webhook_url', set: true });
  });

  it('not in the inbox: credentials in headers and the query string are masked', async () => {
    const items = (await t.api('GET', '/api/requests?limit=1000')).body.items as { path: string; headers: Record<string, string> }[];
    const row = items.find((r) => r.path.startsWith('/api/webhooks/lead-optin?'))!;
    expect(row.headers.authorization).toBe('[masked]');
    expect(row.headers['x-api-key']).toBe('[masked]');
    expect(row.headers['api-key']).toBe('[masked]');
    expect(row.headers.cookie).toBe('[masked]');
    expect(row.headers['proxy-authorization']).toBe('[masked]');
    expect(row.headers['x-auth-token']).toBe('[masked]');
    expect(row.path).not.toContain(QUERY_TOKEN);
    expect(new URLSearchParams(row.path.split('?')[1]).get('token')).toBe('[masked]');
    expect(leaks(JSON.stringify(items))).toEqual([]);
  });

  it('not in the database files in plain text (secrets are encrypted at rest)', () => {
    t.core.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of fs.readdirSync(t.dataDir).filter((f) => f.startsWith(DB_FILE))) {
      const bytes = fs.readFileSync(path.join(t.dataDir, file)).toString('latin1');
      expect(leaks(bytes), file).toEqual([]);
    }
  });
});

describe('the desktop shell', () => {
  it('the UI CSP allows only its own scripts, no eval, no plugins, no framing', () => {
    const directives = new Map(UI_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(UI_CSP).not.toMatch(/unsafe-eval|\*/);
  });
});
