import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envOverrides, parseEnv, secretsFromEnv } from '../../electron/core/config/env.js';
import { SettingsStore } from '../../electron/core/storage/settings-store.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { tempDir } from '../helpers/core.js';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { closedPortUrl, ctx, failure, startHarness, type Harness } from './harness.js';

// Scaled-down windows on both sides keep the suite quick; the limits themselves are the vendors'.
const RATES = {
  discord: { limit: 5, windowMs: 200 },
  slack: { limit: 1, windowMs: 100 },
  notion: { limit: 3, windowMs: 100 },
  meta: { limit: 5, windowMs: 100 },
};
let fakes: Fakes;
let h: Harness;

beforeAll(async () => {
  fakes = await startFakes(RATES);
  h = startHarness({ fakes, rateLimits: RATES });
});
afterAll(async () => {
  h.close();
  await fakes.stop();
});

const secretsOf = (f: Fakes) => [f.loops.apiKey, f.discord.token, f.slack.secret, f.notion.token, f.meta.accessToken, f.webhook.secret];

describe('integration test calls', () => {
  it.each(['loops', 'discord', 'slack', 'notion', 'meta', 'webhook'])('%s: a harmless real call, with the vendor answer', async (name) => {
    const r = await h.integrations.test(name);
    expect(r.ok).toBe(true);
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(300);
    expect(r.detail.length).toBeGreaterThan(0);
  });

  it('shows what each vendor actually answered', async () => {
    expect((await h.integrations.test('loops')).detail).toBe('{"success":true,"teamName":"Fake Team"}');
    expect(await h.integrations.test('discord')).toEqual({ ok: true, outcome: 'accepted', status: 204, detail: 'delivered' });
    expect(await h.integrations.test('slack')).toEqual({ ok: true, outcome: 'accepted', status: 200, detail: 'ok' });
    expect(fakes.discord.messages.at(-1)!.content).toBe('Leadbell test message');
    expect(fakes.slack.messages.at(-1)!.text).toBe('Leadbell test message');
    expect(fakes.webhook.deliveries.at(-1)!.type).toBe('leadbell.test');
    expect((await h.integrations.test('meta')).detail).toMatch(/^opted_in_leads: \{"id":"\d+","name":"opted_in_leads"/);
    expect((await h.integrations.test('notion')).detail).toMatch(/^\{"object":"list"/);
  });

  it('a refused credential reports the status and the vendor message, never the secret', async () => {
    h.stores.secrets.set('integration.loops.api_key', 'bad-key-0123456789');
    try {
      expect(await h.integrations.test('loops')).toEqual({ ok: false, outcome: 'refused', status: 401, detail: 'Loops answered 401: Invalid API key', said: 'Invalid API key', failureKind: 'key_refused' });
    } finally {
      h.stores.secrets.set('integration.loops.api_key', fakes.loops.apiKey);
    }
    // A vendor echoing the credential back does not leak it into the answer.
    fakes.notion.server.failNext(1, { status: 400, json: { object: 'error', status: 400, code: 'validation_error', message: `token ${fakes.notion.token} is odd` } });
    const echoed = await h.integrations.test('notion');
    expect(echoed).toEqual({
      ok: false,
      outcome: 'refused',
      status: 400,
      detail: 'Notion answered 400: validation_error: token [redacted] is odd',
      said: 'validation_error: token [redacted] is odd',
      failureKind: 'refused',
    });
  });

  it('not configured and unknown names answer ok:false with status null', async () => {
    h.stores.secrets.set('integration.slack.webhook_url', null);
    try {
      expect(await h.integrations.test('slack')).toEqual({ ok: false, outcome: 'not_sent', status: null, detail: 'Slack is not configured: add a webhook URL' });
    } finally {
      h.stores.secrets.set('integration.slack.webhook_url', fakes.slack.webhookUrl);
    }
    expect(await h.integrations.test('mailchimp')).toEqual({
      ok: false,
      outcome: 'not_sent',
      status: null,
      detail: 'Unknown integration "mailchimp": use one of loops, discord, slack, notion, meta, webhook, prefect',
    });
  });

  it('tells a vendor that answered with an error from one that could not be reached', async () => {
    const loops = h.stores.settings.get().integrations.loops ?? {};
    // Nothing listens there: a network error, with no HTTP status.
    h.stores.settings.update({ integrations: { loops: { ...loops, base_url: await closedPortUrl('/api/v1') } } });
    try {
      const r = await h.integrations.test('loops');
      expect(r).toMatchObject({ ok: false, outcome: 'unreachable', status: null });
      expect(r.detail).toMatch(/^Loops could not be reached: /);
    } finally {
      h.stores.settings.update({ integrations: { loops } });
    }
    // A server error is still an answer from the vendor.
    fakes.notion.server.failNext(1, { status: 503, json: { object: 'error', status: 503, code: 'service_unavailable', message: 'try later' } });
    expect(await h.integrations.test('notion')).toMatchObject({ ok: false, outcome: 'refused', status: 503 });
  });

  it('a stored value that cannot work is reported as not sent, not as refused', async () => {
    h.stores.secrets.set('integration.discord.webhook_url', 'hello');
    try {
      expect(await h.integrations.test('discord')).toEqual({
        ok: false,
        outcome: 'not_sent',
        status: null,
        detail: 'the Discord webhook URL is not a valid http(s) URL: paste it again',
      });
    } finally {
      h.stores.secrets.set('integration.discord.webhook_url', fakes.discord.webhookUrl);
    }
  });

  it('no secret reaches the log, on success or failure, for any integration', async () => {
    const c = ctx();
    await h.integrations.loops.sendTransactional({ transactionalId: 'email-1-immediate-cta', email: 'a@x.example' }, c);
    await h.integrations.discord.send({ content: 'hi' }, ctx());
    await h.integrations.slack.send({ text: 'hi' }, ctx());
    await h.integrations.notion.upsertLead(
      { email: 'a@x.example', first_name: 'A', phone: null, segment: null, source: null, stage: 'new', score: null, status: 'new', priority: 'normal', engagement_score: 0 },
      null,
      ctx(),
    );
    await h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx());
    await h.integrations.webhook.send({ type: 't', data: {} }, ctx());
    for (const f of [fakes.loops, fakes.discord, fakes.slack, fakes.notion, fakes.meta, fakes.webhook]) f.server.failNext(1, { status: 500 });
    await failure(h.integrations.loops.sendTransactional({ transactionalId: 'email-1-immediate-cta', email: 'a@x.example' }, ctx()));
    await failure(h.integrations.discord.send({ content: 'hi' }, ctx()));
    await failure(h.integrations.slack.send({ text: 'hi' }, ctx()));
    await failure(h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx()));
    await failure(h.integrations.webhook.send({ type: 't', data: {} }, ctx()));
    await failure(h.integrations.notion.upsertLead(
      { email: 'b@x.example', first_name: 'B', phone: null, segment: null, source: null, stage: 'new', score: null, status: 'new', priority: 'normal', engagement_score: 0 },
      null,
      ctx(),
    ));
    for (const name of ['loops', 'discord', 'slack', 'notion', 'meta', 'webhook']) await h.integrations.test(name);
    const log = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(20);
    for (const s of secretsOf(fakes)) expect(log).not.toContain(s);
  });
});

