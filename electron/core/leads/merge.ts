/**
 * Joins two leads that turn out to be one person (the owner gave one of them the other's email).
 * The edited lead stays (its page, its id); the other's history moves onto it and it is removed.
 * Where both have a value the edited lead's wins; the other fills what it lacks.
 */
import type { Lead } from '../../../shared/api/models.js';
import type { Db } from '../storage/database.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import { tidyTags } from './tags.js';

const FILLED = ['first_name', 'last_name', 'phone', 'segment', 'source', 'visitor_id', 'notion_page_id'] as const;

export function mergeLeads(d: { db: Db; leads: LeadStore; activity: LeadActivityStore }, keep: Lead, other: Lead, now: string): void {
  const filled = Object.fromEntries(FILLED.filter((k) => keep[k] === null && other[k] !== null).map((k) => [k, other[k]]));
  const score = keep.score === null ? other.score : other.score === null ? keep.score : Math.max(keep.score, other.score);
  // Runs, notes and reminders follow the lead; events follow its addresses (kept as former emails).
  d.db.prepare('UPDATE runs SET lead_id = ? WHERE lead_id = ?').run(keep.id, other.id);
  d.db.prepare('UPDATE visitors SET lead_id = ? WHERE lead_id = ?').run(keep.id, other.id);
  d.db.prepare('UPDATE email_clicks SET lead_id = ? WHERE lead_id = ?').run(keep.id, other.id);
  d.db.prepare('UPDATE reminders SET lead_id = ? WHERE lead_id = ?').run(keep.id, other.id);
  d.db.prepare('UPDATE notifications SET lead_id = ? WHERE lead_id = ?').run(keep.id, other.id);
  d.activity.move(other.id, keep.id);
  d.leads.remove(other.id);
  d.leads.setOwnerFields(keep.id, {
    email: other.email,
    former_emails: [...new Set([...keep.former_emails, keep.email, ...other.former_emails])].filter((e) => e !== other.email),
    tags: tidyTags([...keep.tags, ...other.tags]),
    created_at: keep.created_at < other.created_at ? keep.created_at : other.created_at,
  });
  d.leads.update(keep.id, { ...filled, score, engagement_score: keep.engagement_score + other.engagement_score });
  d.activity.add(keep.id, 'merge', now, { detail: { merged_email: other.email, merged_created_at: other.created_at } });
}
