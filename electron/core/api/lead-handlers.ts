/** Contract handlers for the owner's work on leads: adding, edits, notes, stages, tags, do-not-contact, test leads. */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import type { LeadEdits } from '../leads/lead-edits.js';
import type { LeadIntake } from '../leads/lead-intake.js';
import type { Reminders } from '../leads/reminders.js';
import type { Erasures } from '../leads/erasure.js';
import { planImport, runImport, type ImportDeps } from '../leads/csv-import.js';
import type { Lead } from '../../../shared/api/models.js';
import { notFound } from './api-error.js';
import type { LeadStore } from '../storage/lead-store.js';

export type LeadHandlers = Pick<ApiHandlers, 'updateLead' | 'addLeadNote' | 'bulkUpdateLeads' | 'setLeadDoNotContact' | 'addLead' | 'clearTestLeads' | 'addReminder' | 'deleteReminder' | 'eraseLead' | 'exportLead' | 'listErasures' | 'retryErasure' | 'previewLeadImport' | 'importLeads'>;

export interface LeadHandlerDeps {
  edits: LeadEdits;
  intake: LeadIntake;
  reminders: Reminders;
  erasures: Erasures;
  leads: LeadStore;
  /** Everything held about a lead (an access request). */
  exportPerson: (lead: Lead) => Record<string, unknown>;
  imports: ImportDeps;
}

export function leadHandlers({ edits, intake, reminders, erasures, leads, exportPerson, imports }: LeadHandlerDeps): LeadHandlers {
  return {
    previewLeadImport: async ({ csv, mapping }) => {
      const plan = planImport(csv, mapping, imports);
      return {
        columns: plan.columns,
        mapping: plan.mapping,
        total: plan.total,
        new_leads: plan.good.filter((g) => !g.existing).length,
        already_leads: plan.good.filter((g) => g.existing).length,
        sample: plan.good.slice(0, 10).map((g) => ({ row: g.row, email: g.email, ...g.fields, tags: g.tags, owner_stage: g.owner_stage ?? null })),
        errors: plan.errors,
      };
    },
    importLeads: async ({ csv, mapping, ...opts }) => runImport(planImport(csv, mapping, imports), opts, imports),
    eraseLead: async ({ id }) => erasures.erase(id),
    exportLead: async ({ id }) => {
      const lead = leads.get(id) ?? leads.byEmail(id);
      if (!lead) throw notFound(`lead ${id}`);
      return { filename: `leadbell-person-${new Date().toISOString().slice(0, 10)}.json`, person: exportPerson(lead) };
    },
    listErasures: async () => ({ items: erasures.list() }),
    retryErasure: async ({ id }) => erasures.retry(id),
    addReminder: async ({ id, at, text }) => reminders.add(id, at, text),
    deleteReminder: async ({ id }) => {
      reminders.remove(id);
      return { ok: true as const };
    },
    addLead: (input) => intake.add(input),
    clearTestLeads: async () => intake.clearTestLeads(),
    updateLead: async ({ id, merge, ...edit }) => edits.edit(id, edit, merge),
    setLeadDoNotContact: async ({ id, do_not_contact, note }) => ({ lead: edits.doNotContact(id, do_not_contact, note) }),
    addLeadNote: async ({ id, text }) => edits.note(id, text),
    bulkUpdateLeads: async ({ ids, filter, ...change }) => ({ updated: edits.bulk(ids ?? leads.ids(filter!), change) }),
  };
}
