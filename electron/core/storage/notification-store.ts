/** Desktop notifications as shown in the app (hot leads, high engagement, tunnel URL changes). */
import { notification as notificationSchema, type Notification } from '../../../shared/api/models.js';
import type { Db } from './database.js';

export class NotificationStore {
  constructor(private readonly db: Db) {}

  insert(n: Notification): void {
    this.db
      .prepare(
        'INSERT INTO notifications (id, kind, title, body, lead_id, created_at) VALUES (@id, @kind, @title, @body, @lead_id, @created_at)',
      )
      .run(n);
  }

  list(q: { limit: number; offset: number }): { items: Notification[]; total: number } {
    const total = this.db.prepare('SELECT count(*) FROM notifications').pluck().get() as number;
    const rows = this.db
      .prepare('SELECT * FROM notifications ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?')
      .all(q.limit, q.offset) as unknown[];
    return { items: rows.map((r) => notificationSchema.parse(r)), total };
  }
}
