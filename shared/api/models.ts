/** Records the core exposes through the API contract (snake_case, as in the public API). */
import { z } from 'zod';
import { callFailure } from '../failure-words.js';
import { fieldMapping } from '../mapping/model.js';

const json = z.record(z.string(), z.unknown());

export const leadStatus = z.enum(['new', 'cold', 'warm', 'hot']);
export const leadPriority = z.enum(['low', 'medium', 'high']);

/** Why a lead must not be contacted: Loops said so (unsubscribed, bounced, reported spam) or the owner did. */
export const doNotContactReason = z.enum(['unsubscribed', 'hard_bounced', 'spam_reported', 'owner']);
export type DoNotContactReason = z.infer<typeof doNotContactReason>;
export const doNotContact = z.object({
  reason: doNotContactReason,
  /** Who said so: 'loops' or 'owner'. */
  source: z.enum(['loops', 'owner']),
  at: z.string(),
  /** The owner's words, when they set it by hand ("asked on the phone"). */
  note: z.string().nullable(),
});
export type DoNotContact = z.infer<typeof doNotContact>;

export const lead = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  phone: z.string().nullable(),
  segment: z.string().nullable(),
  source: z.string().nullable(),
  stage: z.string(),
  status: leadStatus,
  priority: leadPriority,
  score: z.number().nullable(),
  engagement_score: z.number(),
  visitor_id: z.string().nullable(),
  notion_page_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** The stage the owner sets (from the list in settings), beside the automatic `stage` the flows keep. */
  owner_stage: z.string(),
  tags: z.array(z.string()),
  /** Addresses the lead had before an edit or a merge: their events stay on its timeline. */
  former_emails: z.array(z.string()),
  /** Set: steps that email, start sequences for or add this person to audiences are skipped. */
  do_not_contact: doNotContact.nullable(),
  /** Made by a test-fire: left out of stats, charts and exports, and sent to no app unless asked. */
  is_test: z.boolean(),
});
export type Lead = z.infer<typeof lead>;
/** The owner's own fields on a lead: the flows never change them. */
export const OWNER_FIELDS = { owner_stage: true, tags: true, former_emails: true, do_not_contact: true, is_test: true } as const;
/** What the engine may change on a lead: everything but its identity, timestamps and the owner's own fields. */
export const leadPatch = lead.omit({ id: true, email: true, created_at: true, updated_at: true, ...OWNER_FIELDS }).partial();
/** A lead as exported (CSV): everything the owner sees, in the schema's order; internal ids left out. */
export const leadExport = lead.omit({ id: true, notion_page_id: true, former_emails: true, do_not_contact: true, is_test: true });

/** What the owner did on a lead's page (and what was done to it on their behalf), for its timeline. */
export const LEAD_ACTIVITY_KINDS = ['added', 'note', 'owner_stage', 'edit', 'merge', 'do_not_contact'] as const;
export const leadActivityKind = z.enum(LEAD_ACTIVITY_KINDS);
export type LeadActivityKind = z.infer<typeof leadActivityKind>;
export const leadActivity = z.object({
  id: z.number(),
  lead_id: z.string(),
  kind: leadActivityKind,
  /** A note's text. */
  text: z.string().nullable(),
  /**
   * What changed: { by: 'hand', automations } for a lead added by hand, { from, to } for a stage, { fields } for an edit, { merged_email } for a merge,
   * { set: true, reason, source } or { set: false } for do-not-contact.
   */
  detail: json,
  at: z.string(),
});
export type LeadActivity = z.infer<typeof leadActivity>;

export const eventRecord = z.object({
  id: z.string(),
  seq: z.number(),
  event: z.string(),
  occurred: z.string(),
  received_at: z.string(),
  source: z.string(),
  resource: z.record(z.string(), z.string()),
  payload: json,
  inbox_id: z.number().nullable(),
  idempotency_key: z.string().nullable(),
});
export type EventRecord = z.infer<typeof eventRecord>;

