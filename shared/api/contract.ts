/**
 * The one API contract: method name -> input schema, output schema and HTTP route.
 * The Electron IPC bridge and the headless HTTP bridge are both generated from this table,
 * so they cannot drift; the renderer calls it through either transport unchanged.
 */
import { z } from 'zod';
import { ENDPOINTS } from '../events/catalog.js';
import { fieldMapping } from '../mapping/model.js';
import { leadFieldSchemas } from '../events/payloads.js';
import { columnMapping } from '../import/column-mapping.js';
import { secretName, settings, settingsPatch } from '../settings.js';
import { httpUrl } from '../http-url.js';
import {
  appHealth,
  backlogItem,
  backupMade,
  backupsView,
  updateStatus,
  endpointInfo,
  eventRecord,
  flowInfo,
  heldSender,
  mappingPreview,
  savedMapping,
  inboxRequest,
  inboxUsage,
  lead,
  erasure,
  leadActivity,
  leadStatus,
  reminder,
  notification,
  page,
  requestEffects,
  requestOutcome,
  requestVia,
  run,
  stats,
  status,
  timelineItem,
  importedTrigger,
  trigger,
  triggerDraft,
} from './models.js';

import { MAX_REPLAY, replaySummary } from '../replay-words.js';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  http: { method: HttpMethod; path: string };
  input: I;
  output: O;
  summary: string;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  http: MethodSpec['http'],
  input: I,
  output: O,
  summary: string,
): MethodSpec<I, O> => ({ http, input, output, summary });

const none = z.object({}).strict();
const limit = z.coerce.number().int().min(1).max(1000).default(100);
const offset = z.coerce.number().int().min(0).default(0);
const id = z.object({ id: z.string().min(1).max(200) });
const ok = z.object({ ok: z.literal(true) });

/**
 * A moment from which a list counts (Home's "today" tiles open their lists with the start of the
 * day they counted from). Stored times are UTC ISO strings compared as text, so any offset given
 * is turned into that same form first.
 */
export const sinceParam = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/**
 * Which leads the Leads list shows. The list and the CSV export both take exactly this, so an
 * export is always the rows the owner was looking at. Segment and stage are matched forgivingly:
 * case, spaces, hyphens and underscores aside ("Beauty salon" finds beauty-salon, and
 * "Assessment complete" finds assessment_complete).
 */
export const leadFilters = z.object({
  search: z.string().max(200).optional(),
  status: leadStatus.optional(),
  segment: z.string().max(100).optional(),
  stage: z.string().max(100).optional(),
  /** Added at or after this moment ("New leads today"). */
  created_since: sinceParam.optional(),
  /** Last changed at or after this moment ("Hot leads today"). */
  updated_since: sinceParam.optional(),
  /** Added before this moment (with created_since: a date range). */
  created_before: sinceParam.optional(),
  /** The stage the owner set, matched like stage. */
  owner_stage: z.string().max(100).optional(),
  /** Leads carrying this tag (case aside). */
  tag: z.string().max(100).optional(),
  /** Where the lead came from, matched exactly (case aside). */
  source: z.string().max(200).optional(),
  /** Test leads (from test-fires) are left out unless asked for: shown with the rest, or only they. */
  test_leads: z.enum(['hide', 'show', 'only']).default('hide'),
});
export type LeadFilters = z.input<typeof leadFilters>;

/** Which leads a catch-up is for: all, those added in a date range (from inclusive, to exclusive), a segment. */
const catchUpChoice = z.object({
  name: z.string().max(50),
  from: sinceParam.optional(),
  to: sinceParam.optional(),
  segment: z.string().max(100).optional(),
});
const tagName = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');
export const tagList = z.array(tagName).max(20, 'can hold at most 20 tags');

/** The owner's edit of a lead: only the fields given change; null empties a field (the webhook's own checks apply). */
export const leadEdit = z
  .object({
    email: leadFieldSchemas.email.optional(),
    first_name: leadFieldSchemas.first_name.nullable(),
    last_name: leadFieldSchemas.last_name.nullable(),
    phone: leadFieldSchemas.phone.nullable(),
    segment: leadFieldSchemas.segment.nullable(),
    /** One of the stages listed in settings (leads.owner_stages). */
    owner_stage: z.string().max(40).optional(),
    tags: tagList.optional(),
  })
  .partial();
