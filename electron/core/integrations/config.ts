/**
 * How a client reads its configuration at call time: secrets from the SecretStore, non-secret
 * options from settings.integrations.<name> validated with the catalog's schema for it, and the
 * shared outbound profile (rate pacer per vendor account, timeout, logger).
 */
import { httpUrl } from '../../../shared/http-url.js';
import { INTEGRATIONS, type IntegrationOptions } from '../../../shared/integrations/index.js';
import type { Logger } from '../log/logger.js';
import { DEFAULT_TIMEOUT_MS, type OutboundResponse, type VendorProfile } from '../outbound/http-call.js';
import type { HttpSend } from '../outbound/http-transport.js';
import { RATE_POLICIES, type PacerRegistry, type RatePolicy, type Vendor } from '../outbound/rate-limiter.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { NotConfiguredError, PermanentError } from './types.js';

export interface ClientDeps {
  secrets: SecretStore;
  settings: SettingsStore;
  log: Logger;
  send: HttpSend;
  timeoutMs: number;
  pacers: PacerRegistry;
  rateLimits: Record<Vendor, RatePolicy>;
}

export const DEFAULT_CLIENT_OPTIONS = { timeoutMs: DEFAULT_TIMEOUT_MS, rateLimits: RATE_POLICIES };

type Parsed = ReturnType<(typeof INTEGRATIONS)[Vendor]['options']['safeParse']>;
/**
 * Parsed options per settings document: the document is replaced on every change, and a call
 * step's options are read twice (is it set up? then the call itself), so each is parsed once.
 */
const parsedOptions = new WeakMap<object, Map<Vendor, Parsed>>();

function parseOptions(deps: ClientDeps, name: Vendor): Parsed {
  const settings = deps.settings.get();
  let byName = parsedOptions.get(settings);
  if (!byName) parsedOptions.set(settings, (byName = new Map()));
  let parsed = byName.get(name);
  if (!parsed) byName.set(name, (parsed = INTEGRATIONS[name].options.safeParse(settings.integrations[name] ?? {})));
  return parsed;
}

/** The validated options of one integration; a bad stored value is a clear, permanent error. */
export function readOptions<N extends Vendor>(deps: ClientDeps, name: N): IntegrationOptions<N> {
  const { label } = INTEGRATIONS[name];
  const parsed = parseOptions(deps, name);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${[name, ...i.path].join('.')} ${i.message}`).join('; ');
    throw new PermanentError(`${label} settings are invalid: ${why}`);
  }
  if (!parsed.data.enabled) throw new NotConfiguredError(`${label} is turned off in settings`);
  return parsed.data as IntegrationOptions<N>;
}

/** A required secret, or NotConfiguredError with the sentence the owner sees. */
export function requireSecret(deps: ClientDeps, name: string, notConfigured: string): string {
  const value = deps.secrets.get(name);
  if (!value) throw new NotConfiguredError(notConfigured);
  return value;
}

/** A secret that must be an http(s) URL (Discord and Slack webhooks); never echoed in errors. */
export function requireUrlSecret(deps: ClientDeps, name: string, label: string, notConfigured: string): string {
  const value = requireSecret(deps, name, notConfigured);
  if (!httpUrl.safeParse(value).success) throw new PermanentError(`the ${label} is not a valid http(s) URL: paste it again`);
  return value;
}

type Hooks = Pick<VendorProfile, 'errorMessage' | 'retryAfterFromBody' | 'classify'>;

/**
 * The outbound profile of one vendor account. `credentials` identify the account (its pacer is
 * keyed by them and the base URL) and are masked out of whatever the vendor says back.
 */
export function vendorProfile(deps: ClientDeps, vendor: Vendor, baseUrl: string, credentials: string[], hooks: Hooks = {}): VendorProfile {
  return {
    name: INTEGRATIONS[vendor].label,
    integration: vendor,
    pacer: deps.pacers.get(vendor, [baseUrl, ...credentials].join('\n'), deps.rateLimits[vendor]),
    secrets: credentials,
    send: deps.send,
    log: deps.log,
    timeoutMs: deps.timeoutMs,
    ...hooks,
  };
}

/** A field of a JSON answer by path, e.g. (res, "error", "code"); undefined when absent. */
export function bodyField(res: OutboundResponse, ...path: string[]): unknown {
  let v: unknown = res.json;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** A non-empty string field of a JSON answer, e.g. its `message`. */
export function bodyText(res: OutboundResponse, ...path: string[]): string | undefined {
  const v = bodyField(res, ...path);
  return typeof v === 'string' && v ? v : undefined;
}

/** What `test()` reports for a call that went through: the vendor's status and answer. */
/** What every vendor client offers besides its calls. */
export interface IntegrationClient {
  /** One harmless real call; the vendor's answer. */
  test(): Promise<TestAnswer>;
  /** Throws NotConfiguredError when it is not set up (reads settings and secrets only, no call). */
  ready(): void;
}

export interface TestAnswer {
  status: number;
  detail: string;
}

export function answer(res: OutboundResponse, fallback = 'ok'): TestAnswer {
  return { status: res.status, detail: res.text.trim().slice(0, 500) || fallback };
}
