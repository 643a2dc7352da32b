/**
 * What the presets share: reading a question's label as one of Leadbell's fields ("Email
 * Address" is the email, "What is your first name?" the first name), splitting a full name, and
 * flattening a form's answers into Leadbell's field names.
 */
import type { Body } from './entry.js';

export const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Fields a lead may carry at the top level, under their own names. */
export const LEAD_FIELDS = new Set(['email', 'first_name', 'last_name', 'phone', 'visitor_id', 'segment', 'source', 'score', 'duration']);

export function snake(s: string): string {
  return s
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

/** The Leadbell field a question's label names, or "name" for a full name; undefined for others. */
export function labelField(label: string): 'email' | 'first_name' | 'last_name' | 'name' | 'phone' | undefined {
  const words = ` ${snake(label).replace(/_/g, ' ')} `;
  // "Email me offers" and "I agree to be called" are consents, not the address or the number.
  if (/ (opt|opt in|consent|agree|subscribe|newsletter|updates|offers|marketing|confirm) /.test(words)) return undefined;
  if (/ e ?mail( address)? /.test(words)) return 'email';
  if (/ (first|given|fore) ?name /.test(words)) return 'first_name';
  if (/ (last|family|sur) ?name /.test(words)) return 'last_name';
  if (/ (phone|mobile|telephone|tel|cell)( number| no)? /.test(words)) return 'phone';
  if (/ (full )?name /.test(words) && !/ (company|business|shop|salon|pet|child|kid)s? name /.test(words)) return 'name';
  return undefined;
}

/** "Laura Smith" -> first_name Laura, last_name Smith. */
export function splitName(full: string): { first_name?: string; last_name?: string } {
  const [first, ...rest] = full.trim().split(/\s+/);
  return { first_name: first || undefined, ...(rest.length && { last_name: rest.join(' ') }) };
}

export interface Answer {
  /** The question's ref, label or id, as the sender gives it. */
  key: string;
  /** Known from the question's type; otherwise read from its label. */
  kind: 'email' | 'phone' | 'number' | 'other';
  value: unknown;
}

/** A plain value for a field; arrays of text (checkboxes, one-element Google Forms answers) are joined. */
function plainValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.filter((x) => typeof x === 'string' || typeof x === 'number');
    return items.length === v.length && items.length ? items.join(', ') : undefined;
  }
  if (v === null || v === undefined || isObject(v)) return undefined;
  return v;
}

/**
 * Answers in Leadbell's field names: email and phone by the question's type or label, first and
 * last name by label (a full name is split), everything else under its key in snake_case; on
 * the assessment endpoint other numeric answers become `assessment_data` ratings. What the
 * sender already gave in `extra` (delivery id, time, hidden fields) is kept first.
 */
export function flatten(answers: Answer[], extra: Body, assessment: boolean): Body {
  const out: Body = { ...extra };
  const ratings: Body = {};
  let fullName: string | undefined;
  for (const a of answers) {
    const value = plainValue(a.value);
    if (value === undefined || value === '') continue;
    const byLabel = labelField(a.key);
    const field = a.kind === 'email' || a.kind === 'phone' ? a.kind : byLabel;
    const key = snake(a.key);
    if (field === 'name') fullName ??= String(value);
    else if (field) out[field] ??= String(value);
    else if (LEAD_FIELDS.has(key)) out[key] ??= value;
    else if (assessment && a.kind === 'number') ratings[key] = value;
    else if (key) out[key] ??= value;
  }
  if (fullName) {
    const { first_name, last_name } = splitName(fullName);
    out.first_name ??= first_name;
    if (last_name) out.last_name ??= last_name;
  }
  if (Object.keys(ratings).length && out.assessment_data === undefined) out.assessment_data = ratings;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** Keys whose values are a name's parts ({first, last}: Jotform's name field). */
export function nameParts(v: unknown): { first_name?: string; last_name?: string } | undefined {
  if (!isObject(v)) return undefined;
  const first = text(v.first) ?? text(v.first_name);
  const last = text(v.last) ?? text(v.last_name);
  return first || last ? { ...(first && { first_name: first }), ...(last && { last_name: last }) } : undefined;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 20;

function depthOf(v: unknown, d = 0): number {
  if (d > MAX_DEPTH || v === null || typeof v !== 'object') return d;
  return Math.max(d, ...Object.values(v).map((x) => depthOf(x, d + 1)));
}

/**
 * JSON a sender carries inside a form field (Jotform's `rawRequest`), with the body's own guards:
 * prototype-polluting keys dropped, nesting bounded. Undefined when it is not a JSON object.
 */
export function jsonObjectIn(v: unknown): Body | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v, (k, x) => (FORBIDDEN_KEYS.has(k) ? undefined : x));
    return isObject(parsed) && depthOf(parsed) <= MAX_DEPTH ? parsed : undefined;
  } catch {
    return undefined;
  }
}
