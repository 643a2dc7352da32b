/**
 * Prefect's events API as an integration: events go to `POST {api}/events` in batches (see
 * prefect/events-client.ts for the request and what each answer means). The client keeps the
 * forwarder's state for the status page: the last answer decides it, so an auth failure, a
 * refused event, a server error and an unreachable server each read differently, and the next
 * good batch reads "connected" again.
 */
import type { ForwarderState, PrefectForwarder } from '../../../shared/api/models.js';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import type { PrefectOptions } from '../../../shared/integrations/prefect.js';
import type { PrefectEvent } from '../prefect/event-mapping.js';
import { cutBatches, eventsRequest, readPrefectAnswer, type PrefectServer } from '../prefect/events-client.js';
import { httpCall } from '../outbound/http-call.js';
import { withoutSecrets } from '../outbound/mask.js';
import { readOptions, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { NotConfiguredError, PausedError, PermanentError, RetryableError } from './types.js';

/** Answers that are read, not thrown: they decide the forwarder's state. */
const READ_STATUSES = [401, 403, 404, 405, 422];
/** A batch whose events Prefect keeps refusing one by one is given up after this many rounds. */
const MAX_REFUSAL_ROUNDS = 5;

export interface PrefectClient extends IntegrationClient {
  /** The options when forwarding is set up (enabled, with a URL); null otherwise. */
  options(): PrefectOptions | null;
  /** Sends events; returns, per event, Prefect's reason for refusing it (null: stored). */
  send(events: PrefectEvent[], signal?: AbortSignal): Promise<(string | null)[]>;
  state(): Omit<PrefectForwarder, 'backlog'>;
}

export function createPrefectClient(deps: ClientDeps): PrefectClient {
  let state: ForwarderState = 'ready';
  let detail: string | null = null;
  let httpStatus: number | null = null;
  let lastSentAt: string | null = null;
  let sent = 0;
  const set = (s: ForwarderState, d: string | null, status: number | null) => {
    state = s;
    detail = d;
    httpStatus = status;
  };

  const currentOptions = (): PrefectOptions | null => {
    try {
      const o = readOptions(deps, 'prefect');
      return o.api_url ? o : null;
    } catch {
      return null;
    }
  };

  const connect = () => {
    const options = readOptions(deps, 'prefect');
    if (!options.api_url) throw new NotConfiguredError('Prefect is not configured: add the server URL (PREFECT_API_URL)');
    const server: PrefectServer = {
      apiUrl: options.api_url,
      apiKey: deps.secrets.get(integrationSecretName('prefect', 'api_key')),
      authString: deps.secrets.get(integrationSecretName('prefect', 'auth_string')),
    };
    const secrets = [server.apiKey, server.authString, server.authString && Buffer.from(server.authString, 'utf8').toString('base64')].filter(
      (s): s is string => Boolean(s),
    );
    const vendor = vendorProfile(deps, 'prefect', options.api_url, secrets, {
      errorMessage: (res) => readPrefectAnswer(res.status, res.text).kind !== 'sent' ? detailOf(res.status, res.text) : undefined,
    });
    const post = async (events: readonly PrefectEvent[], signal?: AbortSignal) => {
      const req = eventsRequest(server, events);
      try {
        const res = await httpCall(vendor, { ...req, accept: READ_STATUSES }, signal);
        return { answer: readPrefectAnswer(res.status, res.text), mask: (t: string) => withoutSecrets(t, secrets) };
      } catch (err) {
        if (err instanceof RetryableError) {
          if (err.status === undefined) set('unreachable', err.message, null);
          else set('server_error', err.message, err.status);
        } else if (err instanceof PermanentError) set('rejected', err.message, err.status ?? null);
        throw err;
      }
    };
    return { post };
  };

  return {
    options: currentOptions,
    ready: () => void connect(),

    async send(events, signal) {
      const { post } = connect();
      const reasons: (string | null)[] = events.map(() => null);
      const index = new Map(events.map((e, i) => [e, i]));
      for (const batch of cutBatches(events)) {
        let left = batch;
        for (let round = 0; left.length; round++) {
          const { answer, mask } = await post(left, signal);
          if (answer.kind === 'sent') {
            sent += left.length;
            lastSentAt = new Date().toISOString();
            if (state !== 'rejected' || round === 0) set('connected', null, 204);
            break;
          }
          if (answer.kind === 'stopped') {
            const why = mask(answer.detail);
            set(answer.status === 401 || answer.status === 403 ? 'auth_failed' : 'wrong_url', `Prefect answered ${answer.status}: ${why}`, answer.status);
            throw new PausedError(`forwarding to Prefect is stopped: ${why}`, answer.status);
          }
          if (answer.kind === 'retry') throw new RetryableError(answer.detail, answer.retryAfterMs ?? undefined, answer.status ?? undefined);
          // 422: the events Prefect named are refused for good; the rest of the batch goes again.
          const named = answer.events.size && round < MAX_REFUSAL_ROUNDS ? answer.events : new Map(left.map((_, i) => [i, answer.detail]));
          for (const [i, why] of named) {
            const e = left[i];
            if (e) reasons[index.get(e)!] = `Prefect refused the event (HTTP 422): ${mask(why)}`;
          }
          set('rejected', `Prefect refused ${named.size} event${named.size === 1 ? '' : 's'}: ${mask([...named.values()][0] ?? answer.detail)}`, 422);
          left = left.filter((_, i) => !named.has(i));
        }
      }
      return reasons;
    },

    state: () => ({
      configured: currentOptions() !== null,
      state: currentOptions() ? state : 'off',
      detail: currentOptions() ? detail : null,
      http_status: httpStatus,
      last_sent_at: lastSentAt,
      sent,
    }),

    async test() {
      const { post } = connect();
      const { answer, mask } = await post([]);
      if (answer.kind === 'sent') {
        set('connected', null, 204);
        return { status: 204, detail: 'Prefect accepted an empty batch of events: the URL and credentials work' };
      }
      const status = answer.kind === 'stopped' || answer.kind === 'retry' ? (answer.status ?? 0) : 422;
      if (answer.kind === 'stopped') set(status === 401 || status === 403 ? 'auth_failed' : 'wrong_url', mask(answer.detail), status);
      throw new PermanentError(`Prefect answered ${status}: ${mask(answer.detail)}`, status);
    },
  };
}

function detailOf(status: number, body: string): string {
  const a = readPrefectAnswer(status, body);
  return a.kind === 'sent' ? '' : a.detail;
}
