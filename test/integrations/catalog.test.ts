/**
 * The integration catalog is the one place an integration is named: these check that what the
 * core, the admin API and headless mode derive from it agree with it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  INTEGRATION_LIST,
  INTEGRATION_NAMES,
  INTEGRATION_OPTION_ENV,
  INTEGRATION_SECRETS,
  INTEGRATIONS,
  type IntegrationName,
} from '../../shared/integrations/index.js';
import { secretName, settings } from '../../shared/settings.js';
import { parseEnv, SECRET_ENV, secretsFromEnv } from '../../electron/core/config/env.js';
import { validateIntegrationOptions } from '../../electron/core/integrations/options.js';
import { RATE_POLICIES, VENDORS, VendorPacer } from '../../electron/core/outbound/rate-limiter.js';
import { startHarness } from './harness.js';

describe('the integration catalog', () => {
  it('gives the core its vendors, each with a workable rate policy', () => {
    expect(VENDORS).toEqual(INTEGRATION_NAMES);
    for (const e of INTEGRATION_LIST) {
      expect(RATE_POLICIES[e.name as IntegrationName]).toEqual(e.rate);
      expect(() => new VendorPacer(e.rate)).not.toThrow();
    }
  });

  it('gives every secret its own environment variable, read by headless mode', () => {
    const envNames = [...Object.keys(SECRET_ENV), ...INTEGRATION_OPTION_ENV.map((o) => o.env)];
    expect(new Set(envNames).size).toBe(envNames.length);
    for (const s of INTEGRATION_SECRETS) {
      expect(s.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(secretsFromEnv({ [s.env]: ' value ' })).toEqual({ [s.name]: 'value' });
    }
  });

  it('lets the admin API set exactly the catalog secrets of integrations', () => {
    for (const s of INTEGRATION_SECRETS) expect(secretName.safeParse(s.name).success).toBe(true);
    for (const bad of ['integration.mailchimp.api_key', 'integration.loops.token', 'integration.loops']) {
      expect(secretName.safeParse(bad).success).toBe(false);
    }
  });

  it('names only real options in option variables, form fields and configuredBy', () => {
    for (const o of INTEGRATION_OPTION_ENV) expect(Object.keys(INTEGRATIONS[o.integration as IntegrationName].options.shape)).toContain(o.key);
    for (const e of INTEGRATION_LIST) {
      const keys = Object.keys(e.options.shape);
      for (const f of e.fields) expect(keys).toContain(f.key);
      if (e.configuredBy) expect(keys).toContain(e.configuredBy);
    }
  });

  it('reads every option variable with the rest of the environment, refusing a bad one by name', () => {
    for (const o of INTEGRATION_OPTION_ENV) {
      const text = ' %odd value% ';
      const own = o.parse.safeParse(text);
      if (own.success) expect(parseEnv({ [o.env]: text })[o.env]).toEqual(own.data);
      else expect(() => parseEnv({ [o.env]: text })).toThrow(`${o.env}: `);
    }
  });

  it('validates saved options for every integration, and refuses an unknown one', () => {
    const defaults = settings.parse({ integrations: Object.fromEntries(INTEGRATION_NAMES.map((n) => [n, {}])) });
    expect(validateIntegrationOptions(defaults)).toEqual([]);
    const unknown = settings.parse({ integrations: { mailchimp: {} } });
    expect(validateIntegrationOptions(unknown)).toEqual([
      { path: 'integrations.mailchimp', message: `is not an integration (use ${INTEGRATION_NAMES.join(', ')})` },
    ]);
  });
});

describe('every catalog secret is masked out of test answers', () => {
  // Webhook URLs must be URLs; every other secret takes the form the outbound webhook requires.
  const values = Object.fromEntries(
    INTEGRATION_SECRETS.map((s) => [
      s.name,
      s.key === 'webhook_url' ? `https://hooks.example/${s.integration}/${randomBytes(12).toString('hex')}` : `whsec_${randomBytes(24).toString('base64')}`,
    ]),
  );
  /** What each integration needs besides its secrets to make a call. */
  const configured: Record<IntegrationName, Record<string, unknown>> = {
    loops: { base_url: 'https://vendor.example/loops' },
    discord: {},
    slack: {},
    notion: { base_url: 'https://vendor.example/notion', data_source_id: '0f3e1c2a-9b8d-4e7f-a6b5-c4d3e2f1a0b9' },
    meta: { base_url: 'https://vendor.example/meta', audiences: { opted_in_leads: '123' } },
    webhook: { url: 'https://vendor.example/hook' },
    prefect: { api_url: 'https://vendor.example/prefect/api' },
  };
  // A vendor that echoes one secret back, in every place a vendor might put a message.
  let echoed = '';
  const h = startHarness({
    rateLimits: Object.fromEntries(INTEGRATION_NAMES.map((n) => [n, { limit: 1_000, windowMs: 1_000 }])),
    send: async () => {
      const text = JSON.stringify({ message: echoed, detail: echoed, error: { message: echoed } });
      return { status: 400, headers: { get: () => null }, text };
    },
  });
  afterAll(() => h.close());
  for (const [name, value] of Object.entries(values)) h.stores.secrets.set(name, value);
  h.stores.settings.update({ integrations: configured });

  it.each(INTEGRATION_SECRETS.map((s) => s.name))('%s, whichever integration echoes it', async (name) => {
    echoed = values[name]!;
    for (const integration of INTEGRATION_NAMES) {
      const r = await h.integrations.test(integration);
      expect(r.ok, integration).toBe(false);
      expect(r.detail, integration).not.toContain(echoed);
      expect(r.detail, integration).toContain('[redacted]');
    }
  });
});