/** How a request reached the receiver; 'replay': the owner replayed a stored request from Events. */
export const requestVia = z.enum(['direct', 'tunnel', 'test-fire', 'relay', 'replay']);

/**
 * What became of a request: turned into an event, a repeat of one, refused, caught by the spam
 * trap, or a sender's event acknowledged and left alone (Loops sends every event type to one address).
 */
export const requestOutcome = z.enum(['accepted', 'duplicate', 'rejected', 'spam', 'ignored', 'held']);

export const inboxRequest = z.object({
  id: z.number(),
  received_at: z.string(),
  endpoint: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  client_ip: z.string(),
  via: requestVia,
  headers: z.record(z.string(), z.string()),
  content_type: z.string().nullable(),
  body: z.string(),
  body_size: z.number(),
  body_truncated: z.boolean(),
  status: z.number(),
  outcome: requestOutcome,
  reason: z.string().nullable(),
  event_id: z.string().nullable(),
  spam: z.boolean(),
  /** The body's shape, for requests to a lead endpoint: a held request's sender is mapped by it. */
  shape: z.string().nullable(),
  /** For a replay: the request it replays. */
  replay_of: z.number().nullable(),
  /** The event a replay of this request became, if one did. */
  replayed_event_id: z.string().nullable(),
});
export type InboxRequest = z.infer<typeof inboxRequest>;

/** Space the request log takes: accepted requests (kept) and the rest (pruned by the inbox settings). */
export const inboxUsage = z.object({
  accepted: z.object({ rows: z.number(), bytes: z.number() }),
  other: z.object({ rows: z.number(), bytes: z.number(), oldest: z.string().nullable() }),
});
export type InboxUsage = z.infer<typeof inboxUsage>;

export const runStatus = z.enum(['scheduled', 'pending', 'running', 'completed', 'partial', 'failed']);
export const stepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'dead']);

