/** Steps several flows share: the Notion mirror, Meta custom audiences, lead change notices. */
import { z } from 'zod';
import type { Lead } from '../../../shared/api/models.js';
import type { LeadPatch } from '../storage/lead-store.js';
import { callStep, completed, skipped, type AnyStep, type LocalContext, type StepContext } from '../runner/step.js';

/** Tells the UI a lead changed, once the change is committed. */
export function announceLead(ctx: LocalContext, leadId: string): void {
  ctx.after(() => ctx.services.live.publish({ topic: 'lead', id: leadId }));
}

/** Only the fields an event actually carried: a missing value never wipes a stored one. */
export function givenFields(fields: Partial<Record<keyof LeadPatch, string | number | null | undefined>>): LeadPatch {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as LeadPatch;
}

function runLead(ctx: StepContext): Lead | undefined {
  return ctx.leadId ? ctx.services.leads.get(ctx.leadId) : undefined;
}

/** Mirrors the run's lead to the owner's Notion data source, remembering the page for next time. */
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
      if (!lead) return skipped('the run has no lead to mirror');
      const { pageId } = await ctx.services.integrations.notion.upsertLead(
        {
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
        },
        lead.notion_page_id,
        ctx.call,
      );
      return {
        ...completed({ page_id: pageId }),
        commit: (tx) => {
          if (pageId !== lead.notion_page_id) {
            tx.services.leads.update(lead.id, { notion_page_id: pageId });
            announceLead(tx, lead.id);
          }
        },
      };
    },
  });
}

const audienceInput = z.object({
  audience: z.string(),
  /** Known when the run starts; otherwise the run's lead gives them. */
  email: z.string().nullable().default(null),
  phone: z.string().nullable().default(null),
});

/** Adds the person to a Meta custom audience (hashed by the client; never in the clear). */
export function addToAudience(needs: AnyStep[] = []) {
  return callStep({
    name: 'add_to_audience',
    integration: 'meta',
    backlog: 'audience additions',
    needs,
    input: audienceInput,
    output: z.object({ audience: z.string(), audience_id: z.string(), num_received: z.number() }),
    async call(input, ctx) {
      const lead = runLead(ctx);
      const email = input.email ?? lead?.email ?? null;
      if (!email) {
        return skipped('Meta matches people only by email or phone, and this run has no known lead (an anonymous visitor cannot be added)');
      }
      const phone = input.phone ?? lead?.phone ?? null;
      const r = await ctx.services.integrations.meta.addToAudience(input.audience, [{ email, phone }], ctx.call);
      return completed({ audience: input.audience, audience_id: r.audienceId, num_received: r.numReceived });
    },
  });
}
