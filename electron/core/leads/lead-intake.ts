/**
 * Leads that do not come through a webhook: added by hand (a walk-in, a phone call), and clearing
 * out the owner's test leads. A lead added by hand is checked with the opt-in webhook's own field
 * rules; its automations run only when the owner asks, through an opt-in event like a form's.
 */
import type { Lead } from '../../../shared/api/models.js';
import { ApiError } from '../api/api-error.js';
import { uuidv7 } from '../ids.js';
import type { Db } from '../storage/database.js';
import type { NewEvent } from '../storage/event-store.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import { eraseLocal, hasUnfinishedRuns } from './erase-local.js';

export interface LeadIntakeDeps {
  db: Db;
  leads: LeadStore;
  activity: LeadActivityStore;
  now: () => string;
  /** Stores an event through the ingest writer; the automations pick it up like any other. */
  emit: (event: NewEvent) => Promise<unknown>;
  changed: (leadId: string) => void;
  /** Tables of other concerns keyed by lead id, removed with a lead. */
  leadTables: () => readonly string[];
}

export interface ManualLead {
  email: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  segment?: string;
  source?: string;
  run_automations: boolean;
  note?: string;
}

export const ADDED_BY_HAND = 'added by hand';

export class LeadIntake {
  constructor(private readonly d: LeadIntakeDeps) {}

  async add(input: ManualLead): Promise<{ lead: Lead; event_id: string | null }> {
    const { email, run_automations, note, ...rest } = input;
    const fields = { ...rest, segment: rest.segment?.toLowerCase(), source: rest.source ?? ADDED_BY_HAND };
    const lead = this.d.db.transaction(() => {
      if (this.d.leads.byEmail(email)) {
        throw new ApiError('conflict', `${email} is already one of your leads`, [{ path: 'email', message: 'is already one of your leads' }]);
      }
      const now = this.d.now();
      const { lead } = this.d.leads.upsert(email, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      this.d.activity.add(lead.id, 'added', now, { detail: { by: 'hand', automations: run_automations } });
      if (note) this.d.activity.add(lead.id, 'note', now, { text: note });
      return lead;
    })();
    this.d.changed(lead.id);
    if (!run_automations) return { lead, event_id: null };
    // The automations see a sign-up like a form's; its first step finds this lead by email.
    const now = this.d.now();
    const event: NewEvent = {
      id: uuidv7(),
      event: 'lead.opted_in',
      occurred: now,
      received_at: now,
      source: 'added-by-hand',
      resource: { 'prefect.resource.id': `lead.${lead.email}` },
      payload: { email: lead.email, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) },
      inbox_id: null,
      idempotency_key: null,
    };
    await this.d.emit(event);
    return { lead, event_id: event.id };
  }

  /** Removes every test lead whose automations have finished; the rest wait for the next clear. */
  clearTestLeads(): { cleared: number; waiting: number } {
    const ids = this.d.leads.ids({ test_leads: 'only' });
    let cleared = 0;
    let waiting = 0;
    this.d.db.transaction(() => {
      for (const id of ids) {
        const lead = this.d.leads.get(id);
        if (!lead) continue;
        if (hasUnfinishedRuns(this.d.db, id)) {
          waiting++;
          continue;
        }
        eraseLocal(this.d.db, lead, this.d.leadTables());
        cleared++;
      }
    })();
    for (const id of ids) this.d.changed(id);
    return { cleared, waiting };
  }
}
