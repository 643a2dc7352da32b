/**
 * All outbound integrations behind one object, each reading its configuration at call time so a
 * change in settings applies to the next call. `test(name)` sends one harmless real call and
 * reports the vendor's actual answer, with any secret value masked out of it.
 */
import type { TestOutcome } from '../../../shared/api/contract.js';
import type { FailureKind } from '../../../shared/failure-words.js';
import { INTEGRATION_NAMES, INTEGRATION_SECRETS, isIntegrationName } from '../../../shared/integrations/index.js';
import type { Logger } from '../log/logger.js';
import { withoutSecrets } from '../outbound/mask.js';
import { sendHttp, type HttpSend } from '../outbound/http-transport.js';
import { sharedPacers, type PacerRegistry, type RatePolicy, type Vendor } from '../outbound/rate-limiter.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { DEFAULT_CLIENT_OPTIONS, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { createDiscordClient, type DiscordClient } from './discord.js';
import { createLoopsClient, type LoopsClient } from './loops.js';
import { createMetaClient, type MetaClient } from './meta.js';
import { createNotionClient, type NotionClient } from './notion.js';
import { createPrefectClient, type PrefectClient } from './prefect.js';
import { createSlackClient, type SlackClient } from './slack.js';
import { NotConfiguredError, PermanentError, RetryableError } from './types.js';
import { createOutboundWebhookClient, type OutboundWebhookClient } from './webhook.js';

/** Every integration secret, masked out of test answers. */
const SECRET_NAMES = INTEGRATION_SECRETS.map((s) => s.name);

export interface IntegrationTestResult {
  ok: boolean;
  outcome: TestOutcome;
  status: number | null;
  detail: string;
  /** The vendor's own words in a refusal, secrets masked. */
  said?: string | null;
  /** What the refusal means, read with the app's catalog entry (e.g. Meta's 400 code 190: its key). */
  failureKind?: FailureKind;
}

/** A vendor's status means it answered (refused); a call error without one means it was never reached. */
function failedOutcome(err: unknown, status: number | null): TestOutcome {
  if (err instanceof NotConfiguredError) return 'not_sent';
  if (status !== null) return 'refused';
  return err instanceof RetryableError ? 'unreachable' : 'not_sent';
}

export interface Integrations {
  loops: LoopsClient;
  discord: DiscordClient;
  slack: SlackClient;
  notion: NotionClient;
  meta: MetaClient;
  webhook: OutboundWebhookClient;
  prefect: PrefectClient;
  test(name: string): Promise<IntegrationTestResult>;
  /** Why calls to it cannot go out now (not set up, or turned off), or null. */
  unavailable(name: Vendor): string | null;
}

export interface IntegrationsDeps {
  secrets: SecretStore;
  settings: SettingsStore;
  log: Logger;
  /** The HTTP wire (default: node:http(s) with kept-alive connections). */
  send?: HttpSend;
  /** Per-call timeout (default 15 s). */
  timeoutMs?: number;
  /** Vendor rates, for tests that pair a scaled-down window with a fake enforcing the same one. */
  rateLimits?: Partial<Record<Vendor, RatePolicy>>;
  /** Defaults to the process-wide registry: one pacer per vendor account per process. */
  pacers?: PacerRegistry;
}

export function createIntegrations(deps: IntegrationsDeps): Integrations {
  const client: ClientDeps = {
    secrets: deps.secrets,
    settings: deps.settings,
    log: deps.log.child({ component: 'integrations' }),
    send: deps.send ?? sendHttp,
    timeoutMs: deps.timeoutMs ?? DEFAULT_CLIENT_OPTIONS.timeoutMs,
    pacers: deps.pacers ?? sharedPacers,
    rateLimits: { ...DEFAULT_CLIENT_OPTIONS.rateLimits, ...deps.rateLimits },
  };
  // One client per catalog entry: a new entry without its client does not compile.
  const clients = {
    loops: createLoopsClient(client),
    discord: createDiscordClient(client),
    slack: createSlackClient(client),
    notion: createNotionClient(client),
    meta: createMetaClient(client),
    webhook: createOutboundWebhookClient(client),
    prefect: createPrefectClient(client),
  } satisfies Record<Vendor, IntegrationClient>;
  const mask = (text: string) => withoutSecrets(text, SECRET_NAMES.map((n) => deps.secrets.get(n)));

  return {
    ...clients,
    unavailable(name) {
      try {
        clients[name].ready();
        return null;
      } catch (err) {
        // Anything else (settings that do not parse) is reported by the call itself.
        if (err instanceof NotConfiguredError) return err.message;
        return null;
      }
    },
    async test(name) {
      if (!isIntegrationName(name)) {
        return { ok: false, outcome: 'not_sent', status: null, detail: `Unknown integration "${name}": use one of ${INTEGRATION_NAMES.join(', ')}` };
      }
      let result: IntegrationTestResult;
      try {
        const a: TestAnswer = await clients[name].test();
        result = { ok: true, outcome: 'accepted', status: a.status, detail: a.detail };
      } catch (err) {
        const status = err instanceof RetryableError || err instanceof PermanentError ? (err.status ?? null) : null;
        const known = err instanceof RetryableError || err instanceof PermanentError || err instanceof NotConfiguredError;
        const vendorError = err instanceof RetryableError || err instanceof PermanentError ? err : undefined;
        const said = vendorError?.said ?? null;
        result = {
          ok: false,
          outcome: failedOutcome(err, status),
          status,
          detail: known ? (err as Error).message : `Unexpected error: ${String(err)}`,
          said,
          ...(vendorError?.failureKind && { failureKind: vendorError.failureKind }),
        };
      }
      const { said, ...rest } = result;
      const out = { ...rest, detail: mask(result.detail), ...(said && { said: mask(said) }) };
      client.log.info('integration test', { integration: name, ok: out.ok, outcome: out.outcome, status: out.status });
      return out;
    },
  };
}
