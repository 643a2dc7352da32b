/**
 * Desktop notifications: stored with the change that caused them, then shown once committed
 * (the tray in Electron, the UI in headless mode) and pushed to the UI as a live update.
 */
import type { Notification } from '../../../shared/api/models.js';
import type { LiveBus } from '../api/live-bus.js';
import type { Logger } from '../log/logger.js';
import type { NotificationStore } from '../storage/notification-store.js';
import { uuidv7 } from '../ids.js';

export type NewNotification = Pick<Notification, 'kind' | 'title' | 'body' | 'lead_id'>;

export class Notifier {
  constructor(
    private readonly store: NotificationStore,
    private readonly live: LiveBus,
    private readonly deliver: ((n: Notification) => void) | undefined,
    private readonly log: Logger,
  ) {}

  /** Stores a notification; call inside the transaction of the change, then show() after commit. */
  record(n: NewNotification, at: string): Notification {
    const stored: Notification = { id: uuidv7(), ...n, created_at: at };
    this.store.insert(stored);
    return stored;
  }

  show(n: Notification): void {
    try {
      this.deliver?.(n);
    } catch (e) {
      // The notification is stored and listed either way; a broken tray must not fail a run.
      this.log.warn('could not show a desktop notification', { error: e as Error, kind: n.kind });
    }
    this.live.publish({ topic: 'notification', id: n.id, notification: n });
  }

  list(q: { limit: number; offset: number }): { items: Notification[]; total: number } {
    return this.store.list(q);
  }
}