export const step = z.object({
  id: z.string(),
  run_id: z.string(),
  idx: z.number(),
  name: z.string(),
  status: stepStatus,
  attempts: z.number(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  /** The kind of the last failure, for the owner's words (shared/failure-words.ts); `error` is the raw text. */
  failure: callFailure.nullable(),
  /** When it is tried next (null: not waiting for a time; see waiting_for_key). */
  next_attempt_at: z.string().nullable(),
  idempotency_key: z.string(),
  updated_at: z.string(),
  /** The app a call step calls (null for a step that changes only Leadbell's own data). */
  integration: z.string().nullable(),
  /** Whether the owner may run it again by hand (failed, gave up, or skipped for want of an integration). */
  retryable: z.boolean(),
  /** Its app refused the key: it goes as soon as a new key is saved. */
  waiting_for_key: z.boolean(),
});
export type Step = z.infer<typeof step>;

/** Calls of one kind waiting for their vendor (e.g. 1,840 welcome emails for Loops). */
export const backlogItem = z.object({
  integration: z.string(),
  label: z.string(),
  waiting: z.number().int(),
  sent: z.number().int(),
  eta_seconds: z.number().nullable(),
});
export type BacklogItem = z.infer<typeof backlogItem>;

/**
 * An app's health from the real outcomes of its calls (Connected apps, Home's banner): connected
 * only while its last call went through; failing; key refused (its lane waits for a new key); set
 * up but not used yet; not set up; or turned off.
 */
export const appState = z.enum(['connected', 'failing', 'key_refused', 'ready', 'not_set_up', 'off']);
export type AppState = z.infer<typeof appState>;

export const appHealth = z.object({
  integration: z.string(),
  state: appState,
  /** The last failure in the owner's words ("Loops refused the API key"), while failing or refused. */
  words: z.string().nullable(),
  last_success_at: z.string().nullable(),
  last_failure_at: z.string().nullable(),
  last_failure: callFailure.nullable(),
  /** The raw text of the last failure, for "Details". */
  last_error: z.string().nullable(),
  /** Calls waiting: under way, waiting to retry, or waiting for a new key. */
  waiting: z.number().int(),
  /** The earliest next try of the calls waiting to retry (null: none waits for a time). */
  next_try_at: z.string().nullable(),
  /** Calls that failed or were given up and are not retried yet, by what they were ("welcome emails"). */
  failed: z.array(z.object({ label: z.string(), count: z.number().int() })),
});
export type AppHealth = z.infer<typeof appHealth>;

/**
 * What a run's steps came to, so a list can tell a run that sent its emails from one whose every
 * app step was skipped (both finish "completed"). Counted by the core from the stored steps.
 */
export const runStepCounts = z.object({
  total: z.number().int(),
  skipped: z.number().int(),
  /** Skipped because the app they call is not set up (a retry sends them once it is). */
  not_configured: z.number().int(),
  /** The apps those steps needed, by integration name, in Connected apps order: ["loops", "meta"]. */
  apps_not_configured: z.array(z.string()),
  /** Steps that call an app (Loops, Discord, Notion...), and how many of them went through. */
  app_steps: z.number().int(),
  app_steps_sent: z.number().int(),
});
export type RunStepCounts = z.infer<typeof runStepCounts>;

export const run = z.object({
  id: z.string(),
  flow: z.string(),
  trigger_id: z.string().nullable(),
  event_id: z.string().nullable(),
  lead_id: z.string().nullable(),
  status: runStatus,
  parameters: json,
  scheduled_for: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  step_counts: runStepCounts,
  steps: z.array(step).optional(),
});
export type Run = z.infer<typeof run>;

/**
 * What one automation did with an event, in plain words: started a run; sent it to Prefect; could
 * not start (the run says why); held back by its threshold; or, for an automation listening for
 * this kind of event that has no record for it, why not: turned off, its filter did not match,
 * added after the event, or changed since (it was different when the event arrived).
 */
export const automationOutcome = z.enum(['started', 'sent_to_prefect', 'not_started', 'counted', 'off', 'no_match', 'added_later', 'changed_since']);
export type AutomationOutcome = z.infer<typeof automationOutcome>;

export const automationEffect = z.object({
  /** Null for a run Leadbell planned itself (sending the event to Prefect) or whose automation was deleted. */
  trigger_id: z.string().nullable(),
  name: z.string(),
  outcome: automationOutcome,
  /** Why it did not run, or what held it back; null when it simply started. */
  reason: z.string().nullable(),
  run: z
    .object({
      id: z.string(),
      flow: z.string(),
      flow_title: z.string(),
      status: runStatus,
      /** Steps the run left out, with why (e.g. the hot-lead alert for a score that is not hot). */
      skipped_steps: z.array(z.object({ name: z.string(), reason: z.string() })),
    })
    .nullable(),
});
export type AutomationEffect = z.infer<typeof automationEffect>;

/**
 * What a request led to: nothing (no event: refused, spam, ignored), nothing yet (its event waits
 * to be handed to the automations), or the event with its lead and each automation's outcome, in
 * the order they handled it.
 */
export const requestEffects = z.object({
  request_id: z.number(),
  state: z.enum(['no_event', 'waiting', 'dispatched']),
  event: z.object({ id: z.string(), event: z.string(), received_at: z.string() }).nullable(),
  lead: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  automations: z.array(automationEffect),
});
export type RequestEffects = z.infer<typeof requestEffects>;

export const notification = z.object({
  id: z.string(),
  kind: z.enum(['hot_lead', 'high_engagement', 'reminder', 'failure', 'app_problem', 'tunnel_url_changed', 'info', 'quiet_summary']),
  title: z.string(),
  body: z.string(),
  lead_id: z.string().nullable(),
  created_at: z.string(),
});
export type Notification = z.infer<typeof notification>;

export const tunnelState = z.enum(['disabled', 'connecting', 'online', 'reconnecting', 'offline', 'error']);

export const tunnelStatus = z.object({
  state: tunnelState,
  provider: z.string(),
  url: z.string().nullable(),
  requested_subdomain: z.string().nullable(),
  last_check_at: z.string().nullable(),
  last_ok_at: z.string().nullable(),
  last_error: z.string().nullable(),
  reconnects: z.number(),
  url_changed: z.boolean(),
});
export type TunnelStatus = z.infer<typeof tunnelStatus>;

export const relayState = z.enum(['off', 'connecting', 'connected', 'reconnecting', 'auth_failed']);

/** The relay's own use of the owner's free Cloudflare plan today (UTC day), as the relay counted it. */
export const relayUsage = z.object({
  day: z.string(),
  requests: z.number(),
  rows_read: z.number(),
  rows_written: z.number(),
  /** The largest share (0 to 1, over 1 when used up) of one of the Free plan's daily limits. */
  share: z.number(),
  /** In words, e.g. "about 4% of today's free allowance used". */
  words: z.string(),
  /** When Cloudflare refused the relay's storage today because a daily free limit was used up. */
  exceeded_at: z.string().nullable(),
});
export type RelayUsage = z.infer<typeof relayUsage>;

export const relayStatus = z.object({
  state: relayState,
  url: z.string().nullable(),
  /** Why it is not connected, in words. */
  detail: z.string().nullable(),
  /** Requests the relay still holds, as it last said. */
  backlog: z.number().nullable(),
  /** How many requests the last drain after a reconnect brought in ("N leads arrived while you were away"). */
  arrived_while_away: z.number().nullable(),
  last_connected_at: z.string().nullable(),
  delivered: z.number(),
  /** As the relay last said; null until it has (or when it is a version that does not say). */
  usage: relayUsage.nullable(),
  /** The relay runs a version deployed before this Leadbell's: redeploying it upgrades it. */
  outdated: z.boolean(),
});
export type RelayStatus = z.infer<typeof relayStatus>;

/** The Prefect forwarder: off, ready (nothing sent yet), or what its last answer was. */
export const forwarderState = z.enum(['off', 'ready', 'connected', 'auth_failed', 'wrong_url', 'rejected', 'server_error', 'unreachable']);
export type ForwarderState = z.infer<typeof forwarderState>;
export const prefectForwarder = z.object({
  configured: z.boolean(),
  state: forwarderState,
  /** What Prefect (or the network) said, secrets masked out. */
  detail: z.string().nullable(),
  http_status: z.number().nullable(),
  last_sent_at: z.string().nullable(),
  /** Events Prefect stored since Leadbell started. */
  sent: z.number(),
  /** Events waiting to go (durably: sends not answered yet or waiting for a retry), and those refused for good. */
  backlog: z.object({ waiting: z.number(), failed: z.number() }),
});
export type PrefectForwarder = z.infer<typeof prefectForwarder>;

export const status = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'headless']),
  data_dir: z.string(),
  started_at: z.string(),
  receiver: z.object({
    host: z.string(),
    port: z.number(),
    tunnel_port: z.number(),
    paused: z.boolean(),
    public_base_url: z.string(),
    /** Which port was taken at start, by what, and where Leadbell listens instead; null: none moved. */
    port_notice: z.string().nullable(),
  }),
  storage: z.object({ ok: z.boolean(), error: z.string().nullable(), path: z.string() }),
  tunnel: tunnelStatus,
  relay: relayStatus,
  /** How the saved secrets are kept: `secure` only with a keychain; `protection` says what protects them, in words. */
  secret_backend: z.object({ name: z.string(), secure: z.boolean(), protection: z.string(), warning: z.string().nullable() }),
  env_overrides: z.array(z.string()),
  prefect: prefectForwarder,
});
export type Status = z.infer<typeof status>;

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });

