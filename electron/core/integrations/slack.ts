/**
 * Slack incoming webhook: the URL is the secret (masked wherever shown). Slack answers 200 with
 * the text `ok`, and errors as plain text such as `invalid_payload` or `channel_is_archived`.
 */
import { integrationSecretName } from '../../../shared/integrations/index.js';
import { httpCall } from '../outbound/http-call.js';
import { maskUrl, urlCredentials } from '../outbound/mask.js';
import { answer, readOptions, requireUrlSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import type { CallContext } from './types.js';

/**
 * The most one combined alert message may carry. Slack cuts `text` off past 40,000 characters
 * and advises keeping a message to 4,000; 3,000 characters (also the most a Slack section block
 * takes) and 30 alerts stay well inside that and keep a burst's message readable at a glance.
 */
export const SLACK_DIGEST_LIMITS = { chars: 3_000, alerts: 30 } as const;

export interface SlackClient extends IntegrationClient {
  send(msg: { text: string; blocks?: unknown[] }, ctx: CallContext): Promise<void>;
}

export function createSlackClient(deps: ClientDeps): SlackClient {
  const webhookUrl = () => {
    readOptions(deps, 'slack');
    return requireUrlSecret(deps, integrationSecretName('slack', 'webhook_url'), 'Slack webhook URL', 'Slack is not configured: add a webhook URL');
  };
  const post = (msg: { text: string; blocks?: unknown[] }, signal?: AbortSignal) => {
    const url = webhookUrl();
    const vendor = vendorProfile(deps, 'slack', url, urlCredentials(url));
    const json = msg.blocks ? { text: msg.text, blocks: msg.blocks } : { text: msg.text };
    return httpCall(vendor, { method: 'POST', url, safeUrl: maskUrl(url), json }, signal);
  };
  return {
    ready: () => void webhookUrl(),
    send: async (msg, ctx) => {
      await post(msg, ctx.signal);
    },
    test: async () => answer(await post({ text: 'Leadbell test message' })),
  };
}
