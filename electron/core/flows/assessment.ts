/**
 * Assessment completion (the guide's Event 2): score 0-100, update the lead (stage, score,
 * status, priority); for a hot lead a red Discord embed and a desktop notification; then the
 * hot-lead or standard nurture (a Loops event saying which); add to the completers audience;
 * mirror to Notion.
 */
import { z } from 'zod';
import { leadPriority, leadStatus } from '../../../shared/api/models.js';
import { escapeDiscordText } from '../integrations/chat-markup.js';
import { assessmentScore, classifyScore } from '../scoring/assessment-score.js';
import { callStep, completed, localStep, plan, skipped } from '../runner/step.js';
import { addToAudience, announceLead, givenFields, mirrorToNotion, newLeadOptions } from './common-steps.js';
import { discordAlert, TITLE_NAME_MAX } from './discord-alert.js';
import { alertChannels, alertWords, audience, channelOff, color, email, eventName, number, ratings, text } from './fields.js';
import { defineFlow } from './flow.js';

const parameters = z
  .object({
    email,
    first_name: text(200),
    assessment_data: ratings,
    score: number(0, 100),
    segment: text(100),
    source: text(200),
  })
  .refine((p) => p.score !== null || Object.keys(p.assessment_data ?? {}).length > 0, {
    message: 'needs assessment_data (ratings 0-10) or a ready score 0-100',
    path: ['assessment_data'],
  });

const threshold = (def: number) => z.number().int().min(0).max(100).default(def);

const settings = z
  .object({
    hot_threshold: threshold(80),
    warm_threshold: threshold(50),
    hot_alert_color: color(0xff0000),
    hot_alert_channels: alertChannels(),
    hot_nurture_event: eventName('hot_lead_nurture'),
    standard_nurture_event: eventName('standard_nurture'),
    audience: audience('assessment_completers'),
    mirror_to_notion: z.boolean().default(true),
  })
  .strict()
  .refine((s) => s.warm_threshold <= s.hot_threshold, { message: 'The warm score must not be above the hot score', path: ['warm_threshold'] });

const scoreLead = localStep({
  name: 'score_lead',
  input: z.object({
    email: z.string(),
    first_name: z.string().nullable(),
    assessment_data: z.record(z.string(), z.number()).nullable(),
    score: z.number().nullable(),
    segment: z.string().nullable(),
    source: z.string().nullable(),
    hot_threshold: z.number(),
    warm_threshold: z.number(),
  }),
  output: z.object({
    lead_id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    score: z.number(),
    status: leadStatus,
    priority: leadPriority,
  }),
  apply(input, ctx) {
    const score = assessmentScore(input.assessment_data, input.score);
    if (score === null) return skipped('there is nothing to score');
    const { status, priority } = classifyScore(score, { hot: input.hot_threshold, warm: input.warm_threshold });
    const { lead } = ctx.services.leads.upsert(input.email, {
      ...givenFields({ first_name: input.first_name, segment: input.segment?.toLowerCase(), source: input.source }),
      stage: 'assessment_complete',
      score,
      status,
      priority,
    }, newLeadOptions(ctx));
    ctx.setLead(lead.id);
    announceLead(ctx, lead.id);
    return completed({ lead_id: lead.id, email: lead.email, first_name: lead.first_name, score, status, priority });
  },
});

const notHot = (s: { score: number; status: string }) => skipped(`the score ${s.score} is ${s.status}, not hot`);

const hotLeadAlert = discordAlert({
  name: 'hot_lead_alert',
  backlog: 'hot-lead alerts',
  needs: [scoreLead],
  input: z.object({ color: z.number() }),
  build(input, ctx) {
    const s = ctx.output(scoreLead);
    if (!s) return skipped('the lead was not scored');
    if (s.status !== 'hot') return notHot(s);
    return {
      heading: '🔥 **HOT LEAD ALERT**',
      embed: {
        title: `${escapeDiscordText(s.first_name ?? s.email, TITLE_NAME_MAX)} - Score: ${s.score}`,
        description: 'Immediate follow-up recommended',
        color: input.color,
        fields: [
          { name: 'Email', value: escapeDiscordText(s.email), inline: true },
          { name: 'Score', value: String(s.score), inline: true },
        ],
      },
    };
  },
});

const hotLeadNotification = localStep({
  name: 'hot_lead_notification',
  needs: [scoreLead],
  input: z.object({}),
  output: z.object({ notification_id: z.string() }),
  apply(_input, ctx) {
    const s = ctx.output(scoreLead);
    if (!s) return skipped('the lead was not scored');
    if (s.status !== 'hot') return notHot(s);
    const n = ctx.services.notifier.record(
      { kind: 'hot_lead', title: `Hot lead: ${s.first_name ?? s.email}`, body: `${s.email} scored ${s.score} on the assessment.`, lead_id: s.lead_id },
      ctx.now(),
    );
    ctx.after(() => ctx.services.notifier.show(n));
    return completed({ notification_id: n.id });
  },
});

const startNurture = callStep({
  name: 'start_nurture',
  integration: 'loops',
  backlog: 'nurture starts',
  needs: [scoreLead],
  input: z.object({ hot_event: z.string(), standard_event: z.string() }),
  output: z.object({ event_name: z.string(), already_sent: z.boolean() }),
  async call(input, ctx) {
    const s = ctx.output(scoreLead);
    if (!s) return skipped('the lead was not scored');
    const eventName = s.status === 'hot' ? input.hot_event : input.standard_event;
    const r = await ctx.services.integrations.loops.sendEvent(
      {
        eventName,
        email: s.email,
        eventProperties: { score: s.score, status: s.status, ...(s.first_name && { first_name: s.first_name }) },
      },
      ctx.call,
    );
    return completed({ event_name: eventName, already_sent: r.alreadySent });
  },
});

const audienceStep = addToAudience();
const notionStep = mirrorToNotion([scoreLead]);

export const assessmentFlow = defineFlow({
  name: 'assessment',
  title: 'Assessment completed',
  urgent: true,
  description: (s) =>
    `Scores the quiz (${s.hot_threshold} and up is hot, ${s.warm_threshold} and up is warm), ${alertWords(s.hot_alert_channels)} for hot leads, starts the hot-lead or standard follow-up emails, adds them to the quiz audience${s.mirror_to_notion ? ' and copies them to Notion' : ''}.`,
  parameters,
  settings,
  steps: [scoreLead, hotLeadAlert, hotLeadNotification, startNurture, audienceStep, notionStep],
  plan: (p, s) => [
    plan(scoreLead, { ...p, hot_threshold: s.hot_threshold, warm_threshold: s.warm_threshold }),
    plan(hotLeadAlert, { color: s.hot_alert_color }, channelOff(s.hot_alert_channels, 'discord')),
    plan(hotLeadNotification, {}, channelOff(s.hot_alert_channels, 'desktop')),
    plan(startNurture, { hot_event: s.hot_nurture_event, standard_event: s.standard_nurture_event }),
    plan(audienceStep, { audience: s.audience, email: p.email, phone: null }),
    plan(notionStep, {}, s.mirror_to_notion ? null : "mirroring to Notion is turned off in this flow's settings"),
  ],
});