export const trigger = z.object({
  id: z.string(),
  name: z.string().min(1).max(200),
  flow: z.string().min(1).max(100),
  enabled: z.boolean(),
  /** Resource labels: a value may end in `*`, start with `!`; a list of values is ORed. */
  match: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** Event names (`*` allowed); empty means any event. */
  expect: z.array(z.string()),
  /** Templates such as "{{ event.payload.email }}" rendered from the event. */
  parameters: json,
  threshold: z.object({ count: z.number().int().min(1), within_seconds: z.number().int().min(1) }).nullable(),
  schedule_after_seconds: z.number().int().min(0),
  /** Where the flow runs: here, as a Prefect deployment (the event is sent to Prefect), or both. */
  run_on: z.enum(['here', 'prefect', 'both']),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Trigger = z.infer<typeof trigger>;

export const triggerDraft = trigger
  .omit({ id: true, created_at: true, updated_at: true })
  .extend({
    id: z.string().optional(),
    enabled: z.boolean().default(true),
    match: trigger.shape.match.default({}),
    expect: z.array(z.string()).default([]),
    parameters: json.default({}),
    threshold: trigger.shape.threshold.default(null),
    schedule_after_seconds: z.number().int().min(0).default(0),
    run_on: trigger.shape.run_on.default('here'),
  });
export type TriggerDraft = z.input<typeof triggerDraft>;

/** A trigger read from a prefect.yaml: saved (with its id) or, in a dry run, not yet (id null when new). */
export const importedTrigger = trigger.omit({ created_at: true, updated_at: true }).extend({ id: z.string().nullable() });

export const flowInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  settings: json,
  defaults: json,
  /** Parameters a trigger must fill for the flow to run (the check_parameters step refuses a run without them). */
  required_parameters: z.array(z.string()),
  /** How a trigger for this flow is usually wired: what a new automation for it starts from. */
  usual: trigger.pick({ expect: true, match: true, parameters: true }),
});
export type FlowInfo = z.infer<typeof flowInfo>;

