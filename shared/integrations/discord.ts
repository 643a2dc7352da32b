/** Discord: alerts posted through a channel's incoming webhook (the URL is the secret). */
import { baseOptions, defineIntegration } from './entry.js';
import { httpUrl } from '../http-url.js';

export const discord = defineIntegration({
  name: 'discord',
  label: 'Discord',
  rate: { limit: 5, windowMs: 2_000 }, // 5 per 2 s per webhook
  secrets: [
    {
      key: 'webhook_url',
      env: 'DISCORD_WEBHOOK_URL',
      label: 'Webhook URL',
      hint: 'In Discord: Channel settings → Integrations → Webhooks → Copy webhook URL.',
      value: httpUrl,
    },
  ],
  options: baseOptions,
  optionEnv: {},
  title: 'Discord',
  blurb: 'Posts an alert in your Discord channel when a hot lead comes in or someone is very engaged; alerts that arrive together share a message.',
  fields: [],
});
