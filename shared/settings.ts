/** Typed settings, validated on every write and every read of stored JSON. */
import { z } from 'zod';
import { ENDPOINTS, isEndpointName } from './events/catalog.js';
import { INTEGRATION_SECRETS } from './integrations/index.js';
import { httpUrl } from './http-url.js';
import { alertSettings } from './alerts.js';

export const SIGNATURE_SCHEMES = ['auto', 'none', 'leadbell', 'standard-webhooks', 'typeform', 'tally', 'stripe', 'webflow', 'calendly'] as const;
export const signatureScheme = z.enum(SIGNATURE_SCHEMES);
export type SignatureScheme = z.infer<typeof signatureScheme>;

const ipOrCidr = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'must be an IP address or CIDR range like 203.0.113.0/24');

const origin = z
  .string()
  .trim()
  .refine((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o), 'must be an origin like https://example.com (no path) or *');

export const endpointSettings = z.object({
  enabled: z.boolean().default(true),
  /** 'auto': any known scheme whose header is present must verify; 'none': never checked. */
  signature: signatureScheme.default('auto'),
  /** A browser form cannot keep a secret: origins, honeypot and rate limit protect it instead. */
  public_form: z.boolean().default(false),
});
export type EndpointSettings = z.infer<typeof endpointSettings>;

const endpointDefaults = Object.fromEntries(
  ENDPOINTS.map((e) => [e, endpointSettings.parse({ public_form: e === 'lead-optin' })]),
) as Record<(typeof ENDPOINTS)[number], EndpointSettings>;

/** A named endpoint's address: /api/webhooks/<slug>. */
export const ENDPOINT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * An address of its own for one form ("Spring promo form", "Booking page"): it acts as one of the
 * built-in endpoints (which event it makes), fills in a segment and source the form does not
 * send, and has its own signature settings and secret (`webhook.<slug>`). Its mappings are saved
 * under its slug.
 */
export const namedEndpoint = endpointSettings.extend({
  slug: z
    .string()
    .trim()
    .regex(ENDPOINT_SLUG, 'must be lower-case letters, digits and dashes, like spring-promo')
    .refine((s) => !isEndpointName(s), 'is the name of a built-in address: choose another'),
  name: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  kind: z.enum(ENDPOINTS),
  segment: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), z.string().trim().toLowerCase().max(100).nullable().default(null)),
  source: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), z.string().trim().max(200).nullable().default(null)),
  public_form: z.boolean().default(true),
});
export type NamedEndpoint = z.infer<typeof namedEndpoint>;

export const receiverSettings = z.object({
  rate_limit_per_minute: z.number().int().min(0).max(1_000_000).default(100),
  allowed_ips: z.array(ipOrCidr).max(500).default([]),
  allowed_origins: z.array(origin).max(100).default(['*']),
  // Only a web page: a javascript: or data: URL in the redirect would run in the visitor's browser.
  thank_you_url: httpUrl.nullable().default(null),
  max_body_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  honeypot_field: z.string().min(1).max(64).default('website'),
  paused: z.boolean().default(false),
  /**
   * The ports Leadbell moved to when the default (4747, 4749) was taken, kept so the local
   * address stays put; null: the default. Read at start; LEADBELL_PORT / LEADBELL_TUNNEL_PORT win.
   */
  port: z.number().int().min(1).max(65535).nullable().default(null),
  tunnel_port: z.number().int().min(1).max(65535).nullable().default(null),
  endpoints: z
    .object(Object.fromEntries(ENDPOINTS.map((e) => [e, endpointSettings.optional()])) as Record<
      (typeof ENDPOINTS)[number],
      z.ZodOptional<typeof endpointSettings>
    >)
    .default({})
    .transform((eps) => ({ ...endpointDefaults, ...Object.fromEntries(Object.entries(eps).filter(([, v]) => v)) }) as Record<
      (typeof ENDPOINTS)[number],
      EndpointSettings
    >),
  named_endpoints: z
    .array(namedEndpoint)
    .max(50, 'has at most 50 addresses')
    .default([])
    .superRefine((list, ctx) => {
      list.forEach((e, i) => {
        if (list.findIndex((o) => o.slug === e.slug) !== i) ctx.addIssue({ code: 'custom', path: [i, 'slug'], message: `"${e.slug}" is used by another address` });
      });
    }),
});
export type ReceiverSettings = z.infer<typeof receiverSettings>;

/** The live tunnels Leadbell can run; "off" is `enabled: false`. */
export const TUNNEL_PROVIDERS = ['localtunnel', 'ngrok'] as const;
export type TunnelProviderName = (typeof TUNNEL_PROVIDERS)[number];

