/**
 * What the supervisor runs, read from the settings: which provider, and the address to ask it
 * for. localtunnel: a server and the installation's own subdomain (generated once); ngrok: the
 * account's static domain (the server is ngrok's own).
 */
import type { TunnelProviderName } from '../../../shared/settings.js';
import type { Logger } from '../log/logger.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { newSubdomain } from './subdomain.js';

export interface TunnelConfig {
  enabled: boolean;
  provider: TunnelProviderName;
  host: string;
  /** The name to ask for and to compare the assigned one with: a subdomain, or ngrok's domain. */
  subdomain: string;
}

export function readTunnelConfig(settings: SettingsStore, log: Logger): TunnelConfig {
  let t = settings.get().tunnel;
  if (t.subdomain === null) {
    t = settings.update({ tunnel: { subdomain: newSubdomain() } }).tunnel;
    log.info('chose the tunnel subdomain for this installation', { subdomain: t.subdomain });
  }
  if (t.provider === 'ngrok') return { enabled: t.enabled, provider: 'ngrok', host: '', subdomain: t.ngrok_domain ?? '' };
  return { enabled: t.enabled, provider: t.provider, host: t.host.replace(/\/+$/, ''), subdomain: t.subdomain ?? '' };
}

/** True when the public address itself differs (another provider, server or name). */
export function addressChanged(a: TunnelConfig, b: TunnelConfig): boolean {
  return a.provider !== b.provider || a.host !== b.host || a.subdomain !== b.subdomain;
}