describe('headless configuration by environment', () => {
  const env = {
    NOTION_DATA_SOURCE_ID: '0f3e1c2a-9b8d-4e7f-a6b5-c4d3e2f1a0b9',
    META_AUDIENCES: 'opted_in_leads=111, assessment_completers=222',
    LEADBELL_LOOPS_BASE_URL: 'http://127.0.0.1:9/api/v1',
    LEADBELL_NOTION_BASE_URL: 'http://127.0.0.1:9/v1',
    LEADBELL_META_BASE_URL: 'http://127.0.0.1:9/v25.0',
    LEADBELL_OUTBOUND_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
    PREFECT_API_URL: 'http://127.0.0.1:9/api',
    LEADBELL_PREFECT_FORWARD: 'none',
  };

  it('overrides the stored integration settings and lists the variables it applied', () => {
    const o = envOverrides(parseEnv(env));
    expect(o.names.sort()).toEqual(Object.keys(env).sort());
    const db = openDatabase(tempDir());
    const settings = new SettingsStore(db, o.apply);
    // A value the environment overrides is refused (it would not take effect), naming the setting.
    expect(() => settings.update({ integrations: { notion: { data_source_id: 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' } } })).toThrow(
      'integrations.notion.data_source_id is set by an environment variable',
    );
    settings.update({ integrations: { notion: { properties: { email: 'Mail' } }, loops: { enabled: true } } });
    expect(settings.get().integrations).toEqual({
      loops: { enabled: true, base_url: env.LEADBELL_LOOPS_BASE_URL },
      notion: { data_source_id: env.NOTION_DATA_SOURCE_ID, properties: { email: 'Mail' }, base_url: env.LEADBELL_NOTION_BASE_URL },
      meta: { base_url: env.LEADBELL_META_BASE_URL, audiences: { opted_in_leads: '111', assessment_completers: '222' } },
      webhook: { url: env.LEADBELL_OUTBOUND_WEBHOOK_URL },
      prefect: { api_url: env.PREFECT_API_URL, forward: 'none' },
    });
    expect(settings.getStored().integrations.notion!.data_source_id).toBeUndefined();
    db.close();
  });

  it('leaves integrations alone when no variable is set', () => {
    const o = envOverrides(parseEnv({}));
    expect(o.names).toEqual([]);
    const s = { integrations: { loops: { base_url: 'http://x' } } } as unknown as Parameters<typeof o.apply>[0];
    expect(o.apply(s).integrations).toEqual({ loops: { base_url: 'http://x' } });
  });

  it('refuses a malformed META_AUDIENCES with the offending pair', () => {
    expect(() => parseEnv({ META_AUDIENCES: 'opted_in_leads=111,hot leads' })).toThrow('META_AUDIENCES: "hot leads" must look like opted_in_leads=<numeric audience id>');
    expect(() => parseEnv({ LEADBELL_META_BASE_URL: 'graph.facebook.com' })).toThrow(/LEADBELL_META_BASE_URL/);
  });

  it('takes Prefect\'s own client variables: the URL as a setting, the key and auth string as secrets', () => {
    expect(secretsFromEnv({ PREFECT_API_KEY: 'pnu_key', PREFECT_API_AUTH_STRING: 'u:p' })).toEqual({
      'integration.prefect.api_key': 'pnu_key',
      'integration.prefect.auth_string': 'u:p',
    });
    expect(() => parseEnv({ PREFECT_API_URL: 'ftp://prefect/api' })).toThrow(/PREFECT_API_URL/);
    expect(() => parseEnv({ LEADBELL_PREFECT_FORWARD: 'some' })).toThrow(/LEADBELL_PREFECT_FORWARD/);
  });
});