export type LeadEdit = z.infer<typeof leadEdit>;

const mappingEndpoint = z.string().min(1).max(100);
const mappingShape = z.string().regex(/^[0-9a-f]{1,32}$/, 'must be a shape id as listHeldSenders gives it');
const rowProblem = z.object({ row: z.number(), field: z.string(), message: z.string() });
export const importPreview = z.object({
  columns: z.array(z.string()),
  mapping: columnMapping,
  total: z.number(),
  /** Rows that would become new leads, and rows whose email is already a lead. */
  new_leads: z.number(),
  already_leads: z.number(),
  sample: z.array(z.record(z.string(), z.unknown())),
  errors: z.array(rowProblem),
});
export const importResult = z.object({
  total: z.number(),
  imported: z.number(),
  updated: z.number(),
  already_leads: z.number(),
  errors: z.array(rowProblem),
});

export const secretsView = z.record(z.string(), z.object({ set: z.boolean(), from_env: z.boolean() }));
export const settingsView = z.object({ settings, secrets: secretsView });

export const fireResult = z.object({
  status: z.number(),
  body: z.unknown(),
  url: z.string(),
  /** The stored request it became, to follow what happened next; null when it was not stored as an event. */
  request_id: z.number().nullable(),
});

/**
 * How a "Send test" went: the vendor accepted it; answered with an error (refused); could not be
 * reached (network error or no answer in time); or nothing was sent (not set up, turned off, or a
 * saved value that cannot work).
 */
export const testOutcome = z.enum(['accepted', 'refused', 'unreachable', 'not_sent']);
export type TestOutcome = z.infer<typeof testOutcome>;

