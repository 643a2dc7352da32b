/**
 * Every address Leadbell calls or hands out is http(s), wherever it is given: environment
 * variables at start-up, saved settings, the relay set-up. Before, `z.url()` let ftp:, file: or
 * javascript: through, and the value failed only at its first use, far from where it was typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../electron/core/config/env.js';
import { INTEGRATION_OPTION_ENV } from '../../shared/integrations/index.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

const BAD = ['ftp://files.example/x', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://relay.example'];
const MESSAGE = 'must be an http:// or https:// address';

describe('URL environment variables', () => {
  const urlVars = ['LEADBELL_TUNNEL_HOST', 'LEADBELL_RELAY_URL', 'LEADBELL_THANK_YOU_URL', ...INTEGRATION_OPTION_ENV.filter((o) => /_URL$/.test(o.env)).map((o) => o.env)];

  it('covers every integration base URL variable', () => {
    expect(urlVars).toEqual(expect.arrayContaining(['LEADBELL_LOOPS_BASE_URL', 'LEADBELL_NOTION_BASE_URL', 'LEADBELL_META_BASE_URL', 'PREFECT_API_URL']));
  });

  it('refuse any other scheme at start-up, naming the variable', () => {
    for (const name of urlVars) {
      for (const bad of BAD) expect(() => parseEnv({ [name]: bad }), `${name}=${bad}`).toThrow(`${name}: ${MESSAGE}`);
      expect(parseEnv({ [name]: 'https://ok.example/api' })[name as keyof ReturnType<typeof parseEnv>]).toBe('https://ok.example/api');
    }
  });
});

describe('webhook URL secrets in the environment', () => {
  const vars = ['DISCORD_WEBHOOK_URL', 'SLACK_WEBHOOK_URL'];

  it('stop start-up when not http(s), naming the variable and never the value', () => {
    for (const name of vars) {
      for (const bad of [...BAD, 'hello', 'discord.com/api/webhooks/1/abc']) {
        let message = '';
        try {
          parseEnv({ [name]: bad });
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message, `${name}=${bad}`).toContain(`${name}: ${MESSAGE}`);
        expect(message, `${name}=${bad}`).not.toContain(bad);
      }
    }
  });

  it('take https and loopback http (the local fakes), and treat empty as unset, without putting the secret in the parsed config', () => {
    for (const name of vars) {
      for (const good of ['https://discord.com/api/webhooks/1/token-abc', 'http://127.0.0.1:4555/hooks/x', ' https://hooks.slack.com/services/T/B/x ', '', '  ']) {
        const parsed = parseEnv({ [name]: good });
        expect(JSON.stringify(parsed), `${name}=${good}`).not.toContain('token-abc');
        expect((parsed as Record<string, unknown>)[name]).toBeUndefined();
      }
    }
  });
});

describe('webhook URL secrets saved through the API', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are refused with 400 naming the field, and nothing is saved', async () => {
    for (const [name, title] of [
      ['integration.discord.webhook_url', 'Discord webhook URL'],
      ['integration.slack.webhook_url', 'Slack webhook URL'],
    ] as const) {
      for (const bad of ['hello', ...BAD]) {
        const res = await t.api('PUT', `/api/secrets/${name}`, { value: bad });
        expect(res.status, bad).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_input', message: `${title} ${MESSAGE}` });
        expect(res.body.error.fields, bad).toEqual([{ path: 'value', message: `${title} ${MESSAGE}` }]);
        expect(JSON.stringify(res.body), bad).not.toContain(bad);
      }
      expect((await t.api('GET', '/api/settings')).body.secrets[name]?.set ?? false).toBe(false);
      expect(t.core.stores.secrets.get(name)).toBeFalsy();
    }
  });

  it('a bad value does not replace a good one; https, loopback http and clearing still work', async () => {
    const name = 'integration.discord.webhook_url';
    expect((await t.api('PUT', `/api/secrets/${name}`, { value: 'https://discord.com/api/webhooks/1/abc' })).status).toBe(200);
    expect((await t.api('PUT', `/api/secrets/${name}`, { value: 'hello' })).status).toBe(400);
    expect(t.core.stores.secrets.get(name)).toBe('https://discord.com/api/webhooks/1/abc');
    expect((await t.api('PUT', `/api/secrets/${name}`, { value: 'http://127.0.0.1:4555/api/webhooks/1/abc' })).status).toBe(200);
    expect(t.core.stores.secrets.get(name)).toBe('http://127.0.0.1:4555/api/webhooks/1/abc');
    expect((await t.api('PUT', `/api/secrets/${name}`, { value: null })).body).toEqual({ name, set: false });
  });

  it('secrets that are not addresses take any text, as before', async () => {
    const res = await t.api('PUT', '/api/secrets/integration.loops.api_key', { value: 'hello' });
    expect(res.status).toBe(200);
  });
});

describe('URL settings', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the tunnel server and the relay address are refused unless http(s), naming the field', async () => {
    for (const bad of BAD) {
      const host = await t.api('PUT', '/api/settings', { tunnel: { host: bad } });
      expect(host.status, bad).toBe(400);
      expect(host.body.error.fields[0], bad).toMatchObject({ path: 'tunnel.host', message: MESSAGE });
      const relay = await t.api('PUT', '/api/settings', { relay: { url: bad } });
      expect(relay.status, bad).toBe(400);
      expect(relay.body.error.fields[0], bad).toMatchObject({ path: 'relay.url', message: MESSAGE });
      const connect = await t.api('PUT', '/api/relay', { url: bad, secret: 'x'.repeat(32) });
      expect(connect.status, bad).toBe(400);
      expect(connect.body.error.fields[0], bad).toMatchObject({ path: 'url', message: MESSAGE });
    }
    const settings = (await t.api('GET', '/api/settings')).body.settings;
    expect(settings.tunnel.host).toBe('https://localtunnel.me');
    expect(settings.relay.url).toBeNull();
  });
});
