/**
 * Segment routing (the guide's pattern 3): starts the nurture sequence for the lead's segment by
 * sending Loops an event that names it; Loops runs the sequence itself.
 */
import { z } from 'zod';
import { callStep, completed, plan } from '../runner/step.js';
import { email, eventName, text } from './fields.js';
import { defineFlow } from './flow.js';

const parameters = z.object({ email, first_name: text(200), segment: text(100) });

const settings = z
  .object({
    /** Segment -> the Loops event that starts its nurture sequence. */
    nurtures: z
      .record(z.string().min(1).max(100), z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be a Loops event name'))
      .default({ 'beauty-salon': 'nurture_beauty_salon', 'auto-repair': 'nurture_auto_repair', fitness: 'nurture_fitness' }),
    /** For any other segment, or none. */
    general: eventName('nurture_general'),
  })
  .strict();

const startNurture = callStep({
  name: 'start_nurture',
  integration: 'loops',
  backlog: 'nurture starts',
  input: z.object({ event_name: z.string(), email: z.string(), nurture: z.string(), first_name: z.string().nullable() }),
  output: z.object({ event_name: z.string(), nurture: z.string(), already_sent: z.boolean() }),
  async call(input, ctx) {
    const r = await ctx.services.integrations.loops.sendEvent(
      {
        eventName: input.event_name,
        email: input.email,
        eventProperties: { nurture: input.nurture, ...(input.first_name && { first_name: input.first_name }) },
      },
      ctx.call,
    );
    return completed({ event_name: input.event_name, nurture: input.nurture, already_sent: r.alreadySent });
  },
});

export const segmentRoutingFlow = defineFlow({
  name: 'segment-routing',
  title: 'Nurture by segment',
  description: (s) => {
    const segments = Object.keys(s.nurtures);
    return `Starts the follow-up emails for the lead's segment (${segments.length ? `${segments.join(', ')}, else general` : 'general for everyone'}) with a Loops event.`;
  },
  parameters,
  settings,
  steps: [startNurture],
  plan: (p, s) => {
    const segment = p.segment?.toLowerCase() ?? null;
    const known = segment !== null && Object.hasOwn(s.nurtures, segment);
    return [
      plan(startNurture, {
        event_name: known ? s.nurtures[segment]! : s.general,
        email: p.email,
        nurture: known ? segment : 'general',
        first_name: p.first_name,
      }),
    ];
  },
});
