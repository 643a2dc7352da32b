import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../shared/api/contract.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

/** Turns a contract route into a concrete URL. */
const concrete = (path: string) => path.replace(/:(\w+)/g, 'x');

describe('admin API', () => {
  it('every contract route refuses a missing or wrong token with 401', async () => {
    for (const name of METHOD_NAMES) {
      const { method, path } = contract[name].http;
      for (const auth of [undefined, 'Bearer wrong-token-wrong-token']) {
        const res = await fetch(t.adminUrl(concrete(path)), { method, headers: auth ? { authorization: auth } : {} });
        expect(res.status, `${method} ${path} with ${auth ?? 'no token'}`).toBe(401);
      }
    }
  });

  it('refuses a non-loopback Host header (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http
        .get(t.adminUrl('/api/status'), { headers: { host: 'evil.example:80', authorization: `Bearer ${t.token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .end();
    });
    expect(status).toBe(403);
  });

  it('login by token sets an HttpOnly session cookie that authorises API calls', async () => {
    const bad = await fetch(t.adminUrl('/api/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'nope' }),
    });
    expect(bad.status).toBe(401);
    const good = await fetch(t.adminUrl('/api/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: t.token }),
    });
    const cookie = good.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const status = await fetch(t.adminUrl('/api/status'), { headers: { cookie: cookie.split(';')[0]! } });
    expect(status.status).toBe(200);
  });

  it('status reports ports, storage and the secret backend', async () => {
    const s = await t.api('GET', '/api/status');
    expect(s.status).toBe(200);
    expect(contract.getStatus.output.safeParse(s.body).success).toBe(true);
    expect(s.body.receiver.port).toBe(t.core.receiver.port);
    expect(s.body.receiver.tunnel_port).toBe(t.core.receiver.tunnelPort);
    expect(s.body.storage).toMatchObject({ ok: true, error: null });
    expect(s.body.secret_backend.name).toBe('key-file');
  });

  it('invalid input is a 400 naming the field', async () => {
    const r = await t.api('GET', '/api/leads?limit=5000');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.fields[0].path).toBe('limit');
    const s = await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: -1 } });
    expect(s.status).toBe(400);
    expect(s.body.error.fields[0]).toMatchObject({ path: 'receiver.rate_limit_per_minute' });
    const o = await t.api('PUT', '/api/settings', { receiver: { allowed_origins: ['https://x.example/path'] } });
    expect(o.body.error.fields[0].message).toMatch(/origin like https:\/\/example.com/);
    const secret = await t.api('PUT', '/api/secrets/not.a.secret', { value: 'x' });
    expect(secret.status).toBe(400);
  });

  it('settings are validated, saved, survive a restart; secrets are write-only', async () => {
    const put = await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 250, allowed_ips: ['10.0.0.0/8'] } });
    expect(put.status).toBe(200);
    expect(put.body.settings.receiver.rate_limit_per_minute).toBe(250);
    expect(put.body.settings.receiver.max_body_bytes).toBe(1024 * 1024);
    const set = await t.api('PUT', '/api/secrets/integration.loops.api_key', { value: 'loops-key-very-secret-123' });
    expect(set.body).toEqual({ name: 'integration.loops.api_key', set: true });
    await t.restart();
    const got = await t.api('GET', '/api/settings');
    expect(got.body.settings.receiver.rate_limit_per_minute).toBe(250);
    expect(got.body.secrets['integration.loops.api_key']).toEqual({ set: true, from_env: false });
    expect(JSON.stringify(got.body)).not.toContain('loops-key-very-secret-123');
    // Encrypted at rest: the value is not in the database file.
    const dbBytes = fs.readFileSync(`${t.dataDir}/leadbell.db`);
    const wal = fs.existsSync(`${t.dataDir}/leadbell.db-wal`) ? fs.readFileSync(`${t.dataDir}/leadbell.db-wal`) : Buffer.alloc(0);
    expect(dbBytes.includes('loops-key-very-secret-123')).toBe(false);
    expect(wal.includes('loops-key-very-secret-123')).toBe(false);
    expect(t.core.stores.secrets.get('integration.loops.api_key')).toBe('loops-key-very-secret-123');
    await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 100, allowed_ips: [] } });
  });

  it('test-fire sends a sample through the real receiver', async () => {
    const r = await t.api('POST', '/api/test-fire', { sample: 'assessment-hot' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe(202);
    expect(r.body.url).toBe(t.url('/api/webhooks/assessment'));
    const row = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(row).toMatchObject({ via: 'test-fire', status: 202, event_id: r.body.body.event_id });
    const custom = await t.api('POST', '/api/test-fire', { endpoint: 'lead-optin', body: { email: 'bad' } });
    expect(custom.body.status).toBe(422);
    const unknown = await t.api('POST', '/api/test-fire', { sample: 'nope' });
    expect(unknown.status).toBe(404);
    const neither = await t.api('POST', '/api/test-fire', {});
    expect(neither.status).toBe(400);
  });

  it('leads: search by name, email or phone; filters; sort; CSV export guards formulas', async () => {
    const leads = t.core.stores.leads;
    t.core.db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        leads.upsert(`person${i}@shop.example`, {
          first_name: i === 7 ? 'Zoë' : `Person${i}`,
          phone: `+4470000${String(i).padStart(4, '0')}`,
          status: i % 3 === 0 ? 'hot' : 'cold',
          score: i % 101,
          segment: i % 2 ? 'fitness' : 'auto-repair',
        });
      }
    })();
    leads.upsert('formula@shop.example', { first_name: '=HYPERLINK("http://x")' });
    expect((await t.api('GET', '/api/leads?search=zo%C3%AB')).body.items[0].email).toBe('person7@shop.example');
    expect((await t.api('GET', '/api/leads?search=0000123')).body.items[0].email).toBe('person123@shop.example');
    expect((await t.api('GET', '/api/leads?search=person12%40')).body.total).toBe(1);
    const hot = await t.api('GET', '/api/leads?status=hot&segment=auto-repair&limit=1000');
    expect(hot.body.total).toBe(50);
    expect(hot.body.items.every((l: { status: string; segment: string }) => l.status === 'hot' && l.segment === 'auto-repair')).toBe(true);
    const top = await t.api('GET', '/api/leads?sort=score&dir=desc&limit=3');
    expect(top.body.items.map((l: { score: number }) => l.score)).toEqual([100, 100, 99]);
    const page2 = await t.api('GET', '/api/leads?limit=100&offset=100&sort=email&dir=asc');
    expect(page2.body.items).toHaveLength(100);
    const lead = await t.api('GET', `/api/leads/${top.body.items[0].id}`);
    expect(lead.body.lead.email).toBe(top.body.items[0].email);
    expect((await t.api('GET', '/api/leads/does-not-exist')).status).toBe(404);
    const csv = await t.api('GET', '/api/leads-export?search=formula');
    expect(csv.body.csv.split('\r\n')[0]).toMatch(/^email,first_name/);
    expect(csv.body.csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('a lead timeline lists the events about that lead', async () => {
    await t.api('POST', '/api/test-fire', { endpoint: 'lead-optin', body: { email: 'timeline@shop.example' } });
    await t.api('POST', '/api/test-fire', { endpoint: 'email-engagement', body: { email: 'timeline@shop.example', event_type: 'open' } });
    const { lead } = { lead: t.core.stores.leads.upsert('timeline@shop.example', {}).lead };
    const r = await t.api('GET', `/api/leads/${lead.id}`);
    const names = r.body.timeline.filter((i: { kind: string }) => i.kind === 'event').map((i: { event: { event: string } }) => i.event.event);
    expect(names).toEqual(['email.opened', 'lead.opted_in']);
  });

  it('backup writes an encrypted copy of the database, checked after writing', async () => {
    expect((await t.api('PUT', '/api/secrets/backup.passphrase', { value: 'a long enough passphrase' })).status).toBe(200);
    const r = await t.api('POST', '/api/backup', {});
    expect(r.status).toBe(200);
    expect(fs.statSync(r.body.path).size).toBe(r.body.bytes);
    expect(r.body.leads).toBeGreaterThan(300);
    const listed = (await t.api('GET', '/api/backups')).body.items;
    expect(listed[0]).toMatchObject({ name: r.body.name, leads: r.body.leads, events: r.body.events, problem: null });
  });

  it('server-sent events announce new events live', async () => {
    const controller = new AbortController();
    const res = await fetch(t.adminUrl('/api/stream'), { headers: { authorization: `Bearer ${t.token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const fired = await t.api('POST', '/api/test-fire', { sample: 'optin' });
    let text = '';
    while (!text.includes(fired.body.body.event_id)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain(`"topic":"event","id":"${fired.body.body.event_id}"`);
  });
});

describe('integration options are validated when saved', () => {
  it('refuses a bad option or an unknown integration, naming the field', async () => {
    const bad = await t.api('PUT', '/api/settings', { integrations: { loops: { base_url: 'ftp://x.example' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'integrations.loops.base_url', message: 'must be an http:// or https:// address' });
    const unknown = await t.api('PUT', '/api/settings', { integrations: { mailchimp: { enabled: true } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('integrations.mailchimp');
    const typo = await t.api('PUT', '/api/settings', { integrations: { notion: { data_source: 'abc' } } });
    expect(typo.status).toBe(400);
    expect(typo.body.error.fields[0].path).toBe('integrations.notion');
    const ok = await t.api('PUT', '/api/settings', { integrations: { loops: { base_url: 'https://proxy.example/api/v1' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.integrations.loops.base_url).toBe('https://proxy.example/api/v1');
  });
});

describe('query-string booleans', () => {
  it('dead=false means false, and a non-boolean is refused', async () => {
    expect((await t.api('GET', '/api/runs?dead=false')).status).toBe(200);
    expect((await t.api('GET', '/api/runs?dead=true')).status).toBe(200);
    const bad = await t.api('GET', '/api/runs?dead=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('dead');
  });

  it('inbox rows carry their outcome', async () => {
    await t.api('POST', '/api/test-fire', { sample: 'optin' });
    const rows = (await t.api('GET', '/api/requests?limit=1')).body.items;
    expect(rows[0].outcome).toBe('accepted');
  });
});

describe('lead search index', () => {
  it('finds substrings in any case, follows updates, and short queries still work', async () => {
    const leads = t.core.stores.leads;
    const { lead } = leads.upsert('Searchable.Person@Garage.example', { first_name: 'Théo', phone: '+15559876543' });
    const find = async (q: string) =>
      (await t.api('GET', `/api/leads?search=${encodeURIComponent(q)}&limit=1000`)).body.items.map((l: { email: string }) => l.email);
    expect(await find('GARAGE.EXA')).toContain('searchable.person@garage.example');
    expect(await find('theo')).toContain('searchable.person@garage.example');
    expect(await find('9876543')).toContain('searchable.person@garage.example');
    expect(await find('"quoted')).toEqual([]);
    leads.update(lead.id, { first_name: 'Bartholomew' });
    expect(await find('tholom')).toEqual(['searchable.person@garage.example']);
    expect(await find('Théo')).not.toContain('searchable.person@garage.example');
    expect(await find('Ba')).toContain('searchable.person@garage.example');
  });
});

describe('clearing an integration option', () => {
  it('null removes a stored option, so it falls back to its default', async () => {
    await t.api('PUT', '/api/settings', { integrations: { webhook: { url: 'https://hooks.example/in' } } });
    const cleared = await t.api('PUT', '/api/settings', { integrations: { webhook: { url: null } } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.settings.integrations.webhook).not.toHaveProperty('url');
  });
});
