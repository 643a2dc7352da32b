/** Anonymous visitors (by the landing page's visitor_id), their stage and their link to a lead. */
import type { Db } from './database.js';

export interface Visitor {
  id: string;
  lead_id: string | null;
  stage: string;
  visits: number;
  first_seen: string;
  last_seen: string;
  last_page_url: string | null;
  last_duration: number | null;
}

export class VisitorStore {
  constructor(private readonly db: Db) {}

  get(id: string): Visitor | undefined {
    return this.db.prepare('SELECT * FROM visitors WHERE id = ?').get(id) as Visitor | undefined;
  }

  /** A sales-page visit: counts it, moves the visitor to that stage, remembers the page and the time spent. */
  recordVisit(id: string, pageUrl: string, duration: number, at: string): Visitor {
    this.db
      .prepare(
        `INSERT INTO visitors (id, stage, visits, first_seen, last_seen, last_page_url, last_duration)
         VALUES (@id, 'sales_page', 1, @at, @at, @page_url, @duration)
         ON CONFLICT (id) DO UPDATE SET visits = visits + 1, last_seen = @at, last_page_url = @page_url,
           last_duration = @duration, stage = 'sales_page'`,
      )
      .run({ id, at, page_url: pageUrl, duration });
    return this.get(id)!;
  }

  /** The visitor became a lead: link them and move them to the opted-in stage. */
  markOptedIn(id: string, leadId: string, at: string): Visitor {
    this.db
      .prepare(
        `INSERT INTO visitors (id, lead_id, stage, visits, first_seen, last_seen)
         VALUES (@id, @lead_id, 'opted_in', 0, @at, @at)
         ON CONFLICT (id) DO UPDATE SET lead_id = @lead_id, stage = 'opted_in', last_seen = @at`,
      )
      .run({ id, lead_id: leadId, at });
    return this.get(id)!;
  }
}