/** "Remind me" about a lead: rings the bell at its time (or, if Leadbell was off or asleep then, as soon as it is back). */
export const reminder = z.object({
  id: z.string(),
  lead_id: z.string(),
  due_at: z.string(),
  text: z.string(),
  created_at: z.string(),
  /** When it rang; null while it waits. */
  rang_at: z.string().nullable(),
  /** It rang late: Leadbell was not running, or the computer slept, at its time. */
  missed: z.boolean(),
});
export type Reminder = z.infer<typeof reminder>;

/** One connected app's part of an erasure: waiting (with its next try), done, or given up (with the app's reason). */
export const erasureCall = z.object({
  app: z.enum(['loops', 'notion', 'meta']),
  status: z.enum(['waiting', 'done', 'failed']),
  attempts: z.number(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  done_at: z.string().nullable(),
  /** 'erased', or 'not_found' when the app no longer had them. */
  outcome: z.string().nullable(),
});

/** The record of an erasure: when, what was removed here (in numbers), and each app's progress. No personal data. */
export const erasure = z.object({
  id: z.string(),
  requested_at: z.string(),
  finished_at: z.string().nullable(),
  removed: z.object({ events: z.number(), requests: z.number(), runs: z.number(), notes: z.number() }),
  calls: z.array(erasureCall),
});
export type Erasure = z.infer<typeof erasure>;

export const timelineItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), at: z.string(), event: eventRecord }),
  z.object({ kind: z.literal('run'), at: z.string(), run }),
  /** A note, an owner stage change, an edit, a merge: `activity.kind` says which. */
  z.object({ kind: z.literal('activity'), at: z.string(), activity: leadActivity }),
]);
export type TimelineItem = z.infer<typeof timelineItem>;

export const endpointInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  emits: z.array(z.string()),
  path: z.string(),
  local_url: z.string(),
  public_url: z.string().nullable(),
  signature: z.string(),
  public_form: z.boolean(),
  enabled: z.boolean(),
  /** The built-in endpoint whose event it makes (itself, for a built-in one). */
  kind: z.string(),
  /** An address the owner added for one form, in Settings. */
  named: z.boolean(),
});
export type EndpointListing = z.infer<typeof endpointInfo>;

/** One field of a real request, as the owner clicks it when mapping: where it is, how it reads, what it held. */
export const requestField = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  label: z.string(),
  value: z.string(),
});

/** Requests from one new sender (an endpoint and a body shape) waiting for the owner to map them. */
export const heldSender = z.object({
  endpoint: z.string(),
  shape: z.string(),
  count: z.number(),
  first_at: z.string(),
  last_at: z.string(),
  reason: z.string().nullable(),
  /** The first waiting request: the one the owner maps on. */
  request_id: z.number(),
  fields: z.array(requestField),
});
export type HeldSender = z.infer<typeof heldSender>;

