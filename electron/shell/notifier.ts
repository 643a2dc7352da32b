/** Desktop notifications for hot leads, high engagement, reminders and a changed public address; a click opens what it is about. */
import type { Notification } from '../../shared/api/models.js';
import type { Logger } from '../core/log/logger.js';
import type { Deliver } from '../core/notify/notifier.js';
import type { NotificationPort } from './ports.js';

/** The UI route a notification opens. */
export function routeFor(n: Notification): string {
  return n.lead_id && n.kind !== 'tunnel_url_changed' ? `/leads/${encodeURIComponent(n.lead_id)}` : '/';
}

/** The core decides whether a notification rings and with sound (the owner's alert settings); this only shows it. */
export function createDesktopNotifier(port: NotificationPort, open: (route: string) => void, log: Logger): Deliver {
  let warned = false;
  return (n, how) => {
    if (!port.isSupported()) {
      // The UI still shows the alert; say once why the desktop does not.
      if (!warned) log.warn('desktop notifications are not supported here; alerts show in the app only');
      warned = true;
      return;
    }
    port.show({ title: n.title, body: n.body, silent: !how.sound }, () => open(routeFor(n)));
  };
}
