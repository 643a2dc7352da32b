/**
 * Keeps the public webhook URL up and unchanged. The installation asks for its own subdomain on
 * every open; a tunnel only counts as online once a request through its public URL reached this
 * process. Lost tunnels are reopened (at once, then with capped exponential backoff), and so is
 * the tunnel after the computer slept or the network changed. If the server will not give the
 * subdomain back, another one is accepted after a few tries and the owner is told loudly.
 */
import type { TunnelStatus } from '../../../shared/api/models.js';
import { backoffDelay, type BackoffPolicy } from '../backoff.js';
import { checkThroughTunnel, formatSeconds } from './health-check.js';
import { networkFingerprint } from './network.js';
import { TunnelOpenError, type OpenTunnel, type TunnelProvider } from './provider.js';
import { DEFAULT_TUNNEL_TIMINGS, disabledTunnelStatus, type TunnelSupervisorDeps, type TunnelTimings } from './supervisor-options.js';
import { addressChanged, readTunnelConfig, type TunnelConfig } from './tunnel-config.js';

const NOTABLE: (keyof TunnelStatus)[] = ['state', 'provider', 'url', 'last_error', 'url_changed', 'reconnects', 'requested_subdomain'];

export class TunnelSupervisor {
  private readonly timings: TunnelTimings;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private readonly network: () => string;
  private cfg: TunnelConfig = { enabled: false, provider: 'localtunnel', host: '', subdomain: '' };
  private current: TunnelStatus;
  private tunnel: OpenTunnel | null = null;
  /** Bumped whenever the current attempt or tunnel is abandoned: late results of older ones are dropped. */
  private gen = 0;
  /** Aborted with each abandon(), so pending opens and checks stop at once. */
  private abort = new AbortController();
  private retryTimer: NodeJS.Timeout | null = null;
  private beatTimer: NodeJS.Timeout | null = null;
  private beatDueAt = 0;
  private lastNetwork = '';
  /** Consecutive attempts that did not give a tunnel that survived its first periodic check. */
  private failures = 0;
  private mismatches = 0;
  private failedChecks = 0;
  private lastOnlineUrl: string | null = null;
  private lastReclaimAt = 0;
  private reclaiming = false;
  private unsubscribe: (() => void) | null = null;
  private running = false;

