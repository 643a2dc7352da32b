/**
 * Turns a sender's body into Leadbell's field names by a mapping (saved by the owner, or guessed):
 * each mapped field's value, a full name split into first and last, ratings named after their
 * fields. Validation is left to the endpoint's schema, so a mapped email with a typo is a 422
 * naming `email`, exactly as if the sender had used Leadbell's own names.
 */
import { fieldKey, pathLabel, valueAt, type KeyPath } from './key-paths.js';
import { MAPPED_FIELDS, type FieldMapping, type MappedField } from './model.js';

type Body = Record<string, unknown>;

/** One-element lists (Google Forms' `namedValues`) stand for their one value. */
function scalar(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

/** "Mia Rossi <mia@salon.example>" holds one address: the mapped field gives it. Anything else goes to validation as it is. */
function emailIn(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const found = v.match(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi);
  return found?.length === 1 ? found[0] : v;
}

function ratingName(path: KeyPath): string {
  return (
    fieldKey(path)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 64) || `rating_${path.join('_')}`
  );
}

/** What a mapping read and from where, in the owner's words: `{ email: "contact › mail" }`. */
export function readFrom(mapping: Partial<FieldMapping>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of MAPPED_FIELDS) if (mapping[f]) out[f] = pathLabel(mapping[f]);
  mapping.ratings?.forEach((p) => (out[`rating ${ratingName(p)}`] = pathLabel(p)));
  return out;
}

export function applyMapping(body: Body, mapping: Partial<FieldMapping>, assessment: boolean): Body {
  const out: Body = {};
  const read = (f: MappedField) => (mapping[f] ? scalar(valueAt(body, mapping[f])) : undefined);
  for (const f of ['email', 'first_name', 'last_name', 'phone', 'segment', 'source'] as const) {
    const v = read(f);
    if (v !== undefined && v !== null) out[f] = typeof v === 'string' ? v : String(v);
  }
  if (out.email !== undefined) out.email = emailIn(out.email);
  // The email is always given to the schema, so a mapped field that is missing says "email: is required".
  if (mapping.email && out.email === undefined) out.email = undefined;
  const full = read('full_name');
  if (typeof full === 'string' && full.trim()) {
    const [first, ...rest] = full.trim().split(/\s+/);
    out.first_name ??= first;
    if (rest.length) out.last_name ??= rest.join(' ');
  }
  if (assessment) {
    const score = read('score');
    if (score !== undefined) out.score = score;
    const ratings: Body = {};
    for (const p of mapping.ratings ?? []) {
      const v = scalar(valueAt(body, p));
      if (v !== undefined && v !== null && v !== '') ratings[ratingName(p)] = v;
    }
    if (Object.keys(ratings).length) out.assessment_data = ratings;
  }
  return out;
}
