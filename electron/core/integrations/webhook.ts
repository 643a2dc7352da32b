/**
 * The generic outbound webhook action: a JSON event POSTed to the owner's URL and signed with
 * Standard Webhooks, so the receiver can verify it and use webhook-id (the step's idempotency
 * key, stable across retries) to drop duplicates.
 */
import { randomUUID } from 'node:crypto';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import { standardWebhooksHeaders, standardWebhooksKey } from '../ingest/signatures.js';
import { httpCall } from '../outbound/http-call.js';
import { maskUrl } from '../outbound/mask.js';
import { answer, readOptions, requireSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { NotConfiguredError, type CallContext } from './types.js';

export interface OutboundWebhookEvent {
  type: string;
  data: unknown;
}

export interface OutboundWebhookClient extends IntegrationClient {
  send(event: OutboundWebhookEvent, ctx: CallContext): Promise<{ status: number }>;
}

export function createOutboundWebhookClient(deps: ClientDeps): OutboundWebhookClient {
  const target = () => {
    const { url } = readOptions(deps, 'webhook');
    if (!url) throw new NotConfiguredError('Outbound webhook is not configured: add a URL');
    const secret = requireSecret(deps, integrationSecretName('webhook', 'secret'), 'Outbound webhook is not configured: add a signing secret');
    if (!standardWebhooksKey(secret)) {
      throw new NotConfiguredError('Outbound webhook signing secret must be a Standard Webhooks secret: whsec_ followed by base64');
    }
    return { url, secret };
  };
  const deliver = async (event: OutboundWebhookEvent, id: string, signal?: AbortSignal) => {
    const { url, secret } = target();
    const vendor = vendorProfile(deps, 'webhook', url, [secret]);
    // Signed over these exact bytes: the body is serialised once and sent as is.
    const body = JSON.stringify({ type: event.type, timestamp: new Date().toISOString(), data: event.data });
    const headers = { 'content-type': 'application/json', ...standardWebhooksHeaders(secret, id, body) };
    return httpCall(vendor, { method: 'POST', url, safeUrl: maskUrl(url), body, headers }, signal);
  };
  return {
    ready: () => void target(),
    send: async (event, ctx) => ({ status: (await deliver(event, ctx.idempotencyKey, ctx.signal)).status }),
    test: async () =>
      answer(await deliver({ type: 'leadbell.test', data: { message: 'Leadbell test event' } }, `msg_test_${randomUUID()}`)),
  };
}
