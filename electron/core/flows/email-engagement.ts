/**
 * Email engagement (the guide's Event 4): an open adds 5 points, a click 10 and records the
 * link; when the total reaches 50 a "High Email Engagement" Discord alert and a desktop
 * notification go out (once, when the threshold is crossed); the new score is mirrored to Notion.
 * An unknown email is skipped.
 */
import { z } from 'zod';
import { escapeDiscordText } from '../integrations/chat-markup.js';
import { crossesThreshold } from '../scoring/engagement.js';
import { completed, localStep, plan, skipped } from '../runner/step.js';
import { announceLead, mirrorToNotion } from './common-steps.js';
import { discordAlert, TITLE_NAME_MAX } from './discord-alert.js';
import { alertChannels, alertWords, channelOff, color, email, points, text } from './fields.js';
import { defineFlow } from './flow.js';

const kind = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z.enum(['open', 'opened', 'click', 'clicked'], { error: 'must be "open" or "click"' }).transform((t) => (t.startsWith('open') ? 'open' : 'click')),
);

const parameters = z.object({ email, event_type: kind, email_id: text(200), link_url: text(2000) });

const settings = z
  .object({
    open_points: points(5),
    click_points: points(10),
    alert_threshold: z.number().int().min(1).max(100_000).default(50),
    alert_color: color(0x0099ff),
    alert_channels: alertChannels(),
    mirror_to_notion: z.boolean().default(true),
  })
  .strict();

const addEngagement = localStep({
  name: 'add_engagement',
  input: z.object({
    email: z.string(),
    event_type: z.enum(['open', 'click']),
    email_id: z.string().nullable(),
    link_url: z.string().nullable(),
    points: z.number(),
    alert_threshold: z.number(),
  }),
  output: z.object({
    lead_id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    points: z.number(),
    engagement_score: z.number(),
    crossed_threshold: z.boolean(),
  }),
  apply(input, ctx) {
    const { leads, clicks } = ctx.services;
    const found = leads.byEmail(input.email);
    if (!found) return skipped(`no lead has the email ${input.email}`);
    const lead = leads.addEngagement(found.id, input.points);
    if (input.event_type === 'click' && input.link_url) {
      clicks.record({ lead_id: lead.id, email_id: input.email_id, link_url: input.link_url, event_id: ctx.eventId, clicked_at: ctx.now() });
    }
    ctx.setLead(lead.id);
    announceLead(ctx, lead.id);
    return completed({
      lead_id: lead.id,
      email: lead.email,
      first_name: lead.first_name,
      points: input.points,
      engagement_score: lead.engagement_score,
      crossed_threshold: crossesThreshold(found.engagement_score, lead.engagement_score, input.alert_threshold),
    });
  },
});

const notCrossed = (e: { engagement_score: number }) =>
  skipped(`engagement is ${e.engagement_score} points: the alert goes out once, when the threshold is reached`);

const highEngagementAlert = discordAlert({
  name: 'high_engagement_alert',
  backlog: 'engagement alerts',
  needs: [addEngagement],
  input: z.object({ color: z.number(), event_type: z.enum(['open', 'click']), email_id: z.string().nullable(), link_url: z.string().nullable() }),
  build(input, ctx) {
    const e = ctx.output(addEngagement);
    if (!e) return skipped('no engagement was recorded');
    if (!e.crossed_threshold) return notCrossed(e);
    // Within Discord's 4096-character description, however long the escaped link grows.
    const given = (v: string | null, otherwise: string) => (v === null ? otherwise : escapeDiscordText(v, 4000));
    const description =
      input.event_type === 'click' ? `Clicked: ${given(input.link_url, 'a link')}` : `Opened: ${given(input.email_id, 'an email')}`;
    return {
      heading: '📈 **High Email Engagement**',
      embed: { title: `${escapeDiscordText(e.first_name ?? e.email, TITLE_NAME_MAX)} - ${e.engagement_score} points`, description, color: input.color },
    };
  },
});

const highEngagementNotification = localStep({
  name: 'high_engagement_notification',
  needs: [addEngagement],
  input: z.object({}),
  output: z.object({ notification_id: z.string() }),
  apply(_input, ctx) {
    const e = ctx.output(addEngagement);
    if (!e) return skipped('no engagement was recorded');
    if (!e.crossed_threshold) return notCrossed(e);
    const n = ctx.services.notifier.record(
      {
        kind: 'high_engagement',
        title: `High email engagement: ${e.first_name ?? e.email}`,
        body: `${e.email} reached ${e.engagement_score} engagement points.`,
        lead_id: e.lead_id,
      },
      ctx.now(),
    );
    ctx.after(() => ctx.services.notifier.show(n));
    return completed({ notification_id: n.id });
  },
});

const notionStep = mirrorToNotion([addEngagement]);

export const emailEngagementFlow = defineFlow({
  name: 'email-engagement',
  title: 'Email engagement',
  urgent: true,
  description: (s) =>
    `Adds engagement points for email opens (${s.open_points}) and clicks (${s.click_points}), records clicked links, ${alertWords(s.alert_channels)} when a lead reaches ${s.alert_threshold} points${s.mirror_to_notion ? ', and updates Notion' : ''}.`,
  parameters,
  settings,
  steps: [addEngagement, highEngagementAlert, highEngagementNotification, notionStep],
  plan: (p, s) => [
    plan(addEngagement, {
      email: p.email,
      event_type: p.event_type,
      email_id: p.email_id,
      link_url: p.link_url,
      points: p.event_type === 'open' ? s.open_points : s.click_points,
      alert_threshold: s.alert_threshold,
    }),
    plan(highEngagementAlert, { color: s.alert_color, event_type: p.event_type, email_id: p.email_id, link_url: p.link_url }, channelOff(s.alert_channels, 'discord')),
    plan(highEngagementNotification, {}, channelOff(s.alert_channels, 'desktop')),
    plan(notionStep, {}, s.mirror_to_notion ? null : "mirroring to Notion is turned off in this flow's settings"),
  ],
});
