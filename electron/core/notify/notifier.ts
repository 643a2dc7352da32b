/**
 * Desktop notifications: stored with the change that caused them, then shown once committed
 * (the tray in Electron, the UI in headless mode) and pushed to the UI as a live update.
 * Every bell goes through show(), so the owner's alert settings (which events ring, sound,
 * quiet hours) apply to all of them here, and to nothing else.
 */
import type { AlertSettings } from '../../../shared/alerts.js';
import type { Notification } from '../../../shared/api/models.js';
import type { LiveBus } from '../api/live-bus.js';
import type { Logger } from '../log/logger.js';
import type { NotificationStore } from '../storage/notification-store.js';
import { uuidv7 } from '../ids.js';
import { decideAlert, ringsFor } from './alert-policy.js';
import { lastWindow } from './quiet-hours.js';

export type NewNotification = Pick<Notification, 'kind' | 'title' | 'body' | 'lead_id'>;

/** How a ringing notification is shown: a banner, with the system sound or silent. */
export type Deliver = (n: Notification, how: { sound: boolean }) => void;

export interface AlertSource {
  settings: () => AlertSettings;
  /** Milliseconds since the epoch (tests move it). */
  clock: () => number;
}

/** How often the end of quiet hours is looked for; the summary is at most this late. */
const QUIET_CHECK_MS = 60_000;
const SUMMARY_LINES = 6;

/** Singular and plural words per kind, for the quiet-hours summary. */
const WORDS: Record<Notification['kind'], [string, string]> = {
  hot_lead: ['hot lead', 'hot leads'],
  high_engagement: ['highly engaged lead', 'highly engaged leads'],
  reminder: ['reminder', 'reminders'],
  failure: ['failure', 'failures'],
  app_problem: ['problem with an app', 'problems with apps'],
  tunnel_url_changed: ['webhook address change', 'webhook address changes'],
  info: ['notice', 'notices'],
  quiet_summary: ['summary', 'summaries'],
};

export function quietSummary(held: Notification[]): NewNotification {
  const counts = new Map<Notification['kind'], number>();
  for (const n of held) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, c]) => `${c} ${WORDS[kind][c === 1 ? 0 : 1]}`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
  const lines = held.slice(0, SUMMARY_LINES).map((n) => n.title);
  if (held.length > SUMMARY_LINES) lines.push(`and ${held.length - SUMMARY_LINES} more in Leadbell`);
  return { kind: 'quiet_summary', title: `During quiet hours: ${list}`, body: lines.join('\n'), lead_id: null };
}

export class Notifier {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: NotificationStore,
    private readonly live: LiveBus,
    private readonly deliver: Deliver | undefined,
    private readonly log: Logger,
    private readonly alerts: AlertSource,
  ) {}

  /** Stores a notification; call inside the transaction of the change, then show() after commit. */
  record(n: NewNotification, at: string): Notification {
    const stored: Notification = { id: uuidv7(), ...n, created_at: at };
    this.store.insert(stored);
    return stored;
  }

  /** Rings it as the owner's alert settings say; it is listed in the app either way. */
  show(n: Notification): void {
    const decision = decideAlert(n, this.alerts.settings(), this.alerts.clock());
    if (decision.ring) {
      try {
        this.deliver?.(n, { sound: decision.sound });
      } catch (e) {
        // The notification is stored and listed either way; a broken tray must not fail a run.
        this.log.warn('could not show a desktop notification', { error: e as Error, kind: n.kind });
      }
    }
    // Only a ringing notification carries itself: the UI shows that one as a banner too.
    this.live.publish({ topic: 'notification', id: n.id, ...(decision.ring && { notification: n }) });
  }

  /**
   * After quiet hours end, one notification lists what they held back (once per window, also
   * across restarts: a summary stored after the window's end means it was given).
   */
  summarizeQuietHours(): Notification | null {
    const s = this.alerts.settings();
    if (!s.quiet_hours) return null;
    const now = this.alerts.clock();
    const q = { from: s.quiet_from, until: s.quiet_until };
    if (lastWindow(now, q, true)) return null;
    const w = lastWindow(now, q);
    if (!w) return null;
    const end = new Date(w.end).toISOString();
    if (this.store.latestOfKind('quiet_summary', end)) return null;
    const held = this.store.between(new Date(w.start).toISOString(), end).filter((n) => n.kind !== 'quiet_summary' && ringsFor(n.kind, s));
    if (!held.length) return null;
    const summary = this.record(quietSummary(held), new Date(now).toISOString());
    this.show(summary);
    return summary;
  }

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), QUIET_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    try {
      this.summarizeQuietHours();
    } catch (e) {
      this.log.warn('could not give the quiet-hours summary', { error: e as Error });
    }
  }

  list(q: { limit: number; offset: number }): { items: Notification[]; total: number } {
    return this.store.list(q);
  }
}
