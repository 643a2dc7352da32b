/**
 * Lead opt-in (the guide's Event 1): create or update the lead by normalised email and link the
 * visitor; send the immediate CTA email; mark the visitor opted in; add to the opted-in custom
 * audience; mirror to Notion. Each step stands alone: one failing does not stop the others.
 */
import { z } from 'zod';
import { callStep, completed, localStep, plan, skipped } from '../runner/step.js';
import { addToAudience, announceLead, givenFields, mirrorToNotion, newLeadOptions } from './common-steps.js';
import { audience, email, templateId, text } from './fields.js';
import { defineFlow } from './flow.js';

const parameters = z.object({
  email,
  first_name: text(200),
  last_name: text(200),
  phone: text(50),
  visitor_id: text(200),
  segment: text(100),
  source: text(200),
});
type Params = z.infer<typeof parameters>;

const settings = z
  .object({
    cta_transactional_id: templateId('email-1-immediate-cta'),
    /** Used for dataVariables.first_name when the form had no first name. */
    first_name_fallback: z.string().max(100).default('there'),
    audience: audience('opted_in_leads'),
    mirror_to_notion: z.boolean().default(true),
  })
  .strict();

const upsertLead = localStep({
  name: 'upsert_lead',
  input: parameters,
  output: z.object({ lead_id: z.string(), created: z.boolean() }),
  apply(p: Params, ctx) {
    const { lead, created } = ctx.services.leads.upsert(
      p.email,
      givenFields({ first_name: p.first_name, last_name: p.last_name, phone: p.phone, visitor_id: p.visitor_id, segment: p.segment?.toLowerCase(), source: p.source }),
      newLeadOptions(ctx),
    );
    ctx.setLead(lead.id);
    announceLead(ctx, lead.id);
    return completed({ lead_id: lead.id, created });
  },
});

const sendCtaEmail = callStep({
  name: 'send_cta_email',
  integration: 'loops',
  backlog: 'welcome emails',
  input: z.object({ transactional_id: z.string(), email: z.string(), first_name: z.string() }),
  output: z.object({ transactional_id: z.string(), already_sent: z.boolean() }),
  async call(input, ctx) {
    const r = await ctx.services.integrations.loops.sendTransactional(
      { transactionalId: input.transactional_id, email: input.email, dataVariables: { first_name: input.first_name } },
      ctx.call,
    );
    return completed({ transactional_id: input.transactional_id, already_sent: r.alreadySent });
  },
});

const markVisitorOptedIn = localStep({
  name: 'mark_visitor_opted_in',
  needs: [upsertLead],
  input: z.object({ visitor_id: z.string() }),
  output: z.object({ visitor_id: z.string(), stage: z.string() }),
  apply(input, ctx) {
    const lead = ctx.output(upsertLead);
    if (!lead) return skipped('the lead was not stored');
    const v = ctx.services.visitors.markOptedIn(input.visitor_id, lead.lead_id, ctx.now());
    return completed({ visitor_id: v.id, stage: v.stage });
  },
});

const audienceStep = addToAudience();
const notionStep = mirrorToNotion([upsertLead]);

export const leadOptInFlow = defineFlow({
  name: 'lead-optin',
  title: 'Lead opt-in',
  description: 'Creates or updates the lead, sends the immediate CTA email, marks the visitor opted in, adds them to the opted-in audience and mirrors them to Notion.',
  parameters,
  settings,
  steps: [upsertLead, sendCtaEmail, markVisitorOptedIn, audienceStep, notionStep],
  plan: (p, s) => [
    plan(upsertLead, p),
    plan(sendCtaEmail, { transactional_id: s.cta_transactional_id, email: p.email, first_name: p.first_name ?? s.first_name_fallback }),
    plan(markVisitorOptedIn, { visitor_id: p.visitor_id ?? '' }, p.visitor_id ? null : 'the event has no visitor_id'),
    plan(audienceStep, { audience: s.audience, email: p.email, phone: p.phone }),
    plan(notionStep, {}, s.mirror_to_notion ? null : 'mirroring to Notion is turned off in this flow\'s settings'),
  ],
});
