/** Plain words for the owner: what each event, outcome and status means. */
import type { InboxRequest, Lead, Run, Step } from '../../../shared/api/models.js';
import { INTEGRATION_LIST } from '../../../shared/integrations/index.js';

const EVENT_WORDS: Record<string, string> = {
  'lead.opted_in': 'Signed up',
  'lead.assessment_complete': 'Finished the quiz',
  'lead.booked': 'Booked an appointment',
  'lead.booking_canceled': 'Canceled an appointment',
  'lead.purchased': 'Bought something',
  'visitor.sales_page_visit': 'Visited the sales page',
  'email.opened': 'Opened an email',
  'email.clicked': 'Clicked a link in an email',
};

export function eventWords(event: string): string {
  return EVENT_WORDS[event] ?? event.replace(/[._]/g, ' ');
}

/** An event with what matters most in it: "Finished the quiz (score 95)". */
export function eventTitle(event: string, payload: unknown): string {
  const p = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const words = eventWords(event);
  if (event === 'lead.assessment_complete' && typeof p.score === 'number') return `${words} (score ${p.score})`;
  return words;
}

export type Outcome = InboxRequest['outcome'];

export const OUTCOME_WORDS: Record<Outcome, string> = {
  accepted: 'Received',
  duplicate: 'Already had it',
  rejected: 'Refused',
  spam: 'Spam',
  ignored: 'Not used',
  held: 'Waiting for you',
};

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'hot' | 'info';

export const OUTCOME_TONE: Record<Outcome, Tone> = { accepted: 'good', duplicate: 'neutral', rejected: 'bad', spam: 'warn', ignored: 'neutral', held: 'warn' };

export const LEAD_STATUS_WORDS: Record<Lead['status'], string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold', new: 'New' };
export const LEAD_STATUS_TONE: Record<Lead['status'], Tone> = { hot: 'hot', warm: 'warn', cold: 'info', new: 'neutral' };

export const RUN_STATUS_WORDS: Record<Run['status'], string> = {
  scheduled: 'Scheduled',
  pending: 'Waiting',
  running: 'Running',
  completed: 'Done',
  partial: 'Partly done',
  failed: 'Failed',
};
export const RUN_STATUS_TONE: Record<Run['status'], Tone> = {
  scheduled: 'neutral',
  pending: 'neutral',
  running: 'info',
  completed: 'good',
  partial: 'warn',
  failed: 'bad',
};

export const STEP_STATUS_WORDS: Record<Step['status'], string> = {
  pending: 'Waiting',
  running: 'Running',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  dead: 'Gave up',
};
export const STEP_STATUS_TONE: Record<Step['status'], Tone> = {
  pending: 'neutral',
  running: 'info',
  completed: 'good',
  failed: 'warn',
  skipped: 'neutral',
  dead: 'bad',
};

/**
 * Words whose spelling is fixed wherever they appear in a name: the apps Leadbell calls (their
 * one-word names from the catalog: Loops, Discord, Slack, Notion, Meta, Prefect) and abbreviations.
 */
const FIXED_SPELLING = new Map(
  [...INTEGRATION_LIST.map((e) => e.label).filter((l) => !l.includes(' ')), 'CTA', 'ID', 'URL', 'CSV', 'API'].map((w) => [w.toLowerCase(), w]),
);

/** "send_immediate_email" -> "Send immediate email"; "mirror_to_notion" -> "Mirror to Notion". */
export function humanize(name: string): string {
  const words = name
    .replace(/[-_.]+/g, ' ')
    .trim()
    .replace(/[A-Za-z]+/g, (w) => FIXED_SPELLING.get(w.toLowerCase()) ?? w);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const SEGMENT_SUGGESTIONS = ['beauty-salon', 'auto-repair', 'fitness', 'general'];

/**
 * A lead's stage in the owner's words, in the order a lead moves through them. The engine sets
 * these (a lead signs up as opted_in; the quiz moves it to assessment_complete; a booking to
 * booked, or booking_canceled when it is called off; a purchase to customer: see
 * electron/core/flows/lead-stage.ts). The Leads filter offers them and the lead's page shows
 * the same words.
 */
export const LEAD_STAGE_WORDS: Record<string, string> = {
  opted_in: 'Signed up',
  assessment_complete: 'Assessment complete',
  booked: 'Booked',
  booking_canceled: 'Booking canceled',
  customer: 'Customer',
};

/** "assessment_complete" -> "Assessment complete"; a stage not listed above reads as its name. */
export function stageWords(stage: string): string {
  return LEAD_STAGE_WORDS[stage] ?? humanize(stage);
}

const loose = (text: string) => text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** The listed stage a typed or linked text means, by its name or its words: "signed up" -> "opted_in". */
export function leadStageFor(text: string): string | undefined {
  const want = loose(text);
  return Object.keys(LEAD_STAGE_WORDS).find((s) => loose(s) === want || loose(LEAD_STAGE_WORDS[s]!) === want);
}
