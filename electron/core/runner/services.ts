/** What steps may use: the stores they read and write, the notifier and the vendor clients. */
import type { Integrations } from '../integrations/registry.js';
import type { LiveBus } from '../api/live-bus.js';
import type { Notifier } from '../notify/notifier.js';
import type { EmailClickStore } from '../storage/email-click-store.js';
import type { EventStore } from '../storage/event-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import type { VisitorStore } from '../storage/visitor-store.js';

export interface Services {
  events: EventStore;
  leads: LeadStore;
  visitors: VisitorStore;
  clicks: EmailClickStore;
  notifier: Notifier;
  integrations: Integrations;
  live: LiveBus;
}
