/** Everything held about one person, for an access request: what erasure would remove, as JSON. */
import type { Lead } from '../../../shared/api/models.js';
import { leadResourceIds } from '../../../shared/events/lead-resources.js';
import type { Db } from '../storage/database.js';
import type { EventStore } from '../storage/event-store.js';
import { readJsonValue } from '../storage/json-column.js';

export function personExport(db: Db, events: EventStore, lead: Lead): Record<string, unknown> {
  const evts = events.forResources(leadResourceIds(lead), 100_000);
  const ids = evts.map((e) => e.id);
  const inboxIds = evts.map((e) => e.inbox_id).filter((i) => i !== null);
  const requests = inboxIds.length
    ? (db.prepare(`SELECT id, received_at, endpoint, method, path, via, headers_json, content_type, body FROM inbox WHERE id IN (${inboxIds.map(() => '?').join(',')})`).all(...inboxIds) as {
        headers_json: string;
        body: Buffer;
      }[])
    : [];
  const runs = db
    .prepare(`SELECT * FROM runs WHERE lead_id = ? ${ids.length ? `OR event_id IN (${ids.map(() => '?').join(',')})` : ''} ORDER BY created_at`)
    .all(lead.id, ...ids) as { id: string; parameters_json: string }[];
  const steps = db.prepare('SELECT name, status, attempts, input_json, output_json, error, skip_reason, updated_at FROM steps WHERE run_id = ? ORDER BY idx');
  const byLead = (table: string) => db.prepare(`SELECT * FROM ${table} WHERE lead_id = ?`).all(lead.id);
  return {
    exported_at: new Date().toISOString(),
    lead,
    visitor: lead.visitor_id ? (db.prepare('SELECT * FROM visitors WHERE id = ?').get(lead.visitor_id) ?? null) : null,
    events: evts,
    requests: requests.map(({ headers_json, body, ...r }) => ({ ...r, headers: readJsonValue(headers_json, 'request headers'), body: body.toString('utf8') })),
    runs: runs.map(({ parameters_json, ...r }) => ({
      ...r,
      parameters: readJsonValue(parameters_json, 'run parameters'),
      steps: (steps.all(r.id) as { input_json: string | null; output_json: string | null }[]).map(({ input_json, output_json, ...s }) => ({
        ...s,
        input: readJsonValue(input_json, 'step input'),
        output: readJsonValue(output_json, 'step output'),
      })),
    })),
    notes_and_changes: byLead('lead_activity'),
    reminders: byLead('reminders'),
    alerts: byLead('notifications'),
    email_clicks: byLead('email_clicks'),
  };
}
