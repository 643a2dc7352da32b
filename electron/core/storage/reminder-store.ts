/** Reminders about leads, kept until they ring (and after, for the lead's page). */
import { reminder as reminderSchema, type Reminder } from '../../../shared/api/models.js';
import type { Db } from './database.js';
import { statement } from './statements.js';

const fromRow = (r: unknown): Reminder => reminderSchema.parse({ ...(r as object), missed: (r as { missed: number }).missed === 1 });

export class ReminderStore {
  constructor(private readonly db: Db) {}

  add(r: Omit<Reminder, 'rang_at' | 'missed'>): Reminder {
    statement(this.db, 'INSERT INTO reminders (id, lead_id, due_at, text, created_at) VALUES (@id, @lead_id, @due_at, @text, @created_at)').run(r);
    return { ...r, rang_at: null, missed: false };
  }

  get(id: string): Reminder | undefined {
    const row = statement(this.db, 'SELECT * FROM reminders WHERE id = ?').get(id);
    return row ? fromRow(row) : undefined;
  }

  remove(id: string): boolean {
    return statement(this.db, 'DELETE FROM reminders WHERE id = ?').run(id).changes > 0;
  }

  forLead(leadId: string): Reminder[] {
    return statement(this.db, 'SELECT * FROM reminders WHERE lead_id = ? ORDER BY due_at, id').all(leadId).map(fromRow);
  }

  /** Waiting reminders due at or before `at`, oldest first. */
  due(at: string): Reminder[] {
    return statement(this.db, 'SELECT * FROM reminders WHERE rang_at IS NULL AND due_at <= ? ORDER BY due_at, id').all(at).map(fromRow);
  }

  /** When the next waiting reminder is due, if any. */
  nextDue(): string | undefined {
    return statement(this.db, 'SELECT min(due_at) FROM reminders WHERE rang_at IS NULL').pluck().get() as string | undefined;
  }

  /** Marks it rung; false if it already had (or was cancelled), so it rings once. */
  markRang(id: string, at: string, missed: boolean): boolean {
    return statement(this.db, 'UPDATE reminders SET rang_at = ?, missed = ? WHERE id = ? AND rang_at IS NULL').run(at, missed ? 1 : 0, id).changes > 0;
  }
}
