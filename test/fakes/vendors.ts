/**
 * All vendor fakes at once, and the settings and secrets that point a core at them. Tests that
 * exercise whole flows start these, configure their TestCore, then read what each vendor received.
 */
import type { SecretStore } from '../../electron/core/secrets/secret-store.js';
import type { SettingsStore } from '../../electron/core/storage/settings-store.js';
import { DiscordFake } from './discord-fake.js';
import type { RateRule } from './fake-server.js';
import { LoopsFake } from './loops-fake.js';
import { MetaFake } from './meta-fake.js';
import { NotionFake } from './notion-fake.js';
import { SlackFake } from './slack-fake.js';
import { WebhookSink } from './webhook-sink.js';

export interface Fakes {
  loops: LoopsFake;
  discord: DiscordFake;
  slack: SlackFake;
  notion: NotionFake;
  meta: MetaFake;
  webhook: WebhookSink;
  /** Base URLs (and webhook URLs) as the clients are configured with them. */
  urls: { loops: string; discord: string; slack: string; notion: string; meta: string; webhook: string };
  stop(): Promise<void>;
}

type Limit = Pick<RateRule, 'limit' | 'windowMs'>;

/**
 * Starts every fake on its own loopback port. Rate limits default to the vendors' documented ones;
 * a test may scale a window down, and must then give the clients the same policy (rateLimits).
 */
export async function startFakes(rateLimits: Partial<Record<'loops' | 'discord' | 'slack' | 'notion' | 'meta', Limit>> = {}): Promise<Fakes> {
  const [loops, discord, slack, notion, meta, webhook] = await Promise.all([
    LoopsFake.start({ rateLimit: rateLimits.loops }),
    DiscordFake.start({ rateLimit: rateLimits.discord }),
    SlackFake.start({ rateLimit: rateLimits.slack }),
    NotionFake.start({ rateLimit: rateLimits.notion }),
    MetaFake.start({ rateLimit: rateLimits.meta }),
    WebhookSink.start(),
  ]);
  return {
    loops,
    discord,
    slack,
    notion,
    meta,
    webhook,
    urls: { loops: loops.url, discord: discord.webhookUrl, slack: slack.webhookUrl, notion: notion.url, meta: meta.url, webhook: webhook.url },
    stop: async () => {
      await Promise.all([loops.stop(), discord.stop(), slack.stop(), notion.stop(), meta.stop(), webhook.stop()]);
    },
  };
}

/** Anything holding the core's stores: a Core (or the integrations test harness). */
export interface HasStores {
  stores: { secrets: SecretStore; settings: SettingsStore };
}

/**
 * Points every integration of a core (or a TestCore) at the fakes, through its real secret and
 * settings stores.
 */
export function configureFakes(target: HasStores | { core: HasStores }, fakes: Fakes): void {
  const { secrets, settings } = 'core' in target ? target.core.stores : target.stores;
  secrets.set('integration.loops.api_key', fakes.loops.apiKey);
  secrets.set('integration.discord.webhook_url', fakes.discord.webhookUrl);
  secrets.set('integration.slack.webhook_url', fakes.slack.webhookUrl);
  secrets.set('integration.notion.token', fakes.notion.token);
  secrets.set('integration.meta.access_token', fakes.meta.accessToken);
  secrets.set('integration.webhook.secret', fakes.webhook.secret);
  settings.update({
    integrations: {
      loops: { base_url: fakes.loops.url },
      notion: { base_url: fakes.notion.url, data_source_id: fakes.notion.dataSourceId },
      meta: { base_url: fakes.meta.url, audiences: fakes.meta.audienceIds },
      webhook: { url: fakes.webhook.url },
    },
  });
}
