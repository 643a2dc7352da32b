/**
 * The relay as the core sees it: started when a relay address is set (Settings, or
 * LEADBELL_RELAY_URL in headless mode), restarted when it changes, off otherwise.
 */
import type { RelayStatus } from '../../../shared/api/models.js';
import type { Settings } from '../../../shared/settings.js';
import type { RelayedRequest, RelayedResult } from '../ingest/relayed.js';
import type { Logger } from '../log/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { RelayClient, type RelayClientDeps } from './client.js';
import { publicHalf, relayPrivateKey, relaySecret } from './keys.js';
import { unsealer } from './unseal.js';

export interface RelayServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  deliver: (r: RelayedRequest) => Promise<RelayedResult>;
  log: Logger;
  onStatus: () => void;
  onDrained?: (count: number) => void;
  backoffMs?: RelayClientDeps['backoffMs'];
  heartbeatMs?: number;
}

export const offRelayStatus: RelayStatus = {
  state: 'off',
  url: null,
  detail: null,
  backlog: null,
  arrived_while_away: null,
  last_connected_at: null,
  delivered: 0,
  usage: null,
  outdated: false,
};

export class RelayService {
  private client: RelayClient | null = null;
  private url: string | null = null;
  private hello = '';
  private generation = 0;

  constructor(private readonly deps: RelayServiceDeps) {
    deps.settings.onChange((s) => this.apply(s));
  }

  start(): void {
    this.apply(this.deps.settings.get());
  }

  status(): RelayStatus {
    const s = this.deps.settings.get();
    if (s.relay.url && s.receiver.paused) {
      return { ...offRelayStatus, url: s.relay.url, detail: 'Receiving is paused: requests wait on the relay until you resume.' };
    }
    return this.client?.status() ?? offRelayStatus;
  }

  /** Reconnects at once (after a deployment, or on wake from sleep). */
  restart(): void {
    this.url = null;
    this.apply(this.deps.settings.get());
  }

  stop(): void {
    this.generation += 1;
    this.client?.stop();
    this.client = null;
  }

  private apply(s: Settings): void {
    // While receiving is paused, requests stay on the relay (their senders already had a 202).
    const url = s.receiver.paused ? null : s.relay.url;
    const hello = JSON.stringify([s.receiver.allowed_origins, s.receiver.thank_you_url]);
    if (url === this.url) {
      if (hello !== this.hello) this.client?.refreshHello();
      this.hello = hello;
      return;
    }
    this.stop();
    this.url = url;
    this.hello = hello;
    if (!url) {
      this.deps.onStatus();
      return;
    }
    const generation = this.generation;
    const privateKey = relayPrivateKey(this.deps.secrets);
    void unsealer(privateKey).then((unseal) => {
      if (generation !== this.generation) return;
      this.client = new RelayClient({
        url,
        secret: relaySecret(this.deps.secrets),
        unseal,
        hello: () => {
          const r = this.deps.settings.get().receiver;
          return { type: 'hello', public_key: publicHalf(privateKey), allowed_origins: r.allowed_origins, thank_you_url: r.thank_you_url };
        },
        deliver: this.deps.deliver,
        log: this.deps.log,
        onStatus: this.deps.onStatus,
        onDrained: this.deps.onDrained,
        backoffMs: this.deps.backoffMs,
        heartbeatMs: this.deps.heartbeatMs,
      });
      this.client.start();
    });
  }
}
