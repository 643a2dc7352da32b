/**
 * What the tunnel supervisor is given and reports: its dependencies, its timings (tests make them
 * fast), the URL-change notice, and the status of a tunnel that is not running.
 */
import type { TunnelStatus } from '../../../shared/api/models.js';
import type { TunnelProviderName } from '../../../shared/settings.js';
import type { Logger } from '../log/logger.js';
import type { SettingsStore } from '../storage/settings-store.js';
import type { NgrokSdk } from './ngrok-sdk.js';
import type { TunnelProvider } from './provider.js';

export interface TunnelTimings {
  /** Opening a tunnel (registration and the first connection) gives up after this long. */
  openTimeoutMs: number;
  /** How often the public URL is checked (and sleep or a network change looked for). */
  checkIntervalMs: number;
  checkTimeoutMs: number;
  /** After a failed check the next one comes this soon, so a dead tunnel is found quickly. */
  recheckMs: number;
  /** Consecutive failed checks after which the tunnel is reopened. */
  failedChecksBeforeReconnect: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Spread of each backoff delay (0.2 = ±20%), so many installations do not retry in step. */
  backoffJitter: number;
  /** Times to ask for the own subdomain before accepting another one. */
  subdomainAttempts: number;
  /** While on a stand-in subdomain, how often to try to get the own one back. */
  reclaimIntervalMs: number;
  /** A timer this late means the computer was asleep. */
  sleepGapMs: number;
}

export const DEFAULT_TUNNEL_TIMINGS: TunnelTimings = {
  openTimeoutMs: 15_000,
  checkIntervalMs: 5_000,
  checkTimeoutMs: 5_000,
  recheckMs: 1_000,
  failedChecksBeforeReconnect: 2,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  backoffJitter: 0.2,
  subdomainAttempts: 5,
  reclaimIntervalMs: 60_000,
  sleepGapMs: 30_000,
};

export interface UrlChange {
  previous_url: string | null;
  url: string;
  requested_subdomain: string;
  assigned_subdomain: string;
  /** True while the tunnel runs on another subdomain than the installation's own. */
  url_changed: boolean;
}

export interface TunnelSupervisorDeps {
  settings: SettingsStore;
  /** Every provider the settings may choose; the same restart, backoff and same-URL logic runs them all. */
  providers: Record<TunnelProviderName, TunnelProvider>;
  /** The receiver's loopback tunnel ingress port: the only thing the tunnel forwards to. */
  port: number;
  /** The receiver's /health instance id, proving a check reached this process. */
  instanceId: string;
  log: Logger;
  timings?: Partial<TunnelTimings>;
  /** Wall-clock time; a jump between checks is how sleep is noticed. */
  now?: () => number;
  /** A summary of the network interfaces; a change means the network came back or moved. */
  network?: () => string;
  /** Notable changes (state, URL, error, reconnects), not every successful check. */
  onStatus?: (status: TunnelStatus) => void;
  onUrlChanged?: (change: UrlChange) => void;
}

/** What the embedder may set: providers to use instead of the real ones, and for tests fast timings, a clock and a network probe. */
export type TunnelOptions = Partial<Pick<TunnelSupervisorDeps, 'timings' | 'now' | 'network'>> & {
  providers?: Partial<TunnelSupervisorDeps['providers']>;
  /** The ngrok SDK to drive the real ngrok provider with (tests give a fake of it). */
  ngrokSdk?: () => Promise<NgrokSdk>;
};

/** The status of a tunnel that is not running (turned off, or never asked for). */
export function disabledTunnelStatus(provider: string): TunnelStatus {
  return {
    state: 'disabled',
    provider,
    url: null,
    requested_subdomain: null,
    last_check_at: null,
    last_ok_at: null,
    last_error: null,
    reconnects: 0,
    url_changed: false,
  };
}