/** What a mapping makes of one earlier request of its shape. */
export const mappingPreview = z.object({
  request_id: z.number(),
  received_at: z.string(),
  /** Whether the request is still waiting (held), or was already read otherwise. */
  held: z.boolean(),
  lead: z
    .object({
      email: z.string(),
      first_name: z.string().nullable(),
      last_name: z.string().nullable(),
      phone: z.string().nullable(),
      segment: z.string().nullable(),
      source: z.string().nullable(),
      score: z.number().nullable(),
    })
    .nullable(),
  /** Why it would still be refused, field by field. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type MappingPreview = z.infer<typeof mappingPreview>;

export const savedMapping = z.object({
  id: z.number(),
  endpoint: z.string(),
  shape: z.string(),
  mapping: fieldMapping,
  /** Each lead field and the sender's field it is read from, in the owner's words. */
  read_from: z.record(z.string(), z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SavedMappingView = z.infer<typeof savedMapping>;

export const stats = z.object({
  today: z.object({
    /** The start of the owner's day the numbers count from; the tiles open their lists with it. */
    since: z.string(),
    new_leads: z.number(),
    hot_leads: z.number(),
    /** Requests turned into events (what Events lists as "Received"). */
    events: z.number(),
    /** Runs that failed or partly failed, or still wait to retry a call (or for an app's new key). */
    failed_runs: z.number(),
  }),
  leads_per_day: z.array(z.object({ day: z.string(), count: z.number() })),
  funnel: z.object({ visitors: z.number(), opted_in: z.number(), assessed: z.number(), hot: z.number() }),
  score_distribution: z.array(z.object({ bucket: z.string(), count: z.number() })),
});
export type Stats = z.infer<typeof stats>;

/** One backup in the backup folder; one that cannot be read is listed with the reason. */
export const backupItem = z.object({
  name: z.string(),
  bytes: z.number(),
  created_at: z.string().nullable(),
  app_version: z.string().nullable(),
  leads: z.number().nullable(),
  events: z.number().nullable(),
  /** Made by a newer Leadbell: it cannot be restored until this one is updated. */
  newer: z.boolean(),
  problem: z.string().nullable(),
});
export type BackupItem = z.infer<typeof backupItem>;

export const backupsView = z.object({
  folder: z.string(),
  /** No folder chosen: backups go to the data folder, on this computer's own disk. */
  default_folder: z.boolean(),
  /** The folder is set by LEADBELL_BACKUP_DIR (headless). */
  folder_from_env: z.boolean(),
  passphrase_set: z.boolean(),
  scheduled: z.boolean(),
  every_hours: z.number(),
  keep: z.number(),
  next_due_at: z.string().nullable(),
  last: z.object({ at: z.string(), ok: z.boolean(), message: z.string() }).nullable(),
  /** A restore unpacked and waiting for the next start (when Leadbell could not restart itself). */
  restore_pending: z.string().nullable(),
  items: z.array(backupItem),
});
export type BackupsView = z.infer<typeof backupsView>;

export const backupMade = z.object({
  path: z.string(),
  name: z.string(),
  bytes: z.number(),
  created_at: z.string(),
  leads: z.number(),
  events: z.number(),
});

/** The desktop app's updates; headless mode has none (available: false). */
export const updateStatus = z.object({
  available: z.boolean(),
  state: z.enum(['off', 'idle', 'checking', 'up_to_date', 'downloading', 'ready', 'installing', 'error']),
  current_version: z.string(),
  /** The version found, being downloaded or ready. */
  version: z.string().nullable(),
  channel: z.enum(['stable', 'beta']),
  checked_at: z.string().nullable(),
  message: z.string().nullable(),
  /** The owner asked to restart; it waits for the work under way. */
  waiting_for_work: z.boolean(),
});
export type UpdateStatus = z.infer<typeof updateStatus>;
