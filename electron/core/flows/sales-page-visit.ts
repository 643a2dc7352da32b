/**
 * Sales-page visit (the guide's Event 3): record the visit on the visitor; for a known lead add
 * engagement points and, after a long enough visit, send the follow-up email; add leads to the
 * sales-page audience (an anonymous visitor cannot be matched by Meta: the skip is recorded);
 * mirror the lead's new engagement to Notion.
 */
import { z } from 'zod';
import { callStep, completed, localStep, plan, skipped } from '../runner/step.js';
import { addToAudience, announceLead, mirrorToNotion } from './common-steps.js';
import { audience, email, number, points, requiredText, templateId } from './fields.js';
import { defineFlow } from './flow.js';

const parameters = z.object({
  visitor_id: requiredText(200),
  page_url: requiredText(2000),
  duration: number(0, 86_400).transform((d) => d ?? 0),
  email: email.nullable().catch(null),
});

const settings = z
  .object({
    points: points(20),
    /** The follow-up goes out only after a visit longer than this. */
    follow_up_min_seconds: z.number().int().min(0).max(86_400).default(30),
    follow_up_transactional_id: templateId('email-sales-page-follow-up'),
    first_name_fallback: z.string().max(100).default('there'),
    audience: audience('sales_page_visitors'),
    mirror_to_notion: z.boolean().default(true),
  })
  .strict();

const recordVisit = localStep({
  name: 'record_visit',
  input: z.object({ visitor_id: z.string(), page_url: z.string(), duration: z.number(), email: z.string().nullable() }),
  output: z.object({
    visitor_id: z.string(),
    visits: z.number(),
    lead: z.object({ id: z.string(), email: z.string(), first_name: z.string().nullable() }).nullable(),
  }),
  apply(input, ctx) {
    const { visitors, leads } = ctx.services;
    const visitor = visitors.recordVisit(input.visitor_id, input.page_url, input.duration, ctx.now());
    const lead =
      (visitor.lead_id ? leads.get(visitor.lead_id) : undefined) ??
      leads.byVisitor(input.visitor_id) ??
      (input.email ? leads.byEmail(input.email) : undefined);
    if (lead) ctx.setLead(lead.id);
    return completed({
      visitor_id: visitor.id,
      visits: visitor.visits,
      lead: lead ? { id: lead.id, email: lead.email, first_name: lead.first_name } : null,
    });
  },
});

const anonymous = (visitorId: string) => skipped(`visitor ${visitorId} is not a known lead`);

const addEngagement = localStep({
  name: 'add_engagement',
  needs: [recordVisit],
  input: z.object({ points: z.number() }),
  output: z.object({ lead_id: z.string(), points: z.number(), engagement_score: z.number() }),
  apply(input, ctx) {
    const visit = ctx.output(recordVisit);
    if (!visit?.lead) return anonymous(visit?.visitor_id ?? 'this');
    const lead = ctx.services.leads.addEngagement(visit.lead.id, input.points);
    announceLead(ctx, lead.id);
    return completed({ lead_id: lead.id, points: input.points, engagement_score: lead.engagement_score });
  },
});

const followUpEmail = callStep({
  name: 'follow_up_email',
  integration: 'loops',
  backlog: 'follow-up emails',
  needs: [recordVisit],
  input: z.object({
    transactional_id: z.string(),
    page_url: z.string(),
    duration: z.number(),
    min_seconds: z.number(),
    first_name_fallback: z.string(),
  }),
  output: z.object({ transactional_id: z.string(), email: z.string(), already_sent: z.boolean() }),
  async call(input, ctx) {
    const visit = ctx.output(recordVisit);
    if (!visit?.lead) return anonymous(visit?.visitor_id ?? 'this');
    if (input.duration <= input.min_seconds) {
      return skipped(`the visit lasted ${input.duration} s; the follow-up needs more than ${input.min_seconds} s`);
    }
    const r = await ctx.services.integrations.loops.sendTransactional(
      {
        transactionalId: input.transactional_id,
        email: visit.lead.email,
        dataVariables: { first_name: visit.lead.first_name ?? input.first_name_fallback, page_url: input.page_url },
      },
      ctx.call,
    );
    return completed({ transactional_id: input.transactional_id, email: visit.lead.email, already_sent: r.alreadySent });
  },
});

const audienceStep = addToAudience([recordVisit]);
const notionStep = mirrorToNotion([addEngagement]);

export const salesPageVisitFlow = defineFlow({
  name: 'sales-page-visit',
  title: 'Sales-page visit',
  description: (s) =>
    `Records the visit; for a known lead adds ${s.points} engagement points, sends the follow-up email after a visit over ${s.follow_up_min_seconds} s, adds them to the sales-page audience${s.mirror_to_notion ? ' and updates Notion' : ''}.`,
  parameters,
  settings,
  steps: [recordVisit, addEngagement, followUpEmail, audienceStep, notionStep],
  plan: (p, s) => [
    plan(recordVisit, { visitor_id: p.visitor_id, page_url: p.page_url, duration: p.duration, email: p.email }),
    plan(addEngagement, { points: s.points }),
    plan(followUpEmail, {
      transactional_id: s.follow_up_transactional_id,
      page_url: p.page_url,
      duration: p.duration,
      min_seconds: s.follow_up_min_seconds,
      first_name_fallback: s.first_name_fallback,
    }),
    plan(audienceStep, { audience: s.audience, email: null, phone: null }),
    plan(notionStep, {}, s.mirror_to_notion ? null : "mirroring to Notion is turned off in this flow's settings"),
  ],
});