export const tunnelSettings = z.object({
  enabled: z.boolean().default(true),
  provider: z.enum(TUNNEL_PROVIDERS).default('localtunnel'),
  /** localtunnel: the tunnel server. */
  host: httpUrl.default('https://localtunnel.me'),
  /** localtunnel: the subdomain to ask for (generated once). */
  subdomain: z
    .string()
    .regex(/^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/, 'must be 4-63 lower-case letters, digits or dashes')
    .nullable()
    .default(null),
  /** ngrok: the account's static domain, e.g. bella-salon.ngrok-free.app; its authtoken is a secret. */
  ngrok_domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name like bella-salon.ngrok-free.app (no https://, no path)')
    .nullable()
    .default(null),
});
export type TunnelSettings = z.infer<typeof tunnelSettings>;

/**
 * How long and how much of the request log is kept. Accepted requests are the record and are never
 * pruned; rejected, spam, duplicate and ignored ones (stored as a short excerpt) go first by age, then,
 * oldest first, whenever they take more than the cap.
 */
export const inboxSettings = z.object({
  retention_days: z.number().int().min(1).max(3650).default(30),
  max_mb: z.number().int().min(1).max(100_000).default(100),
});
export type InboxSettings = z.infer<typeof inboxSettings>;
/** The always-on relay (a Worker on the owner's Cloudflare account); its secret and key live in the secret store. */
export const relaySettings = z.object({
  /** The relay's public address, e.g. https://leadbell-relay.example.workers.dev; null: not set up. */
  url: httpUrl.nullable().default(null),
  /** Filled in by the one-click deployment, so it can redeploy or remove the Worker. */
  account_id: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character Cloudflare account id').nullable().default(null),
  script_name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits or dashes').default('leadbell-relay'),
});
export type RelaySettings = z.infer<typeof relaySettings>;

export const appSettings = z.object({
  launch_at_login: z.boolean().default(false),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /**
   * Besides the bell, one message in the team channel (through Slack or Discord) when an app's
   * calls are given up or its key is refused: once per app per episode, never through the app
   * that is failing.
   */
  problem_message: z.enum(['off', 'slack', 'discord']).default('off'),
});

/** Scheduled, encrypted backups; the passphrase is a secret (backup.passphrase). */
export const backupSettings = z.object({
  /** The folder backups go to (a synced folder, a USB disk); null: the data folder's backups/. */
  folder: z
    .string()
    .trim()
    .min(1)
    .max(1024)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be a full folder path, like /Users/ana/Dropbox/Leadbell')
    .nullable()
    .default(null),
  scheduled: z.boolean().default(true),
  every_hours: z.number().int().min(1, 'must be at least 1 hour').max(24 * 30, 'must be at most 30 days').default(24),
  keep: z.number().int().min(1, 'must keep at least 1').max(365).default(7),
});
export type BackupSettings = z.infer<typeof backupSettings>;

/** Desktop updates: stable releases, or betas too. */
export const updateSettings = z.object({
  channel: z.enum(['stable', 'beta']).default('stable'),
});

/** The stages the owner moves leads through by hand (the flows keep their own automatic stage). */
export const DEFAULT_OWNER_STAGES = ['new', 'contacted', 'booked', 'customer', 'lost'];
export const leadsSettings = z.object({
  owner_stages: z
    .array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'))
    .min(1, 'must keep at least one stage')
    .max(30, 'can hold at most 30 stages')
    .refine((a) => new Set(a.map((x) => x.toLowerCase())).size === a.length, 'must not list a stage twice')
    .default(DEFAULT_OWNER_STAGES),
});

export const settings = z.object({
  receiver: receiverSettings.default(receiverSettings.parse({})),
  tunnel: tunnelSettings.default(tunnelSettings.parse({})),
  inbox: inboxSettings.default(inboxSettings.parse({})),
  relay: relaySettings.default(relaySettings.parse({})),
  app: appSettings.default(appSettings.parse({})),
  alerts: alertSettings.default(alertSettings.parse({})),
  backup: backupSettings.default(backupSettings.parse({})),
  updates: updateSettings.default(updateSettings.parse({})),
  leads: leadsSettings.default(leadsSettings.parse({})),
  /** Per-integration non-secret options (checked on save against shared/integrations) and per-flow settings (the flows' schemas). */
  integrations: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  flows: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
export type Settings = z.infer<typeof settings>;

/** A patch: each section may be given in part; arrays and leaves replace. */
export const settingsPatch = z.object({
  receiver: z.record(z.string(), z.unknown()).optional(),
  tunnel: z.record(z.string(), z.unknown()).optional(),
  inbox: z.record(z.string(), z.unknown()).optional(),
  relay: z.record(z.string(), z.unknown()).optional(),
  app: z.record(z.string(), z.unknown()).optional(),
  alerts: z.record(z.string(), z.unknown()).optional(),
  backup: z.record(z.string(), z.unknown()).optional(),
  updates: z.record(z.string(), z.unknown()).optional(),
  leads: z.record(z.string(), z.unknown()).optional(),
  integrations: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  flows: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatch>;

/** Names of secrets: write-only through the API; the UI sees only whether each is set. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'webhook.default',
  ...ENDPOINTS.map((e) => `webhook.${e}`),
  ...INTEGRATION_SECRETS.map((s) => s.name),
  'tunnel.ngrok.authtoken',
  'backup.passphrase',
]);
/** A named endpoint's own signing secret; any slug's, so it can be set before or after the address is added. */
const NAMED_ENDPOINT_SECRET = new RegExp(`^webhook\\.${ENDPOINT_SLUG.source.slice(1, -1)}$`);
export const isSecretName = (name: string) => SECRET_NAMES.has(name) || NAMED_ENDPOINT_SECRET.test(name);
export const secretName = z.string().refine(isSecretName, 'is not a known secret name');
