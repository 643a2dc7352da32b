/**
 * A flow's settings as plain controls: which control each setting gets (a sentence with a number,
 * a colour, checkboxes, rows of segment → follow-up), reading the owner's input back into values,
 * and every problem in words next to its control. The core checks again on save.
 */
import type { FlowInfo } from '../../../../shared/api/models.js';
import { humanize } from '../../lib/labels.js';

export type SettingControl =
  /** A number inside a sentence: "A quiz score of [80] or more is Hot". */
  | { kind: 'sentence'; before: string; after: string; min: number; max: number; label: string }
  | { kind: 'color'; label: string }
  | { kind: 'channels'; label: string }
  | { kind: 'toggle'; label: string }
  | { kind: 'text'; label: string; hint?: string; max: number }
  /** A Loops event name, picked from the ones Leadbell knows of, or typed. */
  | { kind: 'event'; label: string }
  | { kind: 'routes' }
  /** Template text: only under "Advanced". */
  | { kind: 'template'; label: string; hint: string };

export const ALERT_CHANNEL_WORDS: Record<string, string> = { discord: 'Discord', desktop: 'A desktop alert on this computer' };

const CONTROLS: Record<string, SettingControl> = {
  hot_threshold: { kind: 'sentence', before: 'A quiz score of', after: 'or more is Hot', min: 0, max: 100, label: 'Hot score' },
  warm_threshold: { kind: 'sentence', before: 'A quiz score of', after: 'or more is Warm', min: 0, max: 100, label: 'Warm score' },
  alert_threshold: { kind: 'sentence', before: 'Alert when a lead reaches', after: 'engagement points', min: 1, max: 100_000, label: 'Alert at' },
  open_points: { kind: 'sentence', before: 'Opening an email adds', after: 'points', min: 0, max: 1000, label: 'Points for an open' },
  click_points: { kind: 'sentence', before: 'Clicking a link adds', after: 'points', min: 0, max: 1000, label: 'Points for a click' },
  points: { kind: 'sentence', before: 'A sales-page visit adds', after: 'points', min: 0, max: 1000, label: 'Points for a visit' },
  follow_up_min_seconds: {
    kind: 'sentence',
    before: 'Send the follow-up after a visit longer than',
    after: 'seconds',
    min: 0,
    max: 86_400,
    label: 'Visit length',
  },
  hot_alert_color: { kind: 'color', label: 'Colour of the Discord alert' },
  alert_color: { kind: 'color', label: 'Colour of the Discord alert' },
  hot_alert_channels: { kind: 'channels', label: 'Tell me about a hot lead on' },
  alert_channels: { kind: 'channels', label: 'Tell me about a very engaged lead on' },
  hot_nurture_event: { kind: 'event', label: 'Follow-up emails for hot leads' },
  standard_nurture_event: { kind: 'event', label: 'Follow-up emails for everyone else' },
  general: { kind: 'event', label: 'Any other segment, or none' },
  nurtures: { kind: 'routes' },
  cta_transactional_id: { kind: 'text', label: 'Welcome email', hint: 'The id of the transactional email in Loops.', max: 200 },
  follow_up_transactional_id: { kind: 'text', label: 'Follow-up email', hint: 'The id of the transactional email in Loops.', max: 200 },
  audience: { kind: 'text', label: 'Meta audience', hint: 'The audience name as in Connected apps → Meta.', max: 100 },
  first_name_fallback: { kind: 'text', label: 'Name to use when the form gives none', max: 100 },
  message: { kind: 'template', label: 'Slack message', hint: 'Names in {{ }} are filled in from the sign-up, e.g. {{ first_name }} and {{ email }}.' },
  mirror_to_notion: { kind: 'toggle', label: 'Copy to Notion' },
};

/** The control for a setting; one no table entry names reads by its value's kind. */
export function controlFor(key: string, value: unknown): SettingControl {
  const known = CONTROLS[key];
  if (known) return known;
  if (typeof value === 'boolean') return { kind: 'toggle', label: humanize(key) };
  if (typeof value === 'number') return { kind: 'sentence', before: humanize(key), after: '', min: 0, max: 1_000_000, label: humanize(key) };
  return { kind: 'text', label: humanize(key), max: 2000 };
}

export interface Route {
  segment: string;
  event: string;
}

/** What the owner has in the controls: numbers as typed, a colour as #rrggbb, routes as rows. */
export type SettingsDraft = Record<string, string | boolean | string[] | Route[]>;

