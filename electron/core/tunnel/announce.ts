/** How a public-URL change is told: a `tunnel.url_changed` event for flows and the event log, and a notification. */
import { uuidv7 } from '../ids.js';
import type { Logger } from '../log/logger.js';
import type { NewNotification } from '../notify/notifier.js';
import type { NewEvent } from '../storage/event-store.js';
import type { UrlChange } from './supervisor-options.js';

export interface AnnounceDeps {
  provider: string;
  /** Stores the event through the same path as received ones, so flows and the event log see it. */
  emit: (event: NewEvent) => Promise<unknown>;
  /** Stores and shows a notification (tray or UI). */
  notify: (n: NewNotification, at: string) => void;
  log: Logger;
}

export function announceUrlChange(c: UrlChange, d: AnnounceDeps): void {
  const at = new Date().toISOString();
  d.emit(urlChangedEvent(c, d.provider, at)).catch((err: Error) => d.log.error('could not store the URL change event', { error: err }));
  try {
    d.notify(urlChangedNotification(c), at);
  } catch (err) {
    d.log.error('could not record the URL change notification', { error: err as Error });
  }
}

export const URL_CHANGED_EVENT = 'tunnel.url_changed';

export function urlChangedEvent(c: UrlChange, provider: string, at: string): NewEvent {
  return {
    id: uuidv7(),
    event: URL_CHANGED_EVENT,
    occurred: at,
    received_at: at,
    source: 'tunnel',
    resource: { 'prefect.resource.id': `tunnel.${c.requested_subdomain}`, 'leadbell.tunnel.provider': provider },
    payload: {
      previous_url: c.previous_url,
      url: c.url,
      requested_subdomain: c.requested_subdomain,
      assigned_subdomain: c.assigned_subdomain,
      url_changed: c.url_changed,
    },
    inbox_id: null,
    idempotency_key: null,
  };
}

export function urlChangedNotification(c: UrlChange): NewNotification {
  return c.url_changed
    ? {
        kind: 'tunnel_url_changed',
        title: 'Your webhook URL changed',
        body:
          `The tunnel server would not give back your usual address, so webhooks now arrive at ${c.url}. ` +
          'Forms and tools still using the old URL will fail until you update them, or until Leadbell gets the usual address back.',
        lead_id: null,
      }
    : {
        kind: 'tunnel_url_changed',
        title: 'Your webhook URL is back',
        body: `Webhooks arrive at your usual address again: ${c.url}.`,
        lead_id: null,
      };
}
