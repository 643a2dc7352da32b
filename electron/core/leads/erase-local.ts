/**
 * Removes everything this machine holds about one lead, in one transaction: the lead, its visitor
 * links, the events about it and the stored requests they came from, its runs with their steps
 * (inputs and outputs carry its email), trigger firings, clicks, notifications, notes and changes,
 * and reminders. The connection must have secure_delete on (database.ts), so freed pages and cells
 * are zeroed instead of keeping the bytes.
 */
import type { Lead } from '../../../shared/api/models.js';
import { leadResourceIds } from '../../../shared/events/lead-resources.js';
import type { Db } from '../storage/database.js';

/** What was removed, in numbers only (kept in the erasure record: no personal data). */
export interface LocalErasure {
  events: number;
  requests: number;
  runs: number;
  notes: number;
}

/** Tables holding rows keyed by lead id that go with the lead. */
export const LEAD_ROW_TABLES = ['lead_activity', 'email_clicks', 'notifications', 'reminders'] as const;

/** Whether an automation is still working for the lead (its steps may be waiting on a vendor). */
export function hasUnfinishedRuns(db: Db, leadId: string): boolean {
  return db.prepare("SELECT 1 FROM runs WHERE lead_id = ? AND status IN ('scheduled', 'pending', 'running') LIMIT 1").get(leadId) !== undefined;
}

export function eraseLocal(db: Db, lead: Lead, extraTables: readonly string[] = []): LocalErasure {
  const resources = leadResourceIds(lead);
  const marks = resources.map(() => '?').join(',');
  const emails = [lead.email, ...lead.former_emails];
  const eventRows = db.prepare(`SELECT id, inbox_id FROM events WHERE resource_id IN (${marks})`).all(...resources) as { id: string; inbox_id: number | null }[];
  const eventIds = eventRows.map((e) => e.id);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS erase_events (id TEXT PRIMARY KEY)');
  db.exec('DELETE FROM temp.erase_events');
  const addEvent = db.prepare('INSERT OR IGNORE INTO temp.erase_events (id) VALUES (?)');
  for (const id of eventIds) addEvent.run(id);

  // Requests: those that became its events (and their duplicates), and refused or ignored ones that
  // name its email (a Loops delivery acknowledged and left alone still holds the address).
  let requests = db.prepare('DELETE FROM inbox WHERE event_id IN (SELECT id FROM temp.erase_events)').run().changes;
  for (const e of eventRows) if (e.inbox_id !== null) requests += db.prepare('DELETE FROM inbox WHERE id = ?').run(e.inbox_id).changes;
  for (const email of emails) {
    requests += db.prepare("DELETE FROM inbox WHERE outcome != 'accepted' AND instr(lower(CAST(body AS TEXT)), ?) > 0").run(email).changes;
  }

  const runIds = db
    .prepare('SELECT id FROM runs WHERE lead_id = ? OR event_id IN (SELECT id FROM temp.erase_events)')
    .pluck()
    .all(lead.id) as string[];
  const deleteSteps = db.prepare('DELETE FROM steps WHERE run_id = ?');
  const deleteRun = db.prepare('DELETE FROM runs WHERE id = ?');
  for (const id of runIds) {
    deleteSteps.run(id);
    deleteRun.run(id);
  }
  db.prepare(`DELETE FROM trigger_firings WHERE event_id IN (SELECT id FROM temp.erase_events) OR resource_id IN (${marks})`).run(...resources);
  const events = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM temp.erase_events)').run().changes;
  db.exec('DELETE FROM temp.erase_events');

  const notes = db.prepare("SELECT count(*) FROM lead_activity WHERE lead_id = ? AND kind = 'note'").pluck().get(lead.id) as number;
  for (const table of [...LEAD_ROW_TABLES, ...extraTables]) db.prepare(`DELETE FROM ${table} WHERE lead_id = ?`).run(lead.id);
  db.prepare('DELETE FROM visitors WHERE lead_id = ? OR id = ?').run(lead.id, lead.visitor_id);
  db.prepare('DELETE FROM leads WHERE id = ?').run(lead.id);
  return { events, requests, runs: runIds.length, notes };
}
