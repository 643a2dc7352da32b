/**
 * How a body on a lead endpoint is read, in order: a sender preset (a known tool's own body,
 * read in shared/events/normalize.ts before this); the mapping the owner saved for this sender; Leadbell's own field names; a guess; and when
 * nothing finds an email, the request is held for the owner to map. Only a shape Leadbell cannot
 * read is held: a body in a preset's, the mapping's or Leadbell's own names that lacks a required
 * field or carries a malformed value goes on to validation, and is refused naming the field.
 */
import { applyMapping, readFrom } from './apply.js';
import { guessMapping } from './guess.js';
import type { FieldMapping } from './model.js';

type Body = Record<string, unknown>;

export interface LeadDefaults {
  segment?: string | null;
  source?: string | null;
}

export interface ReadOptions {
  /** The mapping saved for this endpoint and the body's shape. */
  mapping?: FieldMapping;
  /** An endpoint's own segment and source, for what the body does not say. */
  defaults?: LeadDefaults;
}

export type LeadRead =
  | { body: Body; note?: string; held?: undefined }
  /** Why it was held, in the owner's words. */
  | { held: string; body?: undefined; note?: undefined };

/** Top-level names that say the sender speaks Leadbell's language (so a gap in it is the sender's to fix). */
const OWN_NAMES = ['email', 'first_name', 'last_name', 'phone', 'visitor_id', 'assessment_data'];

export const HELD_REASON = 'no field looks like an email address: show Leadbell which field is the email';
export const HELD_RATINGS_REASON = 'the ratings or score of this quiz are not where Leadbell looks: show Leadbell which fields hold them';

function listed(read: Record<string, string>): string {
  return Object.entries(read)
    .map(([field, from]) => `${field.replace(/_/g, ' ')} from “${from}”`)
    .join(', ');
}

/** An endpoint's segment and source, where the body (or its metadata) gives none. */
export function withDefaults(body: Body, defaults: LeadDefaults | undefined): Body {
  if (!defaults) return body;
  const metadata = typeof body.metadata === 'object' && body.metadata !== null ? (body.metadata as Body) : {};
  const out = { ...body };
  for (const k of ['segment', 'source'] as const) {
    const given = [out[k], metadata[k]].some((v) => typeof v === 'string' && v.trim() !== '');
    if (!given && defaults[k]) out[k] = defaults[k];
  }
  return out;
}

/** A body no sender preset recognised (presets come first: shared/senders/). */
export function readLead(raw: Body, assessment: boolean, options: ReadOptions = {}): LeadRead {
  const read = readBody(raw, assessment, options.mapping);
  return read.held !== undefined ? read : { ...read, body: withDefaults(read.body, options.defaults) };
}

function readBody(raw: Body, assessment: boolean, mapping: FieldMapping | undefined): LeadRead {
  if (mapping) {
    const from = readFrom(mapping);
    return { body: { ...applyMapping(raw, mapping, assessment), mapped_from: from }, note: `Read with the fields you chose: ${listed(from)}` };
  }
  if (OWN_NAMES.some((k) => k in raw)) return { body: raw };
  const guess = guessMapping(raw);
  if (!guess) return { held: HELD_REASON };
  // A guess finds people, not quiz answers: an assessment's ratings are for the owner to point at.
  if (assessment) return { held: HELD_RATINGS_REASON };
  const from = readFrom(guess);
  return { body: { ...applyMapping(raw, guess, assessment), guessed_from: from }, note: `Leadbell guessed the fields: ${listed(from)}` };
}
