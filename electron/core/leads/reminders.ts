/**
 * "Remind me": a reminder rings the bell (the notifier, as a hot lead does) at its time. Reminders
 * are rows, so they survive restarts; at start and on wake from sleep every reminder already due
 * rings at once, marked missed when it is late (Leadbell was off or the computer slept then).
 * Between checks one timer waits for the next due time, never longer than MAX_WAIT_MS, since a
 * timer does not count time the computer slept through.
 */
import type { Reminder } from '../../../shared/api/models.js';
import { ApiError, notFound } from '../api/api-error.js';
import { uuidv7 } from '../ids.js';
import type { Logger } from '../log/logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { Db } from '../storage/database.js';
import type { LeadStore } from '../storage/lead-store.js';
import type { ReminderStore } from '../storage/reminder-store.js';

/** A reminder this late when it rings was missed (not just a timer's slack). */
export const LATE_MS = 60_000;
const MAX_WAIT_MS = 60_000;

export interface ReminderDeps {
  db: Db;
  store: ReminderStore;
  leads: LeadStore;
  notifier: Notifier;
  /** Milliseconds since the epoch (tests move it). */
  clock: () => number;
  log: Logger;
  changed: (leadId: string) => void;
}

export class Reminders {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;

  constructor(private readonly d: ReminderDeps) {}

  private iso(ms = this.d.clock()): string {
    return new Date(ms).toISOString();
  }

  add(leadId: string, at: string, text: string): Reminder {
    const due = new Date(at);
    const lead = this.d.leads.get(leadId);
    if (!lead) throw notFound(`lead ${leadId}`);
    if (due.getTime() < this.d.clock() - LATE_MS) {
      throw new ApiError('invalid_input', 'at is in the past: choose a time to come', [{ path: 'at', message: 'is in the past: choose a time to come' }]);
    }
    const r = this.d.store.add({ id: uuidv7(), lead_id: lead.id, due_at: due.toISOString(), text, created_at: this.iso() });
    this.d.changed(lead.id);
    this.schedule();
    return r;
  }

  remove(id: string): void {
    const r = this.d.store.get(id);
    if (!r || !this.d.store.remove(id)) throw notFound(`reminder ${id}`);
    this.d.changed(r.lead_id);
    this.schedule();
  }

  /** Starts ringing: what came due while Leadbell was off rings now. */
  start(): void {
    this.running = true;
    this.check();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Rings every reminder due by now (each once, even across a crash), then waits for the next. */
  check(): Reminder[] {
    const nowMs = this.d.clock();
    const now = this.iso(nowMs);
    const rang: Reminder[] = [];
    const shown = this.d.db.transaction(() =>
      this.d.store.due(now).flatMap((r) => {
        const missed = nowMs - Date.parse(r.due_at) > LATE_MS;
        if (!this.d.store.markRang(r.id, now, missed)) return [];
        rang.push({ ...r, rang_at: now, missed });
        const lead = this.d.leads.get(r.lead_id);
        const who = lead ? [lead.first_name, lead.last_name].filter(Boolean).join(' ') || lead.email : 'a lead';
        const when = new Date(r.due_at).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
        return [
          this.d.notifier.record(
            {
              kind: 'reminder',
              title: missed ? `Missed reminder: ${r.text}` : `Reminder: ${r.text}`,
              body: missed ? `About ${who}, due ${when} while Leadbell was not running.` : `About ${who}.`,
              lead_id: lead ? lead.id : null,
            },
            now,
          ),
        ];
      }),
    )();
    for (const n of shown) this.d.notifier.show(n);
    for (const r of rang) this.d.changed(r.lead_id);
    if (rang.length) this.d.log.info('reminders rang', { count: rang.length });
    this.schedule();
    return rang;
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.d.store.nextDue();
    if (next === undefined || next === null) return;
    const wait = Math.min(Math.max(0, Date.parse(next) - this.d.clock()), MAX_WAIT_MS);
    this.timer = setTimeout(() => this.check(), wait);
    this.timer.unref?.();
  }
}
