/**
 * The integrations the owner can connect, in their words: which secrets each needs (write-only,
 * stored encrypted as integration.<name>.<key>) and which plain options it has.
 */
export interface SecretSpec {
  key: string;
  label: string;
  hint: string;
}

export interface OptionSpec {
  key: string;
  label: string;
  hint: string;
  /** 'mapping' is an object edited as name=value lines; 'list' is comma-separated; 'choice' one of `choices`. */
  kind: 'text' | 'mapping' | 'list' | 'choice';
  placeholder?: string;
  choices?: { value: string; label: string }[];
}

export interface IntegrationSpec {
  name: string;
  title: string;
  blurb: string;
  secrets: SecretSpec[];
  options: OptionSpec[];
  /** Set up once this option is filled in (its secrets are then optional), instead of once every secret is set. */
  configuredBy?: string;
}

export const INTEGRATIONS: IntegrationSpec[] = [
  {
    name: 'loops',
    title: 'Loops',
    blurb: 'Sends your welcome and follow-up emails, and starts the right email sequence for each lead.',
    secrets: [{ key: 'api_key', label: 'API key', hint: 'In Loops: Settings → API → Generate key.' }],
    options: [],
  },
  {
    name: 'discord',
    title: 'Discord',
    blurb: 'Posts an alert in your Discord channel when a hot lead comes in or someone is very engaged.',
    secrets: [{ key: 'webhook_url', label: 'Webhook URL', hint: 'In Discord: Channel settings → Integrations → Webhooks → Copy webhook URL.' }],
    options: [],
  },
  {
    name: 'slack',
    title: 'Slack',
    blurb: 'Posts "New lead: name (email)" in a Slack channel for every sign-up.',
    secrets: [{ key: 'webhook_url', label: 'Webhook URL', hint: 'In Slack: Apps → Incoming Webhooks → Add to channel → copy the URL.' }],
    options: [],
  },
  {
    name: 'notion',
    title: 'Notion',
    blurb: 'Keeps a copy of every lead in a Notion database your team already uses.',
    secrets: [{ key: 'token', label: 'Integration token', hint: 'notion.so/my-integrations → your integration → Internal integration secret.' }],
    options: [
      {
        key: 'data_source_id',
        label: 'Database (data source) id',
        hint: 'Share the database with your integration, then copy its data source id from the database menu.',
        kind: 'text',
        placeholder: '32 letters and digits',
      },
    ],
  },
  {
    name: 'meta',
    title: 'Meta ads (Facebook & Instagram)',
    blurb: 'Adds leads to your custom audiences so your ads reach (or skip) them. Emails are scrambled (hashed) before they leave.',
    secrets: [{ key: 'access_token', label: 'Access token', hint: 'A system-user token with ads_management, from Meta Business Settings.' }],
    options: [
      {
        key: 'audiences',
        label: 'Audiences',
        hint: 'One per line: name=audience id (opted_in_leads, assessment_completers, sales_page_visitors).',
        kind: 'mapping',
        placeholder: 'opted_in_leads=1234567890',
      },
    ],
  },
  {
    name: 'webhook',
    title: 'Your own webhook',
    blurb: 'Forwards each lead to another address (your CRM, Zapier, Make), signed so the receiver can trust it.',
    secrets: [{ key: 'secret', label: 'Signing secret', hint: 'A Standard Webhooks secret (whsec_ followed by base64), shared with the receiver to check signatures.' }],
    options: [{ key: 'url', label: 'Send to', hint: 'The full https address that should receive the leads.', kind: 'text', placeholder: 'https://' }],
  },
  {
    name: 'prefect',
    title: 'Prefect',
    blurb: 'Sends your events to a Prefect server, where deployment triggers run flows on your workers. Choose per automation whether it runs here, on Prefect, or both.',
    configuredBy: 'api_url',
    secrets: [
      { key: 'api_key', label: 'API key (Prefect Cloud)', hint: 'In Prefect Cloud: your profile → API keys. Leave empty for a self-hosted server.' },
      { key: 'auth_string', label: 'Auth string (self-hosted)', hint: 'The server\'s PREFECT_SERVER_API_AUTH_STRING, user:password, sent as HTTP Basic.' },
    ],
    options: [
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
  },
];

export const secretName = (integration: string, key: string): string => `integration.${integration}.${key}`;
