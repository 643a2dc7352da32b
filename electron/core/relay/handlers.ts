/** The relay's API methods: deploy (or upgrade) to Cloudflare, use a hand-deployed relay, remove. */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import { ApiError } from '../api/api-error.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { CloudflareError, cloudflareClient, CLOUDFLARE_API } from './deploy/cloudflare-api.js';
import { deployRelay, removeRelay } from './deploy/deploy.js';
import { CLOUDFLARE_TOKEN, RELAY_SECRET, relaySecret } from './keys.js';
import type { RelayService } from './service.js';

export interface RelayHandlerDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  relay: RelayService;
  cloudflareApiBase?: string;
  /** The Worker's code: the embedder reads dist/relay/worker.js beside its bundle (config/app-files.ts). */
  script?: () => Promise<string>;
}

type RelayHandlers = Pick<ApiHandlers, 'deployRelay' | 'removeRelay' | 'connectRelay'>;

export function relayHandlers(d: RelayHandlerDeps): RelayHandlers {
  const client = (given?: string) => {
    const token = given ?? d.secrets.get(CLOUDFLARE_TOKEN);
    if (!token) throw new ApiError('invalid_input', 'paste a Cloudflare API token first', [{ path: 'api_token', message: 'is required' }]);
    return cloudflareClient(token, d.cloudflareApiBase ?? CLOUDFLARE_API);
  };
  const explain = (err: unknown): never => {
    if (err instanceof CloudflareError) {
      const auth = err.status === 401 || err.status === 403;
      throw new ApiError(auth ? 'invalid_input' : 'unavailable', err.message, auth ? [{ path: 'api_token', message: err.message }] : undefined);
    }
    if (err instanceof ApiError) throw err;
    throw new ApiError('conflict', (err as Error).message);
  };

  return {
    async deployRelay(input) {
      const cf = client(input.api_token);
      const current = d.settings.get().relay;
      try {
        const deployed = await deployRelay({
          client: cf,
          script: await (d.script ?? notBuilt)(),
          scriptName: current.script_name,
          relaySecret: relaySecret(d.secrets),
          accountId: input.account_id ?? current.account_id,
        });
        if (input.api_token) d.secrets.set(CLOUDFLARE_TOKEN, input.api_token);
        d.settings.update({ relay: { url: deployed.url, account_id: deployed.account_id, script_name: deployed.script_name } });
        d.relay.restart();
        return deployed;
      } catch (err) {
        return explain(err);
      }
    },

    async connectRelay(input) {
      d.secrets.set(RELAY_SECRET, input.secret);
      d.settings.update({ relay: { url: input.url.replace(/\/$/, ''), account_id: null } });
      d.relay.restart();
      return { ok: true as const };
    },

    async removeRelay(input) {
      const current = d.settings.get().relay;
      if (input.delete_worker && current.account_id) {
        try {
          await removeRelay(client(), current.account_id, current.script_name);
        } catch (err) {
          // Already gone is what was asked for.
          if (!(err instanceof CloudflareError && err.status === 404)) explain(err);
        }
      }
      d.settings.update({ relay: { url: null, account_id: null } });
      return { ok: true as const };
    },
  };
}

/** An embedder that gave no Worker code (tests of other things) cannot deploy one. */
async function notBuilt(): Promise<string> {
  throw new Error('the relay Worker is not built (npm run build:relay)');
}
