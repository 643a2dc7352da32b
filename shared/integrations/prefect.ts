/** Prefect: events sent to a Prefect server's events API, where deployment triggers run flows. */
import { z } from 'zod';
import { baseOptions, defineIntegration } from './entry.js';
import { httpUrl } from '../http-url.js';

const prefectOptions = baseOptions.extend({
  /** PREFECT_API_URL: http://host:4200/api, or a Prefect Cloud workspace's API URL. */
  api_url: httpUrl.optional(),
  /**
   * Which events go to Prefect: all, those named in `events`, or none (then only the events of
   * triggers set to send to Prefect).
   */
  forward: z.enum(['all', 'matching', 'none']).default('all'),
  /** Event names (`*` allowed, e.g. `lead.*`) forwarded when `forward` is "matching". */
  events: z.array(z.string().min(1).max(1024)).max(100).default([]),
});
export type PrefectOptions = z.infer<typeof prefectOptions>;

export const prefect = defineIntegration({
  name: 'prefect',
  label: 'Prefect',
  rate: { limit: 20, windowMs: 1_000 }, // batches of up to 200 events: a modest request rate suffices
  // Prefect's own client variables, so a box already set up for Prefect needs nothing new.
  secrets: [
    {
      key: 'api_key',
      env: 'PREFECT_API_KEY',
      label: 'API key (Prefect Cloud)',
      hint: 'In Prefect Cloud: your profile → API keys. Leave empty for a self-hosted server.',
    },
    {
      key: 'auth_string',
      env: 'PREFECT_API_AUTH_STRING',
      label: 'Auth string (self-hosted)',
      hint: "The server's PREFECT_SERVER_API_AUTH_STRING, user:password, sent as HTTP Basic.",
    },
  ],
  options: prefectOptions,
  optionEnv: {
    api_url: { env: 'PREFECT_API_URL', parse: httpUrl.optional() },
    // `matching` needs an event list, which has no variable.
    forward: { env: 'LEADBELL_PREFECT_FORWARD', parse: z.enum(['all', 'none']).optional() },
  },
  title: 'Prefect',
  blurb:
    'Sends your events to a Prefect server, where deployment triggers run flows on your workers. Choose per automation whether it runs here, on Prefect, or both.',
  configuredBy: 'api_url',
  fields: [
    {
      key: 'api_url',
      label: 'Server URL (PREFECT_API_URL)',
      hint: 'Self-hosted: http://host:4200/api. Cloud: https://api.prefect.cloud/api/accounts/<account>/workspaces/<workspace>.',
      kind: 'text',
      placeholder: 'http://prefect.example.com:4200/api',
    },
    {
      key: 'forward',
      label: 'Events to send',
      hint: 'Automations set to run on Prefect always send theirs.',
      kind: 'choice',
      choices: [
        { value: 'all', label: 'All events' },
        { value: 'matching', label: 'Only the events named below' },
        { value: 'none', label: 'Only those of automations set to Prefect' },
      ],
    },
    { key: 'events', label: 'Event names', hint: 'Comma-separated, * allowed, e.g. lead.*, assessment.completed.', kind: 'list', placeholder: 'lead.*' },
  ],
});
