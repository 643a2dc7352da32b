/** The generic outbound webhook: events POSTed to the owner's URL, signed with Standard Webhooks. */
import { baseOptions, defineIntegration, envUrl } from './entry.js';
import { httpUrl } from '../http-url.js';

export const webhook = defineIntegration({
  name: 'webhook',
  label: 'Outbound webhook',
  rate: { limit: 10, windowMs: 1_000 }, // someone else's server: be polite
  secrets: [
    {
      key: 'secret',
      env: 'LEADBELL_OUTBOUND_WEBHOOK_SECRET',
      label: 'Signing secret',
      hint: 'A Standard Webhooks secret (whsec_ followed by base64), shared with the receiver to check signatures.',
    },
  ],
  options: baseOptions.extend({ url: httpUrl.optional() }),
  optionEnv: { url: { env: 'LEADBELL_OUTBOUND_WEBHOOK_URL', parse: envUrl } },
  title: 'Your own webhook',
  blurb: 'Forwards each lead to another address (your CRM, Zapier, Make), signed so the receiver can trust it.',
  fields: [{ key: 'url', label: 'Send to', hint: 'The full https address that should receive the leads.', kind: 'text', placeholder: 'https://' }],
});
