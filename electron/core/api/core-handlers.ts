/** Contract handlers over the store, settings and receiver (the foundation's part of the API). */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import { leadExport, type Reminder, type Status, type TimelineItem } from '../../../shared/api/models.js';
import { ENDPOINT_INFO } from '../../../shared/events/catalog.js';
import { endpointTargets } from '../../../shared/events/endpoint-target.js';
import { secretValueProblem } from '../../../shared/integrations/index.js';
import { WEBHOOK_PREFIX } from '../ingest/receiver.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { Db } from '../storage/database.js';
import type { EventStore } from '../storage/event-store.js';
import type { EventEffects } from '../triggers/event-effects.js';
import type { InboxStore } from '../storage/inbox-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import { SettingsError, type SettingsStore } from '../storage/settings-store.js';
import { ApiError, notFound } from './api-error.js';
import { csvRows } from './csv.js';
import type { LiveBus } from './live-bus.js';
import { computeStats } from './stats.js';
import { testFire, type FireTarget } from './test-fire.js';
import { leadResourceIds } from '../../../shared/events/lead-resources.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';

export interface CoreHandlerDeps {
  db: Db;
  dataDir: string;
  inbox: InboxStore;
  events: EventStore;
  leads: LeadStore;
  settings: SettingsStore;
  secrets: SecretStore;
  live: LiveBus;
  fire: FireTarget;
  status: () => Status;
  /** The owner's notes and changes, for a lead's timeline. */
  activity: LeadActivityStore;
  /** A lead's reminders, for its page. */
  remindersOf: (leadId: string) => Reminder[];
  /** Runs to show on a lead's timeline (the engine provides them). */
  runsForLead: (leadId: string) => TimelineItem[];
  /** What an event led to (the engine reads its firings and runs). */
  effectsOf: (eventId: string) => EventEffects;
}

export type CoreHandlers = Pick<
  ApiHandlers,
  | 'getStatus'
  | 'getStats'
  | 'listEndpoints'
  | 'listEvents'
  | 'listRequests'
  | 'getRequestEffects'
  | 'listLeads'
  | 'getLead'
  | 'listSegments'
  | 'exportLeads'
  | 'getSettings'
  | 'updateSettings'
  | 'setSecret'
  | 'testFire'
>;

const LEAD_COLUMNS = Object.keys(leadExport.shape);

export function coreHandlers(d: CoreHandlerDeps): CoreHandlers {
  const settingsView = () => ({ settings: d.settings.get(), secrets: d.secrets.view() });
  return {
    getStatus: async () => d.status(),
    getStats: async () => computeStats(d.db),
    listEndpoints: async () => {
      const s = d.settings.get();
      const pub = d.fire.publicBaseUrl();
      return {
        items: endpointTargets(s).map((t) => {
          const info = ENDPOINT_INFO[t.kind];
          const ep = t.settings;
          const checked = !ep.public_form && ep.signature !== 'none';
          const signed = checked && (d.secrets.get(`webhook.${t.name}`) !== null || d.secrets.get('webhook.default') !== null) ? ep.signature : 'none';
          return {
            name: t.name,
            title: t.title,
            description: info.description,
            emits: [...info.emits],
            path: `${WEBHOOK_PREFIX}${t.name}`,
            local_url: `${d.fire.directBaseUrl}${WEBHOOK_PREFIX}${t.name}`,
            public_url: pub ? `${pub}${WEBHOOK_PREFIX}${t.name}` : null,
            signature: signed,
            public_form: ep.public_form,
            enabled: ep.enabled,
            kind: t.kind,
            named: t.named,
          };
        }),
      };
    },
    listEvents: async (q) => d.events.list(q),
    listRequests: async (q) => d.inbox.list(q),
    getRequestEffects: async ({ id }) => {
      const request = d.inbox.eventOf(id);
      if (!request) throw notFound(`request ${id}`);
      if (request.event_id === null) return { request_id: id, state: 'no_event', event: null, lead: null, automations: [] };
      return { request_id: id, ...d.effectsOf(request.event_id) };
    },
    listLeads: async (q) => d.leads.list(q),
    getLead: async ({ id }) => {
      const lead = d.leads.get(id) ?? d.leads.byEmail(id);
      if (!lead) throw notFound(`lead ${id}`);
      const timeline: TimelineItem[] = [
        ...d.events.forResources(leadResourceIds(lead)).map((event): TimelineItem => ({ kind: 'event', at: event.received_at, event })),
        ...d.runsForLead(lead.id),
        ...d.activity.forLead(lead.id).map((activity): TimelineItem => ({ kind: 'activity', at: activity.at, activity })),
      ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
      return { lead, timeline, reminders: d.remindersOf(lead.id) };
    },
    listSegments: async () => ({ items: d.leads.segments() }),
    exportLeads: async (q) => ({
      filename: `leadbell-leads-${new Date().toISOString().slice(0, 10)}.csv`,
      csv: csvRows(LEAD_COLUMNS, [...d.leads.all(q)].map((l) => ({ ...l, tags: l.tags.join('; ') }))),
    }),
    getSettings: async () => settingsView(),
    updateSettings: async (patch) => {
      try {
        d.settings.update(patch);
      } catch (e) {
        if (e instanceof SettingsError) throw new ApiError('invalid_input', e.message, e.fields);
        throw e;
      }
      d.live.publish({ topic: 'settings' });
      return settingsView();
    },
    setSecret: async ({ name, value }) => {
      // A webhook URL that is not a URL is refused here, where it is typed, not at its first call.
      const problem = value === null ? null : secretValueProblem(name, value);
      if (problem) throw new ApiError('invalid_input', problem, [{ path: 'value', message: problem }]);
      d.secrets.set(name, value);
      d.live.publish({ topic: 'settings' });
      return { name, set: value !== null };
    },
    testFire: async (input) => {
      const fired = await testFire(input, d.fire);
      // The receiver answers with the event it stored; its request is where "what happened next" starts.
      const eventId = (fired.body as { event_id?: unknown } | null)?.event_id;
      return { ...fired, request_id: typeof eventId === 'string' ? (d.events.get(eventId)?.inbox_id ?? null) : null };
    },
  };
}
