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

  /** Notifications created in [from, to), oldest first. */
  between(from: string, to: string): Notification[] {
    const rows = this.db.prepare('SELECT * FROM notifications WHERE created_at >= ? AND created_at < ? ORDER BY created_at, rowid').all(from, to) as unknown[];
    return rows.map((r) => notificationSchema.parse(r));
  }

  /** The newest notification of a kind created at or after `since`, if any. */
  latestOfKind(kind: Notification['kind'], since: string): Notification | null {
    const row = this.db.prepare('SELECT * FROM notifications WHERE kind = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1').get(kind, since);
    return row ? notificationSchema.parse(row) : null;
  }

  list(q: { limit: number; offset: number }): { items: Notification[]; total: number } {
    const total = this.db.prepare('SELECT count(*) FROM notifications').pluck().get() as number;
    const rows = this.db
      .prepare('SELECT * FROM notifications ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?')
      .all(q.limit, q.offset) as unknown[];
    return { items: rows.map((r) => notificationSchema.parse(r)), total };
  }
}
