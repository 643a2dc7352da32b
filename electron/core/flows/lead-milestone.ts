/**
 * A booking made, a booking canceled, a purchase: the lead is created or updated, its automatic
 * stage moves (lead-stage.ts), and the team hears of it on Slack. One flow per milestone, so the
 * owner can switch each alert off or reword it in Automations on its own.
 */
import { z } from 'zod';
import { escapeSlackText } from '../integrations/chat-markup.js';
import { compileTemplate } from '../triggers/template.js';
import { completed, localStep, plan } from '../runner/step.js';
import { announceLead, givenFields } from './common-steps.js';
import { email, messageTemplate, number, text } from './fields.js';
import { defineFlow } from './flow.js';
import { stageAfter, type Milestone } from './lead-stage.js';
import { slackAlert } from './slack-alert.js';

const leadShape = {
  email,
  first_name: text(200),
  last_name: text(200),
  phone: text(50),
  segment: text(100),
  source: text(200),
};
const leadParams = z.object(leadShape);
type LeadParams = z.infer<typeof leadParams>;

const leadOf = ({ email: e, first_name, last_name, phone, segment, source }: LeadParams): LeadParams => ({ email: e, first_name, last_name, phone, segment, source });

function milestoneFlow<E extends z.ZodRawShape>(def: {
  name: string;
  title: string;
  description: string;
  milestone: Milestone;
  extra: E;
  message: string;
}) {
  const parameters = z.object({ ...leadShape, ...def.extra });
  type Params = z.infer<typeof parameters>;
  const roots = Object.keys(parameters.shape);
  const settings = z
    .object({
      /** A template over the parameters, e.g. "Booked: {{ first_name }} ({{ email }})". */
      message: messageTemplate(def.message, roots),
      alert_team: z.boolean().default(true),
    })
    .strict();

  const updateLead = localStep({
    name: 'update_lead',
    input: leadParams,
    output: z.object({ lead_id: z.string(), created: z.boolean(), stage: z.string() }),
    apply(p, ctx) {
      const before = ctx.services.leads.byEmail(p.email);
      const stage = stageAfter(before?.stage, def.milestone);
      const { lead: saved, created } = ctx.services.leads.upsert(p.email, {
        ...givenFields({ first_name: p.first_name, last_name: p.last_name, phone: p.phone, segment: p.segment?.toLowerCase(), source: p.source }),
        ...(stage && { stage }),
      });
      ctx.setLead(saved.id);
      announceLead(ctx, saved.id);
      return completed({ lead_id: saved.id, created, stage: saved.stage });
    },
  });
  const notifySlack = slackAlert({ name: 'notify_slack', backlog: 'Slack alerts' });

  return defineFlow({
    name: def.name,
    title: def.title,
    description: def.description,
    parameters,
    settings,
    steps: [updateLead, notifySlack],
    plan: (p: Params, s) => [
      plan(updateLead, leadOf(p as LeadParams)),
      plan(
        notifySlack,
        { text: String(compileTemplate(s.message, roots).render(p, escapeSlackText)) },
        s.alert_team ? null : "telling the team is turned off in this flow's settings",
      ),
    ],
  });
}

export const leadBookedFlow = milestoneFlow({
  name: 'lead-booked',
  title: 'Booking made',
  description: 'Creates or updates the lead, moves them to the Booked stage and tells the team on Slack.',
  milestone: 'booked',
  extra: { booking_name: text(300), start_time: text(64) },
  message: "Booked: {{ first_name | default('someone') }} ({{ email }}), {{ booking_name | default('an appointment') }} at {{ start_time | default('a time to confirm') }}",
});

export const leadBookingCanceledFlow = milestoneFlow({
  name: 'lead-booking-canceled',
  title: 'Booking canceled',
  description: 'Updates the lead, moves a booked lead to the Booking canceled stage and tells the team on Slack.',
  milestone: 'booking_canceled',
  extra: { booking_name: text(300), start_time: text(64), cancel_reason: text(1000) },
  message: "Canceled: {{ first_name | default('someone') }} ({{ email }}), {{ booking_name | default('an appointment') }} at {{ start_time | default('an unknown time') }}",
});

export const leadPurchasedFlow = milestoneFlow({
  name: 'lead-purchased',
  title: 'Purchase made',
  description: 'Creates or updates the lead, moves them to the Customer stage and tells the team on Slack.',
  milestone: 'customer',
  extra: { amount: number(0, 1e12), currency: text(3) },
  message: "New customer: {{ first_name | default('someone') }} ({{ email }}) paid {{ amount | default('an amount Stripe did not give') }} {{ currency | default('') }}",
});
