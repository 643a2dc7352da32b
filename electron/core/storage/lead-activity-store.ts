/** A lead's notes and the owner's changes to it, for its timeline (and its export and erasure). */
import { z } from 'zod';
import type { LeadActivity, LeadActivityKind } from '../../../shared/api/models.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';
import { statement } from './statements.js';

interface Row {
  id: number;
  lead_id: string;
  kind: LeadActivityKind;
  text: string | null;
  detail_json: string;
  at: string;
}

const detail = z.record(z.string(), z.unknown());
const fromRow = (r: Row): LeadActivity => ({
  id: r.id,
  lead_id: r.lead_id,
  kind: r.kind,
  text: r.text,
  detail: readJson(detail, r.detail_json, 'lead activity'),
  at: r.at,
});

export class LeadActivityStore {
  constructor(private readonly db: Db) {}

  add(leadId: string, kind: LeadActivityKind, at: string, d: { text?: string | null; detail?: Record<string, unknown> } = {}): LeadActivity {
    const info = statement(this.db, 'INSERT INTO lead_activity (lead_id, kind, text, detail_json, at) VALUES (?, ?, ?, ?, ?)').run(
      leadId,
      kind,
      d.text ?? null,
      JSON.stringify(d.detail ?? {}),
      at,
    );
    return { id: Number(info.lastInsertRowid), lead_id: leadId, kind, text: d.text ?? null, detail: d.detail ?? {}, at };
  }

  forLead(leadId: string): LeadActivity[] {
    return (statement(this.db, 'SELECT * FROM lead_activity WHERE lead_id = ? ORDER BY at DESC, id DESC').all(leadId) as Row[]).map(fromRow);
  }

  /** A merged lead's history joins the lead it was merged into. */
  move(fromLeadId: string, toLeadId: string): void {
    statement(this.db, 'UPDATE lead_activity SET lead_id = ? WHERE lead_id = ?').run(toLeadId, fromLeadId);
  }
}
