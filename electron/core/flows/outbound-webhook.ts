/** Forwards an event to the owner's own URL, signed with Standard Webhooks (for custom triggers). */
import { z } from 'zod';
import { callStep, completed, plan } from '../runner/step.js';
import { requiredText } from './fields.js';
import { defineFlow } from './flow.js';

const parameters = z.object({ type: requiredText(200), data: z.unknown() });

const sendWebhook = callStep({
  name: 'send_webhook',
  integration: 'webhook',
  backlog: 'webhook posts',
  input: z.object({ type: z.string(), data: z.unknown() }),
  output: z.object({ status: z.number() }),
  async call(input, ctx) {
    const r = await ctx.services.integrations.webhook.send({ type: input.type, data: input.data ?? null }, ctx.call);
    return completed({ status: r.status });
  },
});

export const outboundWebhookFlow = defineFlow({
  name: 'outbound-webhook',
  title: 'Forward to a webhook',
  description: 'POSTs {type, data} to your own URL, signed with Standard Webhooks; webhook-id stays the same across retries.',
  parameters,
  // The event's own name and its whole payload, whatever the event is.
  usualParameters: { type: '{{ event.event }}', data: '{{ event.payload }}' },
  settings: z.object({}).strict(),
  steps: [sendWebhook],
  plan: (p) => [plan(sendWebhook, { type: p.type, data: p.data ?? null })],
});
