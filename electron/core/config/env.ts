/**
 * Headless-mode configuration from environment variables, validated with zod. Env values
 * override stored settings (and are listed as such), so a box can be configured without the UI.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { INTEGRATION_OPTION_ENV, INTEGRATION_SECRETS } from '../../../shared/integrations/index.js';
import { backupSettings, TUNNEL_PROVIDERS, tunnelSettings, type Settings } from '../../../shared/settings.js';
import { httpUrl } from '../../../shared/http-url.js';

const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const list = z
  .string()
  .optional()
  .transform((s) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean)));
const coreEnv = z.object({
  LEADBELL_DATA_DIR: z.string().min(1).optional(),
  LEADBELL_HOST: z.string().default('127.0.0.1'),
  LEADBELL_PORT: port(4747),
  LEADBELL_TUNNEL_PORT: port(4749),
  LEADBELL_ADMIN_PORT: port(4748),
  LEADBELL_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LEADBELL_TUNNEL: z.enum(['off', ...TUNNEL_PROVIDERS]).optional(),
  LEADBELL_TUNNEL_HOST: httpUrl.optional(),
  LEADBELL_TUNNEL_SUBDOMAIN: tunnelSettings.shape.subdomain.unwrap().unwrap().optional(),
  NGROK_DOMAIN: tunnelSettings.shape.ngrok_domain.unwrap().unwrap().optional(),
  LEADBELL_RELAY_URL: httpUrl.optional(),
  LEADBELL_RATE_LIMIT: z.coerce.number().int().min(0).optional(),
  LEADBELL_ALLOWED_IPS: list,
  LEADBELL_ALLOWED_ORIGINS: list,
  LEADBELL_THANK_YOU_URL: httpUrl.optional(),
  LEADBELL_BACKUP_DIR: backupSettings.shape.folder.unwrap().unwrap().optional(),
  LEADBELL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** Integration options' variables, as the catalog names them (each entry checks its own values). */
const integrationEnv = z.object(Object.fromEntries(INTEGRATION_OPTION_ENV.map((o) => [o.env, o.parse])) as Record<string, z.ZodType>);

export const envSchema = coreEnv.and(integrationEnv);
export type Env = z.infer<typeof envSchema>;

/**
 * Secrets whose value has a form (the Discord and Slack webhook URLs), checked at start-up like
 * every other address. Kept apart from `envSchema` so no secret ends up in the parsed `Env`; an
 * empty value is unset, as `secretsFromEnv` reads it.
 */
const secretValueEnv = z.object(
  Object.fromEntries(
    INTEGRATION_SECRETS.flatMap((s) =>
      s.value ? [[s.env, z.preprocess((v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined), s.value.optional())]] : [],
    ),
  ) as Record<string, z.ZodType>,
);

/** Environment variables that carry secrets, and the secret names they fill. */
export const SECRET_ENV: Record<string, string> = {
  LEADBELL_WEBHOOK_SECRET: 'webhook.default',
  NGROK_AUTHTOKEN: 'tunnel.ngrok.authtoken',
  LEADBELL_RELAY_SECRET: 'relay.secret',
  LEADBELL_BACKUP_PASSPHRASE: 'backup.passphrase',
  ...Object.fromEntries(INTEGRATION_SECRETS.map((s) => [s.env, s.name])),
};

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(env);
  const secrets = secretValueEnv.safeParse(env);
  if (!parsed.success || !secrets.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(secrets.error?.issues ?? [])];
    const lines = issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function secretsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [v, name] of Object.entries(SECRET_ENV)) {
    const value = env[v]?.trim();
    if (value) out[name] = value;
  }
  return out;
}

/**
 * Where the core listens, from the environment. A port whose variable is set is the owner's choice
 * (refused when taken); the defaults may move to a free port (config/ports.ts).
 */
export function listenFromEnv(raw: NodeJS.ProcessEnv, env: Env) {
  const given = (name: string) => (raw[name] ?? '').trim() !== '';
  return {
    host: env.LEADBELL_HOST,
    port: env.LEADBELL_PORT,
    tunnelPort: env.LEADBELL_TUNNEL_PORT,
    movable: { port: !given('LEADBELL_PORT'), tunnelPort: !given('LEADBELL_TUNNEL_PORT') },
  };
}

/** The OS's per-user app-data folder, the same one Electron's userData uses for "Leadbell". */
export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Leadbell');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Leadbell');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Leadbell');
}

/** Applies env overrides to settings and names the ones applied. */
export function envOverrides(env: Env): { apply: (s: Settings) => Settings; names: string[] } {
  const names: string[] = [];
  const has = (k: keyof Env) => env[k] !== undefined && (names.push(k), true);
  const used = {
    rate: has('LEADBELL_RATE_LIMIT'),
    ips: has('LEADBELL_ALLOWED_IPS'),
    origins: has('LEADBELL_ALLOWED_ORIGINS'),
    thanks: has('LEADBELL_THANK_YOU_URL'),
    tunnel: has('LEADBELL_TUNNEL'),
    tunnelHost: has('LEADBELL_TUNNEL_HOST'),
    subdomain: has('LEADBELL_TUNNEL_SUBDOMAIN'),
    ngrokDomain: has('NGROK_DOMAIN'),
    relay: has('LEADBELL_RELAY_URL'),
    backupDir: has('LEADBELL_BACKUP_DIR'),
  };
  const integrations: Record<string, Record<string, unknown>> = {};
  for (const o of INTEGRATION_OPTION_ENV) if (has(o.env)) (integrations[o.integration] ??= {})[o.key] = env[o.env];
  return {
    names,
    apply: (s) => ({
      ...s,
      receiver: {
        ...s.receiver,
        ...(used.rate && { rate_limit_per_minute: env.LEADBELL_RATE_LIMIT! }),
        ...(used.ips && { allowed_ips: env.LEADBELL_ALLOWED_IPS! }),
        ...(used.origins && { allowed_origins: env.LEADBELL_ALLOWED_ORIGINS! }),
        ...(used.thanks && { thank_you_url: env.LEADBELL_THANK_YOU_URL! }),
      },
      tunnel: {
        ...s.tunnel,
        ...(used.tunnel && env.LEADBELL_TUNNEL === 'off' && { enabled: false }),
        ...(used.tunnel && env.LEADBELL_TUNNEL !== 'off' && { enabled: true, provider: env.LEADBELL_TUNNEL! }),
        ...(used.tunnelHost && { host: env.LEADBELL_TUNNEL_HOST! }),
        ...(used.subdomain && { subdomain: env.LEADBELL_TUNNEL_SUBDOMAIN! }),
        ...(used.ngrokDomain && { ngrok_domain: env.NGROK_DOMAIN! }),
      },
      relay: { ...s.relay, ...(used.relay && { url: env.LEADBELL_RELAY_URL!.replace(/\/$/, '') }) },
      backup: { ...s.backup, ...(used.backupDir && { folder: env.LEADBELL_BACKUP_DIR! }) },
      integrations: overlayIntegrations(s.integrations, integrations),
    }),
  };
}

/** Env-given integration options laid over each integration's settings. */
function overlayIntegrations(current: Settings['integrations'], given: Record<string, Record<string, unknown>>): Settings['integrations'] {
  const out = { ...current };
  for (const [name, values] of Object.entries(given)) out[name] = { ...current[name], ...values };
  return out;
}
