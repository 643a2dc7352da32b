/**
 * The owner's changes to leads: edits (with a merge when the new email is another lead's), notes,
 * the owner stage and tags, one lead or many. Each change and its timeline entry commit together.
 */
import type { LeadEdit } from '../../../shared/api/contract.js';
import type { Lead, LeadActivity } from '../../../shared/api/models.js';
import type { Settings } from '../../../shared/settings.js';
import { ApiError, notFound } from '../api/api-error.js';
import type { Db } from '../storage/database.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import { mergeLeads } from './merge.js';
import { tidyTags } from './tags.js';
import { setDoNotContact } from './do-not-contact.js';

export interface LeadEditDeps {
  db: Db;
  leads: LeadStore;
  activity: LeadActivityStore;
  settings: () => Settings;
  now: () => string;
  /** Tells the UI a lead changed. */
  changed: (leadId: string) => void;
}

const TEXT_FIELDS = ['first_name', 'last_name', 'phone', 'segment'] as const;


function bad(path: string, message: string): ApiError {
  return new ApiError('invalid_input', `${path} ${message}`, [{ path, message }]);
}

export class LeadEdits {
  constructor(private readonly d: LeadEditDeps) {}

  /** The owner stage as listed in settings (matched case aside), or a 400 naming the field. */
  private ownerStage(given: string, path = 'owner_stage'): string {
    const stages = this.d.settings().leads.owner_stages;
    const found = stages.find((s) => s.toLowerCase() === given.trim().toLowerCase());
    if (!found) throw bad(path, `must be one of the stages in your list: ${stages.join(', ')}`);
    return found;
  }

  private lead(id: string): Lead {
    const lead = this.d.leads.get(id);
    if (!lead) throw notFound(`lead ${id}`);
    return lead;
  }

  edit(id: string, edit: LeadEdit, merge: boolean): { lead: Lead; merged_with: string | null } {
    const stage = edit.owner_stage === undefined ? undefined : this.ownerStage(edit.owner_stage);
    const result = this.d.db.transaction(() => {
      const before = this.lead(id);
      const now = this.d.now();
      let mergedWith: string | null = null;
      if (edit.email !== undefined && edit.email !== before.email) {
        const other = this.d.leads.byEmail(edit.email);
        if (other && !merge) {
          throw new ApiError('conflict', `another lead already has the email ${edit.email}: merge the two leads, or choose another email`, [
            { path: 'email', message: 'belongs to another lead' },
          ]);
        }
        if (other) {
          mergeLeads(this.d, before, other, now);
          mergedWith = other.email;
        } else {
          this.d.leads.setOwnerFields(id, { email: edit.email, former_emails: [...before.former_emails, before.email] });
        }
      }
      const fields: Partial<Record<(typeof TEXT_FIELDS)[number], string | null>> = {};
      for (const k of TEXT_FIELDS) {
        const v = edit[k];
        if (v === undefined) continue;
        const value = k === 'segment' && v ? v.toLowerCase() : v;
        if (value !== before[k]) fields[k] = value;
      }
      if (Object.keys(fields).length) this.d.leads.update(id, fields);
      const tags = edit.tags && tidyTags(edit.tags);
      if (tags && tags.join('\n') !== before.tags.join('\n')) this.d.leads.setOwnerFields(id, { tags });
      if (stage !== undefined && stage !== before.owner_stage) {
        this.d.leads.setOwnerFields(id, { owner_stage: stage });
        this.d.activity.add(id, 'owner_stage', now, { detail: { from: before.owner_stage, to: stage } });
      }
      const edited = [...Object.keys(fields), ...(tags && tags.join('\n') !== before.tags.join('\n') ? ['tags'] : []), ...(edit.email !== undefined && edit.email !== before.email && !mergedWith ? ['email'] : [])];
      if (edited.length) this.d.activity.add(id, 'edit', now, { detail: { fields: edited } });
      return { lead: this.lead(id), merged_with: mergedWith };
    })();
    this.d.changed(id);
    return result;
  }

  doNotContact(id: string, on: boolean, note: string | undefined): Lead {
    const lead = this.d.db.transaction(() => {
      this.lead(id);
      const now = this.d.now();
      setDoNotContact(this.d, id, on ? { reason: 'owner', source: 'owner', at: now, note: note || null } : null, now);
      return this.lead(id);
    })();
    this.d.changed(id);
    return lead;
  }

  note(id: string, text: string): LeadActivity {
    const note = this.d.db.transaction(() => {
      this.lead(id);
      return this.d.activity.add(id, 'note', this.d.now(), { text });
    })();
    this.d.changed(id);
    return note;
  }

  /** One stage and tag change over many leads, all or nothing. */
  bulk(ids: string[], change: { owner_stage?: string; add_tags?: string[]; remove_tags?: string[] }): number {
    const stage = change.owner_stage === undefined ? undefined : this.ownerStage(change.owner_stage);
    const removing = new Set((change.remove_tags ?? []).map((t) => t.toLowerCase()));
    const updated = this.d.db.transaction(() => {
      const now = this.d.now();
      let n = 0;
      for (const [i, id] of ids.entries()) {
        const lead = this.d.leads.get(id);
        if (!lead) throw new ApiError('not_found', `lead ${id} not found (nothing was changed)`, [{ path: `ids.${i}`, message: 'is not a lead' }]);
        const tags = tidyTags([...lead.tags.filter((t) => !removing.has(t.toLowerCase())), ...(change.add_tags ?? [])]);
        const tagsChanged = tags.join('\n') !== lead.tags.join('\n');
        const stageChanged = stage !== undefined && stage !== lead.owner_stage;
        if (!tagsChanged && !stageChanged) continue;
        this.d.leads.setOwnerFields(id, { ...(tagsChanged && { tags }), ...(stageChanged && { owner_stage: stage }) });
        if (stageChanged) this.d.activity.add(id, 'owner_stage', now, { detail: { from: lead.owner_stage, to: stage } });
        if (tagsChanged) this.d.activity.add(id, 'edit', now, { detail: { fields: ['tags'] } });
        n++;
      }
      return n;
    })();
    for (const id of ids) this.d.changed(id);
    return updated;
  }
}
