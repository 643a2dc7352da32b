/**
 * Opt-in notification (the guide's pattern 2): a second trigger on the same event tells the team
 * on Slack. Opt-ins arriving together (a promo) share a message, a line each.
 */
import { z } from 'zod';
import { escapeSlackText } from '../integrations/chat-markup.js';
import { compileTemplate } from '../triggers/template.js';
import { plan } from '../runner/step.js';
import { email, messageTemplate, text } from './fields.js';
import { defineFlow } from './flow.js';
import { slackAlert } from './slack-alert.js';

const parameters = z.object({ email, first_name: text(200), segment: text(100), source: text(200) });
const MESSAGE_ROOTS = ['email', 'first_name', 'segment', 'source'] as const;

const settings = z
  .object({
    /** A template over the parameters, e.g. "New lead: {{ first_name }} ({{ email }})". */
    message: messageTemplate("New lead: {{ first_name | default('someone') }} ({{ email }})", MESSAGE_ROOTS),
  })
  .strict();

const notifySlack = slackAlert({ name: 'notify_slack', backlog: 'Slack alerts' });

export const optInNotificationFlow = defineFlow({
  name: 'optin-notification',
  title: 'New-lead notification',
  description: 'Posts "New lead: {first_name} ({email})" to Slack when someone opts in.',
  parameters,
  settings,
  steps: [notifySlack],
  // The owner's message is Slack markup as written; the lead's fields are escaped into it.
  plan: (p, s) => [plan(notifySlack, { text: String(compileTemplate(s.message, MESSAGE_ROOTS).render(p, escapeSlackText)) })],
});
