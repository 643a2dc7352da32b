/** Slack: a line per sign-up through an incoming webhook (the URL is the secret). */
import { baseOptions, defineIntegration } from './entry.js';
import { httpUrl } from '../http-url.js';

export const slack = defineIntegration({
  name: 'slack',
  label: 'Slack',
  rate: { limit: 1, windowMs: 1_000 }, // about one message a second per webhook
  secrets: [
    {
      key: 'webhook_url',
      env: 'SLACK_WEBHOOK_URL',
      label: 'Webhook URL',
      hint: 'In Slack: Apps → Incoming Webhooks → Add to channel → copy the URL.',
      value: httpUrl,
    },
  ],
  options: baseOptions,
  optionEnv: {},
  title: 'Slack',
  blurb: 'Posts "New lead: name (email)" in a Slack channel for every sign-up; sign-ups that arrive together share one message, a line each.',
  fields: [],
});