export const hexOf = (n: number): string => `#${Math.max(0, Math.min(0xffffff, Math.round(n))).toString(16).padStart(6, '0')}`;
export const colorOf = (hex: string): number => Number.parseInt(hex.replace(/^#/, ''), 16);

function current(flow: FlowInfo): Record<string, unknown> {
  return { ...flow.defaults, ...flow.settings };
}

export function draftOf(flow: FlowInfo): SettingsDraft {
  const out: SettingsDraft = {};
  for (const [k, v] of Object.entries(current(flow))) {
    const c = controlFor(k, v);
    if (c.kind === 'routes') out[k] = Object.entries((v ?? {}) as Record<string, string>).map(([segment, event]) => ({ segment, event }));
    else if (c.kind === 'color') out[k] = hexOf(Number(v));
    else if (c.kind === 'channels') out[k] = Array.isArray(v) ? (v as string[]) : [];
    else if (c.kind === 'toggle') out[k] = Boolean(v);
    else out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

const EVENT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const eventProblem = (name: string) =>
  name.trim() === ''
    ? 'Choose the Loops event that starts these emails'
    : EVENT_NAME.test(name.trim())
      ? null
      : 'A Loops event name has only letters, digits, "_", "." or "-" (no spaces), up to 100 characters';

/** Errors are keyed by setting, and a route's by "nurtures.<row>.segment" or "nurtures.<row>.event". */
export function readDraft(flow: FlowInfo, draft: SettingsDraft): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(draft)) {
    const c = controlFor(k, current(flow)[k]);
    switch (c.kind) {
      case 'sentence': {
        const text = String(v).trim();
        const n = Number(text);
        if (text === '' || !Number.isInteger(n)) errors[k] = `${c.label}: write a whole number from ${c.min} to ${c.max}`;
        else if (n < c.min || n > c.max) errors[k] = `${c.label}: choose a number from ${c.min} to ${c.max}`;
        else values[k] = n;
        break;
      }
      case 'color':
        values[k] = colorOf(String(v));
        break;
      case 'channels':
      case 'toggle':
        values[k] = v;
        break;
      case 'event': {
        const problem = eventProblem(String(v));
        if (problem) errors[k] = problem;
        else values[k] = String(v).trim();
        break;
      }
      case 'routes': {
        const routes: Record<string, string> = {};
        (v as Route[]).forEach((r, i) => {
          const segment = r.segment.trim().toLowerCase();
          if (segment === '') errors[`${k}.${i}.segment`] = 'Choose or type a segment, or remove this row';
          else if (segment.length > 100) errors[`${k}.${i}.segment`] = 'Keep the segment to 100 characters or fewer';
          else if (Object.hasOwn(routes, segment)) errors[`${k}.${i}.segment`] = `"${segment}" already has a row above`;
          const problem = eventProblem(r.event);
          if (problem) errors[`${k}.${i}.event`] = problem;
          if (segment && !problem) routes[segment] = r.event.trim();
        });
        values[k] = routes;
        break;
      }
      default: {
        const text = String(v);
        if (c.kind === 'text' && text.length > c.max) errors[k] = `${c.label}: keep it to ${c.max} characters or fewer`;
        else if (c.kind === 'template' && text.trim() === '') errors[k] = `${c.label}: write the message to post`;
        else values[k] = text;
      }
    }
  }
  if (typeof values.hot_threshold === 'number' && typeof values.warm_threshold === 'number' && values.warm_threshold > values.hot_threshold) {
    errors.warm_threshold = `The Warm score (${values.warm_threshold}) must not be above the Hot score (${values.hot_threshold})`;
  }
  return { values, errors };
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
  return v;
}

/** Whether the values differ from what is saved (nothing is sent when they do not). */
export function changedFrom(flow: FlowInfo, values: Record<string, unknown>): boolean {
  const now = current(flow);
  return Object.keys(values).some((k) => JSON.stringify(sorted(values[k])) !== JSON.stringify(sorted(now[k])));
}

/**
 * The core's answer for a setting, in words next to its control: its own messages are sentences
 * already; a route's problem is put on the row of that segment; anything else is said plainly.
 */
export function serverErrors(flow: FlowInfo, draft: SettingsDraft, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const [key, segment] = path.split(/\.(.*)/s) as [string, string | undefined];
    const c = controlFor(key, current(flow)[key]);
    const words = /^(must|is|the|a|an)\b/i.test(message) ? message.replace(/^./, (ch) => ch.toUpperCase()) : 'This cannot be saved as it is';
    if (c.kind === 'routes' && segment) {
      const row = ((draft[key] as Route[]) ?? []).findIndex((r) => r.segment.trim().toLowerCase() === segment);
      out[row >= 0 ? `${key}.${row}.event` : key] = words;
    } else out[key] = 'label' in c ? `${c.label}: ${words.replace(/^./, (ch) => ch.toLowerCase())}` : words;
  }
  return out;
}

/** Loops event names Leadbell knows of: every flow's defaults and current choices. */
export function knownLoopsEvents(flows: readonly FlowInfo[]): string[] {
  const names = new Set<string>();
  for (const f of flows) {
    for (const source of [f.defaults, f.settings]) {
      for (const [k, v] of Object.entries(source)) {
        const c = controlFor(k, v);
        if (c.kind === 'event' && typeof v === 'string') names.add(v);
        if (c.kind === 'routes' && v && typeof v === 'object') Object.values(v).forEach((e) => typeof e === 'string' && names.add(e));
      }
    }
  }
  return [...names].sort();
}
