/** Links a lead clicked in emails (email engagement). */
import type { Db } from './database.js';

export interface EmailClick {
  lead_id: string;
  email_id: string | null;
  link_url: string;
  event_id: string | null;
  clicked_at: string;
}

export class EmailClickStore {
  constructor(private readonly db: Db) {}

  record(c: EmailClick): void {
    this.db
      .prepare(
        'INSERT INTO email_clicks (lead_id, email_id, link_url, event_id, clicked_at) VALUES (@lead_id, @email_id, @link_url, @event_id, @clicked_at)',
      )
      .run(c);
  }
}
