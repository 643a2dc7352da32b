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