export const contract = {
  getStatus: method({ method: 'GET', path: '/api/status' }, none, status, 'Ports, storage, tunnel and secret-store state.'),
  getStats: method({ method: 'GET', path: '/api/stats' }, none, stats, "Today's numbers and chart series."),
  listEndpoints: method(
    { method: 'GET', path: '/api/endpoints' },
    none,
    z.object({ items: z.array(endpointInfo) }),
    'The public webhook endpoints with their local and public URLs.',
  ),
  listEvents: method(
    { method: 'GET', path: '/api/events' },
    z.object({ limit, offset, event: z.string().max(200).optional(), search: z.string().max(200).optional() }),
    page(eventRecord),
    'Stored events, newest first.',
  ),
  replayEvent: method(
    { method: 'POST', path: '/api/events/:id/replay' },
    id,
    z.object({ event_id: z.string() }),
    'Emits a copy of a stored event so its triggers run again.',
  ),
  listRequests: method(
    { method: 'GET', path: '/api/requests' },
    z.object({
      limit,
      offset,
      endpoint: z.string().max(100).optional(),
      outcome: requestOutcome.optional(),
      /** Received at or after this moment. */
      since: sinceParam.optional(),
      /** How it came in: a test, this computer, the public address or the relay. */
      via: requestVia.optional(),
    }),
    page(inboxRequest),
    'The inbox: every inbound request, rejected ones included, with status and reason.',
  ),
  replayRequests: method(
    { method: 'POST', path: '/api/requests/replay' },
    z
      .object({
        /** These requests (up to 1,000), by id. */
        ids: z.array(z.number().int().positive()).min(1).max(MAX_REPLAY).optional(),
        /** Or every refused request matching Events' filters, oldest first, up to 1,000. */
        refused: z.object({ endpoint: z.string().max(100).optional(), since: sinceParam.optional() }).optional(),
        /**
         * This action's own key, e.g. a UUID made when the owner confirms: sent twice (a double
         * click, a retry after a lost answer), accepted requests are still sent again only once.
         */
        key: z.string().min(8).max(100).optional(),
      })
      .refine((x) => (x.ids === undefined) !== (x.refused === undefined), { message: 'give either ids or refused, not both', path: ['ids'] }),
    replaySummary,
    "Replays stored requests through the receiver as it is set up now, in arrival order: a refused request can become an event (once, however often it is replayed), an accepted one's event runs its automations again. Answers what became of each, in words.",
  ),
  getRequestEffects: method(
    { method: 'GET', path: '/api/requests/:id/effects' },
    z.object({ id: z.coerce.number().int().positive() }),
    requestEffects,
    'What a request led to: its event, the lead, and what each automation did with it (the run it started, or why it did not).',
  ),
  getInboxUsage: method(
    { method: 'GET', path: '/api/inbox/usage' },
    none,
    inboxUsage,
    'Space the inbox takes: accepted requests (kept whole) and rejected, spam, duplicate and ignored ones (pruned by age and size).',
  ),
  listHeldSenders: method(
    { method: 'GET', path: '/api/held' },
    none,
    z.object({ items: z.array(heldSender), total: z.number() }),
    'Requests Leadbell could not read (no field looked like an email), kept whole and grouped by sender, with the fields of the first one to map on.',
  ),
  previewMapping: method(
    { method: 'POST', path: '/api/mappings/preview' },
    z.object({ endpoint: mappingEndpoint, shape: mappingShape, mapping: fieldMapping }),
    z.object({ items: z.array(mappingPreview) }),
    'What a mapping makes of the last 20 requests of that sender: the lead each would give, or why it would be refused.',
  ),
  listMappings: method(
    { method: 'GET', path: '/api/mappings' },
    none,
    z.object({ items: z.array(savedMapping) }),
    'Saved mappings: for an endpoint and a sender\'s body shape, which field holds the email and the other lead fields.',
  ),
  saveMapping: method(
    { method: 'PUT', path: '/api/mappings' },
    z.object({ endpoint: mappingEndpoint, shape: mappingShape, mapping: fieldMapping }),
    savedMapping.extend({ released: z.number() }),
    "Saves a sender's mapping; its waiting requests then go through the automations once each, oldest first (released: how many).",
  ),
  deleteMapping: method(
    { method: 'DELETE', path: '/api/mappings/:id' },
    z.object({ id: z.coerce.number().int().positive() }),
    ok,
    "Deletes a mapping: that sender's next requests are guessed or held again.",
  ),
  listLeads: method(
    { method: 'GET', path: '/api/leads' },
    z.object({
      limit,
      offset,
      ...leadFilters.shape,
      sort: z.enum(['created_at', 'updated_at', 'score', 'engagement_score', 'email', 'first_name']).default('created_at'),
      dir: z.enum(['asc', 'desc']).default('desc'),
    }),
    page(lead),
    'Leads, searchable by name, email or phone.',
  ),
  listSegments: method(
    { method: 'GET', path: '/api/segments' },
    none,
    z.object({ items: z.array(z.object({ segment: z.string(), leads: z.number() })) }),
    'The segments leads have arrived with so far, most common first.',
  ),
  getLead: method(
    { method: 'GET', path: '/api/leads/:id' },
    id,
    z.object({ lead, timeline: z.array(timelineItem), reminders: z.array(reminder) }),
    "One lead with its timeline (events, flow runs, the owner's notes and changes) and its reminders, soonest first.",
  ),
  addReminder: method(
    { method: 'POST', path: '/api/leads/:id/reminders' },
    z
      .object({
        id: z.string().min(1).max(200),
        /** When to ring, with its offset (the owner's local time): 2026-03-05T15:00:00+01:00. */
        at: z.iso.datetime({ offset: true, error: 'must be a date and time, like 2026-03-05T15:00:00+01:00' }),
        text: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').default('Follow up'),
      })
      .strict(),
    reminder,
    'Rings the bell about a lead at a time. Kept across restarts; one missed while Leadbell was off or asleep rings when it is back.',
  ),
  eraseLead: method(
    { method: 'DELETE', path: '/api/leads/:id' },
    id,
    z.object({
      erasure,
      /** Backups made before the erasure: they still hold the person. */
      backups: z.array(z.object({ name: z.string(), made_at: z.string() })),
    }),
    'Erases a person (a privacy request): everything held here goes at once; the Loops contact, Notion page and Meta audience members are erased in the background, resumed after a restart. Keeps a record with no personal data.',
  ),
  exportLead: method(
    { method: 'GET', path: '/api/leads/:id/export' },
    id,
    z.object({ filename: z.string(), person: z.record(z.string(), z.unknown()) }),
    'Everything held about a person, as JSON (an access request): the lead, its events and the requests they came in, runs and steps, notes and changes, reminders, alerts, clicks and visitor.',
  ),
  listErasures: method({ method: 'GET', path: '/api/erasures' }, none, z.object({ items: z.array(erasure) }), 'Erasures, newest first, with each app\'s progress.'),
  retryErasure: method({ method: 'POST', path: '/api/erasures/:id/retry' }, id, erasure, "Tries an erasure's given-up app calls again."),
  deleteReminder: method({ method: 'DELETE', path: '/api/reminders/:id' }, id, ok, 'Cancels a reminder.'),
  addLead: method(
    { method: 'POST', path: '/api/leads' },
    z
      .object({
        ...leadFieldSchemas,
        /** Run the automations for a sign-up (the welcome email, audiences...) as if they had filled in the form. */
        run_automations: z.boolean().default(false),
        note: z.string().trim().max(5000, 'must be at most 5,000 characters').optional(),
      })
      .strict(),
    z.object({ lead, event_id: z.string().nullable() }),
    'Adds a lead by hand (a walk-in, a phone call), checked as the opt-in webhook checks it; runs the opt-in automations only when run_automations is true.',
  ),
  previewLeadImport: method(
    { method: 'POST', path: '/api/leads/import/preview' },
    z
      .object({
        csv: z.string().min(1, 'is empty').max(2_000_000, 'is larger than 2 MB: split the file'),
        /** Lead field -> column name; guessed from the column names when left out. */
        mapping: columnMapping.optional(),
      })
      .strict(),
    importPreview,
    "What an import would do: the file's columns, the mapping (guessed or given), the first rows as leads, and every bad row with its reason.",
  ),
  importLeads: method(
    { method: 'POST', path: '/api/leads/import' },
    z
      .object({
        csv: z.string().min(1, 'is empty').max(2_000_000, 'is larger than 2 MB: split the file'),
        mapping: columnMapping.optional(),
        /** Send the new leads the welcome emails and the other sign-up automations. */
        run_automations: z.boolean().default(false),
        /** A row whose email is already a lead: leave that lead as it is, or fill in what the row gives. */
        existing: z.enum(['skip', 'update']).default('skip'),
      })
      .strict(),
    importResult,
    'Imports leads from a CSV: bad rows are listed with their reasons and left out; the good ones go in together (all or none); emails already held are skipped or updated.',
  ),
  clearTestLeads: method(
    { method: 'DELETE', path: '/api/test-leads' },
    none,
    z.object({ cleared: z.number(), waiting: z.number() }),
    'Removes every test lead with everything about it (leads whose automations are still running are left for next time: waiting).',
  ),
  updateLead: method(
    { method: 'PATCH', path: '/api/leads/:id' },
    leadEdit
      .extend({
        id: z.string().min(1).max(200),
        /** The new email belongs to another lead: join the two (timelines, notes and runs) into this one. */
        merge: z.boolean().default(false),
      })
      .strict(),
    z.object({ lead, merged_with: z.string().nullable() }),
    "Edits a lead's fields, stage and tags. An email that another lead has is refused (409) unless merge is true.",
  ),
  addLeadNote: method(
    { method: 'POST', path: '/api/leads/:id/notes' },
    z.object({ id: z.string().min(1).max(200), text: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5,000 characters') }).strict(),
    leadActivity,
    "Adds a note to a lead's timeline.",
  ),
  setLeadDoNotContact: method(
    { method: 'PUT', path: '/api/leads/:id/do-not-contact' },
    z
      .object({
        id: z.string().min(1).max(200),
        do_not_contact: z.boolean(),
        /** Why, in the owner's words ("asked on the phone"). */
        note: z.string().trim().max(500, 'must be at most 500 characters').optional(),
      })
      .strict(),
    z.object({ lead }),
    'Marks a lead do-not-contact by hand (no emails, sequences or ad audiences for them), or clears the mark.',
  ),
  bulkUpdateLeads: method(
    { method: 'POST', path: '/api/leads/bulk' },
    z
      .object({
        /** The leads to change, by id... */
        ids: z.array(z.string().min(1).max(200)).min(1, 'must name at least one lead').max(1000, 'can change at most 1,000 leads at once').optional(),
        /** ...or every lead the Leads list shows with these filters. */
        filter: leadFilters.optional(),
        owner_stage: z.string().max(40).optional(),
        add_tags: tagList.optional(),
        remove_tags: tagList.optional(),
      })
      .strict()
      .refine((v) => (v.ids === undefined) !== (v.filter === undefined), { message: 'give either ids or a filter', path: ['ids'] })
      .refine((v) => v.owner_stage !== undefined || v.add_tags?.length || v.remove_tags?.length, {
        message: 'give a stage, tags to add or tags to remove',
        path: ['owner_stage'],
      }),
    z.object({ updated: z.number() }),
    'Moves many leads (by id, or all the Leads list finds with a filter) to one stage, and adds or removes tags on them; all or nothing.',
  ),
  exportLeads: method(
    { method: 'GET', path: '/api/leads-export' },
    leadFilters,
    z.object({ filename: z.string(), csv: z.string() }),
    'Leads as CSV, oldest first: the leads listLeads finds with the same filters.',
  ),
  listRuns: method(
    { method: 'GET', path: '/api/runs' },
    z.object({
      limit,
      offset,
      status: z.enum(['scheduled', 'pending', 'running', 'completed', 'partial', 'failed']).optional(),
      flow: z.string().max(100).optional(),
      lead_id: z.string().max(200).optional(),
      dead: z.union([z.boolean(), z.stringbool()]).optional(),
      /** Only runs that failed, wholly or in part, or still retry a call (what Home counts as "Automations that failed or are retrying"). */
      failed: z.union([z.boolean(), z.stringbool()]).optional(),
      /** Created at or after this moment. */
      since: sinceParam.optional(),
    }),
    page(run),
    'Flow runs, newest first.',
  ),
  getRun: method({ method: 'GET', path: '/api/runs/:id' }, id, run, 'One run with its steps.'),
  retryStep: method(
    { method: 'POST', path: '/api/steps/:id/retry' },
    id,
    run,
    'Retries a failed or dead-lettered step by hand.',
  ),
  listTriggers: method(
    { method: 'GET', path: '/api/triggers' },
    none,
    z.object({ items: z.array(trigger) }),
    'Event triggers.',
  ),
  saveTrigger: method(
    { method: 'PUT', path: '/api/triggers' },
    triggerDraft,
    trigger,
    'Creates or updates a trigger (refused with a clear message if its flow, templates or filters are unknown).',
  ),
  deleteTrigger: method({ method: 'DELETE', path: '/api/triggers/:id' }, id, ok, 'Deletes a trigger.'),
  dryRunTrigger: method(
    { method: 'POST', path: '/api/triggers/dry-run' },
    z.object({ trigger: triggerDraft, limit: z.number().int().min(1).max(1000).default(100) }),
    z.object({
      examined: z.number(),
      matches: z.array(z.object({ event_id: z.string(), event: z.string(), occurred: z.string(), parameters: z.unknown() })),
    }),
    'Replays stored events through a draft trigger and shows what would have run.',
  ),
  exportPrefectYaml: method(
    { method: 'GET', path: '/api/triggers/prefect-export' },
    none,
    z.object({ filename: z.string(), yaml: z.string() }),
    'The triggers as a prefect.yaml: one deployment per flow, its triggers under "triggers:".',
  ),
  importPrefectYaml: method(
    { method: 'POST', path: '/api/triggers/prefect-import' },
    z.object({
      yaml: z.string().min(1).max(1_000_000),
      /** Deployment name -> Leadbell flow, where the names differ. */
      flows: z.record(z.string().max(200), z.string().max(100)).default({}),
      /** The flow for a bare trigger or list of triggers (no deployment around them). */
      flow: z.string().max(100).optional(),
      dry_run: z.boolean().default(false),
    }),
    z.object({ saved: z.boolean(), items: z.array(importedTrigger) }),
    'Creates (or updates, by id) the triggers of a prefect.yaml, a list of triggers or one trigger; all or nothing.',
  ),
  getBacklog: method(
    { method: 'GET', path: '/api/backlog' },
    none,
    z.object({ items: z.array(backlogItem) }),
    'Vendor calls waiting in their integration\'s outbox: how many, how many sent so far, about how long is left.',
  ),
  listFlows: method({ method: 'GET', path: '/api/flows' }, none, z.object({ items: z.array(flowInfo) }), 'Built-in flows and their settings.'),
  listNotifications: method(
    { method: 'GET', path: '/api/notifications' },
    z.object({ limit, offset }),
    page(notification),
    'Desktop notifications (hot leads, high engagement, tunnel URL changes).',
  ),
  getSettings: method({ method: 'GET', path: '/api/settings' }, none, settingsView, 'Settings; secrets only as set / not set.'),
  updateSettings: method({ method: 'PUT', path: '/api/settings' }, settingsPatch, settingsView, 'Validates and saves a settings patch.'),
  setSecret: method(
    { method: 'PUT', path: '/api/secrets/:name' },
    z.object({ name: secretName, value: z.string().min(1).max(4096).nullable() }),
    z.object({ name: z.string(), set: z.boolean() }),
    'Sets (or clears, with null) a secret. Secrets are write-only.',
  ),
  testIntegration: method(
    { method: 'POST', path: '/api/integrations/:name/test' },
    z.object({ name: z.string().max(50) }),
    z.object({
      ok: z.boolean(),
      outcome: testOutcome,
      status: z.number().nullable(),
      detail: z.string(),
      /** A refusal or failure in the owner's words, the same as Connected apps and Run history use. */
      words: z.string().nullable(),
    }),
    "Sends a harmless test call and shows the vendor's actual answer; its outcome counts toward the app's health.",
  ),
  listAppHealth: method(
    { method: 'GET', path: '/api/integrations/health' },
    none,
    z.object({ items: z.array(appHealth) }),
    "Each app's health from the real outcomes of its calls: last success, last failure in words, calls waiting and failed.",
  ),
  getCatchUp: method(
    { method: 'GET', path: '/api/integrations/:name/catch-up' },
    catchUpChoice,
    z.object({ leads: z.number().int(), steps: z.array(z.object({ label: z.string(), count: z.number().int() })) }),
    'What a catch-up would send: the steps this app skipped as not set up, one per lead that does not have it yet, for the leads chosen (all, added in a date range, a segment).',
  ),
  runCatchUp: method(
    { method: 'POST', path: '/api/integrations/:name/catch-up' },
    catchUpChoice,
    z.object({ started: z.number().int(), steps: z.array(z.object({ label: z.string(), count: z.number().int() })), message: z.string() }),
    'Runs those steps now, exactly once per lead (never to a lead that already got it), paced like any other call. Refused (409) while the app is not set up.',
  ),
  retryAppFailures: method(
    { method: 'POST', path: '/api/integrations/:name/retry-all' },
    z.object({ name: z.string().max(50) }),
    z.object({ retried: z.number().int(), message: z.string() }),
    "Retries every failed or given-up step of one app. Refused (409, nothing changed) while the app still refuses its key.",
  ),
  testFire: method(
    { method: 'POST', path: '/api/test-fire' },
    z
      .object({
        sample: z.string().max(100).optional(),
        endpoint: z.enum(ENDPOINTS).optional(),
        body: z.record(z.string(), z.unknown()).optional(),
        via: z.enum(['direct', 'tunnel']).default('direct'),
        /**
         * A test (sent directly) makes a test lead that calls no connected app; true sends it to
         * the apps for real. Through the tunnel a request is an outside one, real in every way.
         */
        send_for_real: z.boolean().default(false),
      })
      .refine((v) => v.sample !== undefined || (v.endpoint !== undefined && v.body !== undefined), {
        message: 'give a sample id, or an endpoint and a body',
      }),
    fireResult,
    'Sends a sample (or a given body) through the real receiver, signed if the endpoint needs it. Its lead is a test lead: left out of stats and exports, and sent to no connected app unless send_for_real.',
  ),
  restartTunnel: method({ method: 'POST', path: '/api/tunnel/restart' }, none, ok, 'Closes and reopens the tunnel.'),
  deployRelay: method(
    { method: 'POST', path: '/api/relay/deploy' },
    z.object({
      api_token: z.string().trim().min(20, 'is too short for a Cloudflare API token').max(200).optional(),
      account_id: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character Cloudflare account id').optional(),
    }),
    z.object({ url: z.string(), account_id: z.string(), script_name: z.string() }),
    "Deploys (or upgrades) the relay Worker to the owner's Cloudflare account and connects to it; the token is kept in the secret store.",
  ),
  connectRelay: method(
    { method: 'PUT', path: '/api/relay' },
    z.object({ url: httpUrl, secret: z.string().min(32, 'must be at least 32 characters').max(200) }),
    ok,
    'Uses a relay deployed by hand (npx wrangler deploy), with the relay secret that was set there.',
  ),
  removeRelay: method(
    { method: 'POST', path: '/api/relay/remove' },
    z.object({ delete_worker: z.boolean().default(true) }),
    ok,
    'Stops using the relay; deletes the Worker from Cloudflare when Leadbell deployed it.',
  ),
  backupDatabase: method(
    { method: 'POST', path: '/api/backup' },
    z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a plain file name (letters, digits, . _ -), no folders')
          .optional(),
      })
      .strict(),
    backupMade,
    'Makes an encrypted backup in the backup folder now, checked after writing (needs the backup passphrase; an existing file is never overwritten: 409).',
  ),
  getBackups: method(
    { method: 'GET', path: '/api/backups' },
    z.object({}),
    backupsView,
    'The backup folder, schedule, last attempt and the backups in the folder (date, leads, events), newest first.',
  ),
  restoreBackup: method(
    { method: 'POST', path: '/api/backups/restore' },
    z
      .object({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be the name of a backup in the backup folder'),
        /** The passphrase the backup was made with; default: the one saved on this computer. */
        passphrase: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    z.object({ name: z.string(), created_at: z.string(), leads: z.number(), events: z.number(), safety_copy: z.string(), restarting: z.boolean() }),
    'Checks and unpacks a backup, then restarts Leadbell on it; the current database is kept as a safety copy. A wrong passphrase, a damaged file or one from a newer Leadbell is refused (400) and nothing changes.',
  ),
  chooseBackupFolder: method(
    { method: 'POST', path: '/api/backups/choose-folder' },
    z.object({}).strict(),
    z.object({ folder: z.string().nullable() }),
    "Desktop: asks for the backup folder with the system's folder picker and saves it (null: cancelled). Headless: 503, the folder is typed in or set by LEADBELL_BACKUP_DIR.",
  ),
  getUpdates: method({ method: 'GET', path: '/api/updates' }, z.object({}), updateStatus, "The desktop app's update state (headless: not available)."),
  checkForUpdates: method(
    { method: 'POST', path: '/api/updates/check' },
    z.object({}).strict(),
    updateStatus,
    'Checks for an update on the chosen channel now and downloads it in the background (headless: 503).',
  ),
  restartToUpdate: method(
    { method: 'POST', path: '/api/updates/restart' },
    z.object({}).strict(),
    updateStatus,
    'Restarts into the downloaded update, at once or as soon as no request is being received and no step is in flight (headless: 503).',
  ),
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** What the core implements: one async function per contract method, given parsed input. */
export type ApiHandlers = { [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> };

/** What the renderer calls: same names, raw input (validated on the other side). */
export type ApiClient = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

/** Live-update notices pushed to the UI (IPC events in Electron, server-sent events in headless mode). */
export const liveUpdate = z.object({
  topic: z.enum(['lead', 'event', 'request', 'run', 'notification', 'status', 'settings', 'trigger']),
  id: z.string().optional(),
  notification: notification.optional(),
});
export type LiveUpdate = z.infer<typeof liveUpdate>;

/** Errors both bridges return: a status code class, a message and per-field details. */
export const apiError = z.object({
  error: z.object({
    code: z.enum(['invalid_input', 'not_found', 'conflict', 'unauthorized', 'unavailable', 'internal']),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiError>;