  constructor(private readonly deps: TunnelSupervisorDeps) {
    this.timings = { ...DEFAULT_TUNNEL_TIMINGS, ...deps.timings };
    this.backoff = { baseMs: this.timings.backoffBaseMs, capMs: this.timings.backoffMaxMs, jitter: { spread: this.timings.backoffJitter } };
    this.now = deps.now ?? Date.now;
    this.network = deps.network ?? networkFingerprint;
    this.current = disabledTunnelStatus(deps.settings.get().tunnel.provider);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.cfg = readTunnelConfig(this.deps.settings, this.deps.log);
    this.unsubscribe = this.deps.settings.onChange(() => this.onSettings());
    this.restart();
  }

  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.abandon();
    this.stopBeat();
  }

  status(): TunnelStatus {
    return this.current;
  }

  /** Reopens the tunnel at once (wake from sleep, network back, the owner's button). False if it is off. */
  reconnectNow(reason: string): boolean {
    if (!this.running || !this.cfg.enabled) return false;
    this.deps.log.info('reopening the tunnel', { reason });
    this.abandon();
    this.failures = 0;
    this.mismatches = 0;
    this.set({
      state: this.current.state === 'online' ? 'reconnecting' : this.current.state,
      reconnects: this.current.reconnects + 1,
    });
    void this.attempt();
    return true;
  }

  private onSettings(): void {
    if (!this.running) return;
    const next = readTunnelConfig(this.deps.settings, this.deps.log);
    const prev = this.cfg;
    if (next.enabled === prev.enabled && !addressChanged(next, prev)) return;
    // An address the owner chose on purpose is not announced as a change.
    if (addressChanged(next, prev)) this.lastOnlineUrl = null;
    this.cfg = next;
    this.restart();
  }

  private restart(): void {
    this.abandon();
    this.stopBeat();
    this.failures = 0;
    this.mismatches = 0;
    const base = { provider: this.cfg.provider, url: null, last_error: null, url_changed: false, requested_subdomain: this.cfg.subdomain };
    if (!this.cfg.enabled) {
      this.set({ ...base, state: 'disabled' });
      return;
    }
    this.set({ ...base, state: 'connecting' });
    this.lastNetwork = this.network();
    this.scheduleBeat();
    void this.attempt();
  }

  /** Drops the current tunnel and any pending attempt. */
  private abandon(): void {
    this.gen++;
    this.abort.abort();
    this.abort = new AbortController();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.tunnel?.close();
    this.tunnel = null;
    this.failedChecks = 0;
  }

  private async attempt(): Promise<void> {
    const gen = this.gen;
    const { signal } = this.abort;
    const { host, subdomain } = this.cfg;
    let tunnel: OpenTunnel;
    try {
      tunnel = await this.provider().open({ port: this.deps.port, subdomain, host, timeoutMs: this.timings.openTimeoutMs, signal });
    } catch (err) {
      if (gen !== this.gen) return;
      const kind = err instanceof TunnelOpenError ? err.kind : 'invalid';
      this.retry(kind === 'unreachable' ? 'offline' : 'error', err instanceof Error ? err.message : String(err));
      return;
    }
    if (gen !== this.gen) return tunnel.close();
    if (tunnel.subdomain !== subdomain) {
      this.mismatches++;
      if (this.mismatches < this.timings.subdomainAttempts) {
        tunnel.close();
        this.retry(
          null,
          `the tunnel server gave "${tunnel.subdomain}" instead of "${subdomain}", which it still holds; ` +
            `asking again (${this.mismatches} of ${this.timings.subdomainAttempts})`,
        );
        return;
      }
    }
    const problem = await checkThroughTunnel(tunnel.url, this.deps.instanceId, this.timings.checkTimeoutMs, signal);
    if (gen !== this.gen) return tunnel.close();
    if (problem) {
      tunnel.close();
      this.retry('error', `the tunnel opened at ${tunnel.url}, but a check through it failed: ${problem}`);
      return;
    }
    this.install(tunnel);
  }

  private provider(): TunnelProvider {
    return this.deps.providers[this.cfg.provider];
  }

  private retry(state: 'offline' | 'error' | null, message: string): void {
    this.failures++;
    const delay = backoffDelay(this.backoff, this.failures);
    this.deps.log.warn('the tunnel is not up', { error: message, retry_in_ms: delay });
    this.set({ ...(state && { state }), last_error: message });
    const gen = this.gen;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (gen === this.gen) void this.attempt();
    }, delay);
  }

  /** Makes a verified tunnel the current one. */
  private install(tunnel: OpenTunnel): void {
    const gen = this.gen;
    this.tunnel = tunnel;
    tunnel.onLost((err) => {
      if (gen === this.gen) this.lost(`the tunnel connection failed: ${err.message}`);
    });
    const own = tunnel.subdomain === this.cfg.subdomain;
    const previous = this.lastOnlineUrl;
    const at = this.isoNow();
    this.lastOnlineUrl = tunnel.url;
    this.lastReclaimAt = this.now();
    this.mismatches = 0;
    this.set({ state: 'online', url: tunnel.url, last_ok_at: at, last_check_at: at, last_error: own ? null : this.standInMessage(tunnel), url_changed: !own });
    this.deps.log.info('the tunnel is online', { url: tunnel.url });
    if (tunnel.url !== previous && (previous !== null || !own)) {
      this.deps.log.warn('the public URL changed', { previous_url: previous, url: tunnel.url });
      this.deps.onUrlChanged?.({
        previous_url: previous,
        url: tunnel.url,
        requested_subdomain: this.cfg.subdomain,
        assigned_subdomain: tunnel.subdomain,
        url_changed: !own,
      });
    }
  }

  private standInMessage(tunnel: OpenTunnel): string {
    return `the tunnel server would not give back "${this.cfg.subdomain}" after ${this.timings.subdomainAttempts} tries; the public URL is ${tunnel.url} for now`;
  }

  private lost(reason: string): void {
    this.deps.log.warn('the tunnel was lost', { reason });
    this.abandon();
    this.set({ state: 'reconnecting', last_error: reason, reconnects: this.current.reconnects + 1 });
    if (this.failures === 0) void this.attempt();
    else this.retry(null, reason);
  }

  private scheduleBeat(): void {
    const delay = this.failedChecks > 0 ? Math.min(this.timings.recheckMs, this.timings.checkIntervalMs) : this.timings.checkIntervalMs;
    this.beatDueAt = this.now() + delay;
    this.beatTimer = setTimeout(() => void this.beat(), delay);
  }

  private stopBeat(): void {
    if (this.beatTimer) clearTimeout(this.beatTimer);
    this.beatTimer = null;
  }

  /** Every few seconds: notice sleep and network changes, and check the public URL. */
  private async beat(): Promise<void> {
    this.beatTimer = null;
    const late = this.now() - this.beatDueAt;
    const network = this.network();
    const networkChanged = network !== this.lastNetwork;
    this.lastNetwork = network;
    if (late > this.timings.sleepGapMs) this.reconnectNow(`the computer was asleep (a timer ran ${formatSeconds(late)} late)`);
    else if (networkChanged && this.current.state !== 'online') this.reconnectNow('the network changed');
    else if (this.tunnel) await this.checkCurrent(this.tunnel);
    // Settings may have restarted (and rescheduled) or disabled the tunnel meanwhile.
    if (this.running && this.cfg.enabled && this.beatTimer === null) this.scheduleBeat();
  }

  private async checkCurrent(tunnel: OpenTunnel): Promise<void> {
    const gen = this.gen;
    const problem = await checkThroughTunnel(tunnel.url, this.deps.instanceId, this.timings.checkTimeoutMs, this.abort.signal);
    if (gen !== this.gen) return;
    const at = this.isoNow();
    if (!problem) {
      this.failedChecks = 0;
      this.failures = 0;
      const own = !this.current.url_changed;
      this.set({ state: 'online', last_check_at: at, last_ok_at: at, last_error: own ? null : this.standInMessage(tunnel) });
      if (!own && this.now() - this.lastReclaimAt >= this.timings.reclaimIntervalMs) void this.reclaim();
      return;
    }
    this.failedChecks++;
    this.set({ last_check_at: at, last_error: problem });
    if (this.failedChecks >= this.timings.failedChecksBeforeReconnect) this.lost(`checks through ${tunnel.url} failed: ${problem}`);
  }

  /** On a stand-in subdomain: opens a second tunnel on the own one and switches if it is free again. */
  private async reclaim(): Promise<void> {
    if (this.reclaiming) return;
    this.reclaiming = true;
    this.lastReclaimAt = this.now();
    const gen = this.gen;
    const { signal } = this.abort;
    const { host, subdomain } = this.cfg;
    try {
      const probe = await this.provider().open({ port: this.deps.port, subdomain, host, timeoutMs: this.timings.openTimeoutMs, signal });
      const problem = probe.subdomain === subdomain ? await checkThroughTunnel(probe.url, this.deps.instanceId, this.timings.checkTimeoutMs, signal) : 'taken';
      if (gen !== this.gen || problem) return probe.close();
      this.abandon();
      this.install(probe);
    } catch (err) {
      this.deps.log.debug('the own subdomain is not available yet', { error: err as Error });
    } finally {
      this.reclaiming = false;
    }
  }

  private set(patch: Partial<TunnelStatus>): void {
    const prev = this.current;
    this.current = { ...prev, ...patch };
    if (NOTABLE.some((k) => prev[k] !== this.current[k])) this.deps.onStatus?.(this.current);
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
