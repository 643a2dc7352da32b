/** Steps several flows share: the Notion mirror, Meta custom audiences, lead change notices. */
import { z } from 'zod';
import type { Lead } from '../../../shared/api/models.js';
import { META_MAX_ROWS } from '../integrations/meta.js';
import type { NotionLead } from '../integrations/notion.js';
import type { LeadPatch } from '../storage/lead-store.js';
import { callStep, completed, skipped, type AnyStep, type CallOutcome, type LocalContext, type StepContext } from '../runner/step.js';

/** Tells the UI a lead changed, once the change is committed. */
export function announceLead(ctx: LocalContext, leadId: string): void {
  ctx.after(() => ctx.services.live.publish({ topic: 'lead', id: leadId }));
}

/** Only the fields an event actually carried: a missing value never wipes a stored one. */
export function givenFields(fields: Partial<Record<keyof LeadPatch, string | number | null | undefined>>): LeadPatch {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as LeadPatch;
}

/** How a run's event makes a new lead: a test lead when the owner test-fired it. */
export function newLeadOptions(ctx: StepContext): { isTest: boolean } {
  return { isTest: ctx.eventId !== null && ctx.services.events.testMark(ctx.eventId) !== null };
}

function runLead(ctx: StepContext): Lead | undefined {
  return ctx.leadId ? ctx.services.leads.get(ctx.leadId) : undefined;
}

/**
 * Notion mirrors waiting together (behind Notion's 3 requests/s) go as one batch: one query finds
 * the pages of them all, then each lead is one write, so 20 leads cost 21 requests instead of 40.
 * A batch's answers are stored once its last write is answered, so it is kept to about 7 s of
 * Notion's pace: the backlog's progress keeps moving and a crash repeats little. Batches of 100
 * (Notion's most) would save under 4% of the requests.
 */
export const NOTION_BATCH_MAX = 20;

const NO_LEAD = 'the run has no lead to mirror';

function notionLead(lead: Lead): NotionLead {
  return {
    email: lead.email,
    first_name: lead.first_name,
    phone: lead.phone,
    segment: lead.segment,
    source: lead.source,
    stage: lead.stage,
    score: lead.score,
    status: lead.status,
    priority: lead.priority,
    engagement_score: lead.engagement_score,
  };
}

/** The lead's page, remembered on the lead for next time. */
function mirrored(lead: Lead, pageId: string): CallOutcome<{ page_id: string }> {
  return {
    ...completed({ page_id: pageId }),
    localEffects: (tx) => {
      if (pageId !== lead.notion_page_id) {
        tx.services.leads.update(lead.id, { notion_page_id: pageId });
        announceLead(tx, lead.id);
      }
    },
  };
}

/**
 * Mirrors the run's lead to the owner's Notion data source. Mirrors that wait together share one
 * lookup; each lead's write has its own outcome. The lookup by Email before any create is what
 * makes a batch repeated after a crash find its pages instead of creating them again.
 */
export function mirrorToNotion(needs: AnyStep[]) {
  return callStep({
    name: 'mirror_to_notion',
    integration: 'notion',
    backlog: 'Notion updates',
    needs,
    input: z.object({}),
    output: z.object({ page_id: z.string() }),
    async call(_input, ctx) {
      const lead = runLead(ctx);
      if (!lead) return skipped(NO_LEAD);
      const { pageId } = await ctx.services.integrations.notion.upsertLead(notionLead(lead), lead.notion_page_id, ctx.call);
      return mirrored(lead, pageId);
    },
    batch: {
      key: () => 'leads',
      max: NOTION_BATCH_MAX,
      async callMany(calls) {
        const leads = calls.map(({ ctx }) => runLead(ctx));
        const present = leads.filter((l) => l !== undefined);
        const { ctx } = calls[0]!;
        const outcomes = present.length
          ? await ctx.services.integrations.notion.upsertLeads(present.map((l) => ({ lead: notionLead(l), pageId: l.notion_page_id })), ctx.call)
          : [];
        let next = 0;
        return leads.map((lead) => {
          if (!lead) return skipped(NO_LEAD);
          const outcome = outcomes[next++]!;
          return outcome instanceof Error ? outcome : mirrored(lead, outcome.pageId);
        });
      },
    },
  });
}

const audienceInput = z.object({
  audience: z.string(),
  /** Known when the run starts; otherwise the run's lead gives them. */
  email: z.string().nullable().default(null),
  phone: z.string().nullable().default(null),
});

type AudienceInput = z.infer<typeof audienceInput>;
type AudienceOutput = { audience: string; audience_id: string; num_received: number };

/** The person to add, from the step's input or the run's lead; null for an anonymous visitor. */
function audiencePerson(input: AudienceInput, ctx: StepContext): { email: string; phone: string | null } | null {
  const lead = runLead(ctx);
  const email = input.email ?? lead?.email ?? null;
  return email ? { email, phone: input.phone ?? lead?.phone ?? null } : null;
}

const ANONYMOUS =
  'Meta matches people only by email or phone, and this run has no known lead (an anonymous visitor cannot be added)';

/**
 * Adds the person to a Meta custom audience (hashed by the client; never in the clear). Additions
 * waiting for the same audience go out together, up to Meta's 10,000 people a request. Adding
 * someone already in an audience changes nothing, so a batch repeated after a crash is harmless.
 */
export function addToAudience(needs: AnyStep[] = []) {
  return callStep<AudienceInput, AudienceOutput>({
    name: 'add_to_audience',
    integration: 'meta',
    backlog: 'audience additions',
    needs,
    input: audienceInput,
    output: z.object({ audience: z.string(), audience_id: z.string(), num_received: z.number() }),
    async call(input, ctx) {
      const person = audiencePerson(input, ctx);
      if (!person) return skipped(ANONYMOUS);
      const r = await ctx.services.integrations.meta.addToAudience(input.audience, [person], ctx.call);
      return completed({ audience: input.audience, audience_id: r.audienceId, num_received: r.numReceived });
    },
    batch: {
      key: (input) => input.audience,
      max: META_MAX_ROWS,
      async callMany(calls) {
        const people = calls.map(({ input, ctx }) => audiencePerson(input, ctx));
        const known = people.filter((p) => p !== null);
        const first = calls[0]!;
        const r = known.length ? await first.ctx.services.integrations.meta.addToAudience(first.input.audience, known, first.ctx.call) : null;
        return calls.map(({ input }, i) =>
          people[i] && r ? completed({ audience: input.audience, audience_id: r.audienceId, num_received: 1 }) : skipped(ANONYMOUS),
        );
      },
    },
  });
}
