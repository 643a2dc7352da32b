/**
 * The integration catalog: one entry per vendor Leadbell calls. Everything that names an
 * integration elsewhere (vendor pacing, the secrets the core masks, headless env variables, the
 * settings validator, the secret-name pattern of the API, Connected apps) is derived from here,
 * so adding a vendor is one entry plus its client.
 */
import type { z } from 'zod';
import { discord } from './discord.js';
import type { IntegrationEntry } from './entry.js';
import { loops } from './loops.js';
import { meta } from './meta.js';
import { notion } from './notion.js';
import { prefect } from './prefect.js';
import { slack } from './slack.js';
import { webhook } from './webhook.js';

export type { IntegrationEntry, KeyRefusedAnswer, OptionField, RatePolicy, SecretEntry } from './entry.js';

/** In the order Connected apps shows them. */
export const INTEGRATIONS = { loops, discord, slack, notion, meta, webhook, prefect } as const;

export type IntegrationName = keyof typeof INTEGRATIONS;
export const INTEGRATION_NAMES = Object.keys(INTEGRATIONS) as IntegrationName[];
export const INTEGRATION_LIST: readonly IntegrationEntry[] = Object.values(INTEGRATIONS);
export const isIntegrationName = (name: string): name is IntegrationName => Object.hasOwn(INTEGRATIONS, name);

export type IntegrationOptions<N extends IntegrationName> = z.output<(typeof INTEGRATIONS)[N]['options']>;
export type SecretKey<N extends IntegrationName> = (typeof INTEGRATIONS)[N]['secrets'][number]['key'];

const storeName = (name: string, key: string) => `integration.${name}.${key}`;

/** Where the secret store keeps an integration's secret. */
export const integrationSecretName = <N extends IntegrationName>(name: N, key: SecretKey<N>): string => storeName(name, key);

/** How messages name a secret: "Discord webhook URL", "Loops API key". */
const secretTitle = (integration: string, label: string) => `${integration} ${/^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label}`;

/** Every integration secret, with the integration it belongs to and its name in the secret store. */
export const INTEGRATION_SECRETS = INTEGRATION_LIST.flatMap((e) =>
  e.secrets.map((s) => ({ ...s, integration: e.name, name: storeName(e.name, s.key), title: secretTitle(e.label, s.label) })),
);

/**
 * Why `value` cannot be saved as the secret `name`, naming the secret and never repeating the
 * value ("Discord webhook URL must be an http:// or https:// address"); null when it can.
 */
export function secretValueProblem(name: string, value: string): string | null {
  const secret = INTEGRATION_SECRETS.find((s) => s.name === name);
  const parsed = secret?.value?.safeParse(value);
  if (!secret || !parsed || parsed.success) return null;
  return `${secret.title} ${parsed.error.issues[0]?.message ?? 'is not valid'}`;
}

/** Every environment variable that overrides an integration option. */
export const INTEGRATION_OPTION_ENV = INTEGRATION_LIST.flatMap((e) =>
  Object.entries(e.optionEnv).flatMap(([key, o]) => (o ? [{ integration: e.name, key, env: o.env, parse: o.parse }] : [])),
);
