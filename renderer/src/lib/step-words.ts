/**
 * What each step did, in the owner's words: "Welcome email sent", "Team alerted on Discord",
 * "Scored 95 — Hot". One table, by step name; each entry names the thing the step does (for
 * "not sent" and "waiting") and, where it calls an app, which one. A step not listed reads as
 * its name in words.
 */
import type { Step } from '../../../shared/api/models.js';
import { appFailureWords, nextTryWords } from '../../../shared/failure-words.js';
import { INTEGRATIONS, isIntegrationName } from '../../../shared/integrations/index.js';
import { humanize, LEAD_STATUS_WORDS, type Tone } from './labels.js';

type Out = Record<string, unknown>;

interface StepEntry {
  /** The thing the step does, as a noun: "Welcome email". */
  thing: string;
  app?: string;
  /** Said once it is done. */
  done: (out: Out, input: Out) => string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const statusWord = (v: unknown) => (typeof v === 'string' && v in LEAD_STATUS_WORDS ? LEAD_STATUS_WORDS[v as keyof typeof LEAD_STATUS_WORDS] : humanize(String(v ?? '')));

const nurture = (out: Out) => {
  const which = str(out.nurture);
  const event = str(out.event_name) ?? '';
  if (which && which !== 'general') return `Follow-up emails for ${which} started`;
  if (/hot/i.test(event)) return 'Hot-lead follow-up emails started';
  return 'Follow-up emails started';
};

export const STEP_WORDS: Record<string, StepEntry> = {
  check_parameters: { thing: 'Details check', done: () => 'Details checked' },
  check_event: { thing: 'Event check', done: () => 'Event checked' },
  upsert_lead: { thing: 'Lead', done: (o) => (o.created ? 'New lead added' : 'Lead details updated') },
  send_cta_email: { thing: 'Welcome email', app: 'loops', done: (o) => (o.already_sent ? 'Welcome email had already gone out' : 'Welcome email sent') },
  mark_visitor_opted_in: { thing: 'Site visits linked to the lead', done: () => 'Site visits linked to the lead' },
  add_to_audience: { thing: 'Meta audience', app: 'meta', done: () => 'Added to the Meta audience' },
  mirror_to_notion: { thing: 'Copy in Notion', app: 'notion', done: () => 'Copied to Notion' },
  notify_slack: { thing: 'Team message on Slack', app: 'slack', done: () => 'Team told on Slack' },
  score_lead: {
    thing: 'Score',
    done: (o) => (num(o.score) !== null ? `Scored ${o.score} — ${statusWord(o.status)}` : 'Scored'),
  },
  hot_lead_alert: { thing: 'Discord alert to the team', app: 'discord', done: () => 'Team alerted on Discord' },
  hot_lead_notification: { thing: 'Desktop alert', done: () => 'Desktop alert shown' },
  start_nurture: { thing: 'Follow-up emails', app: 'loops', done: nurture },
  add_engagement: {
    thing: 'Engagement points',
    done: (o) => (num(o.points) !== null ? `+${o.points} engagement points (now ${o.engagement_score})` : 'Engagement points added'),
  },
  high_engagement_alert: { thing: 'Discord alert to the team', app: 'discord', done: () => 'Team alerted on Discord' },
  high_engagement_notification: { thing: 'Desktop alert', done: () => 'Desktop alert shown' },
  record_visit: { thing: 'Visit', done: (o) => (num(o.visits) !== null ? `Visit recorded (${o.visits} so far)` : 'Visit recorded') },
  follow_up_email: { thing: 'Follow-up email', app: 'loops', done: (o) => (o.already_sent ? 'Follow-up email had already gone out' : 'Follow-up email sent') },
  send_webhook: { thing: 'Copy to your webhook', app: 'webhook', done: () => 'Sent to your webhook' },
  send_to_prefect: { thing: 'Event for Prefect', app: 'prefect', done: () => 'Sent to Prefect' },
};

const entryOf = (name: string): StepEntry => STEP_WORDS[name] ?? { thing: humanize(name), done: () => `${humanize(name)}: done` };

export const appLabel = (app: string | undefined): string | null => (app && isIntegrationName(app) ? INTEGRATIONS[app].label : null);

/** Why a skipped step was skipped, as the runner recorded it. */
export function skipReason(step: Pick<Step, 'status' | 'output'>): string | null {
  if (step.status !== 'skipped' || !step.output || typeof step.output !== 'object') return null;
  const why = (step.output as Out).skipped;
  return typeof why === 'string' ? why : null;
}

export interface StepSaying {
  /** The line itself: "Welcome email sent", "Welcome email not sent: Loops is not set up". */
  text: string;
  tone: Tone;
  /** The raw error, for "Details". */
  raw: string | null;
  /** Why it was left out, said under the line. */
  note?: string;
}

const obj = (v: unknown): Out => (v && typeof v === 'object' ? (v as Out) : {});

type StepFields = Pick<Step, 'name' | 'status' | 'output' | 'input' | 'error' | 'next_attempt_at'> &
  Partial<Pick<Step, 'failure' | 'integration' | 'waiting_for_key'>>;

/** Why a call failed, as the core classified it (shared/failure-words.ts); an unclassified error as it was stored. */
function whyFailed(step: StepFields, app: string | undefined): string {
  const integration = step.integration ?? app;
  if (step.failure && integration) return appFailureWords(integration, step.failure);
  if (step.error) return step.error.charAt(0).toUpperCase() + step.error.slice(1);
  return 'it failed';
}

export function stepWords(step: StepFields, now = Date.now()): StepSaying {
  const e = entryOf(step.name);
  switch (step.status) {
    case 'completed':
      return { text: e.done(obj(step.output), obj(step.input)), tone: 'good', raw: null };
    case 'skipped': {
      const why = skipReason(step);
      return { text: `${e.thing}: left out`, tone: 'neutral', raw: null, ...(why && { note: why.charAt(0).toUpperCase() + why.slice(1) }) };
    }
    case 'failed':
    case 'dead': {
      const why = whyFailed(step, e.app);
      const next = step.status === 'failed' && step.next_attempt_at ? `; ${nextTryWords(step.next_attempt_at, now)}` : '';
      // Only a step that calls an app sends anything; a local one simply did not work.
      const verb = !e.app ? 'did not work' : step.status === 'dead' ? 'not sent, Leadbell gave up' : 'not sent yet';
      return { text: `${e.thing} ${verb}: ${why}${next}`, tone: step.status === 'dead' ? 'bad' : 'warn', raw: step.error };
    }
    case 'running':
      return { text: `${e.thing}: on its way`, tone: 'info', raw: null };
    default:
      // A lane paused on a refused key waits for a new key, not for a time.
      if (step.waiting_for_key) return { text: `${e.thing}: waiting for a new key (${whyFailed(step, e.app)})`, tone: 'warn', raw: step.error };
      return {
        text: step.next_attempt_at ? `${e.thing}: waiting, ${nextTryWords(step.next_attempt_at, now)}` : `${e.thing}: waiting`,
        tone: 'neutral',
        raw: step.error,
      };
  }
}

/** Steps that only check what the run was given: not worth a line in a summary. */
const CHECKS = new Set(['check_parameters', 'check_event']);

/**
 * A run in one line: what it did ("Scored 95 — Hot · Team alerted on Discord"), then what did not
 * go through. Null when it has no steps to tell of yet.
 */
export function runHeadline(steps: readonly Step[] | undefined): string | null {
  if (!steps?.length) return null;
  const said = steps.filter((s) => !CHECKS.has(s.name) || s.status === 'failed' || s.status === 'dead');
  const done = said.filter((s) => s.status === 'completed').map((s) => stepWords(s).text);
  const failed = said.filter((s) => s.status === 'failed' || s.status === 'dead').map((s) => stepWords(s).text);
  const parts = [...done, ...failed];
  return parts.length ? parts.join(' · ') : null;
}
