/**
 * A mapping: which field of a sender's body holds each of Leadbell's lead fields. The owner makes
 * one by clicking the fields of a real request; it is saved for the endpoint and the body's shape.
 */
import { z } from 'zod';

const keyPath = z.array(z.union([z.string().max(200), z.number().int().min(0).max(10_000)])).min(1).max(24);

export const fieldMapping = z.object({
  email: keyPath,
  first_name: keyPath.optional(),
  last_name: keyPath.optional(),
  /** Split at the first space into first and last name, where those are not mapped themselves. */
  full_name: keyPath.optional(),
  phone: keyPath.optional(),
  segment: keyPath.optional(),
  source: keyPath.optional(),
  /** A ready score from 0 to 100 (assessments). */
  score: keyPath.optional(),
  /** Ratings from 0 to 10 (assessments), each named after its field. */
  ratings: z.array(keyPath).max(8).default([]),
});
export type FieldMapping = z.infer<typeof fieldMapping>;

/** The single-valued lead fields a mapping or a guess can fill, in the order the owner sees them. */
export const MAPPED_FIELDS = ['email', 'first_name', 'last_name', 'full_name', 'phone', 'segment', 'source', 'score'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export const MAPPED_FIELD_WORDS: Record<MappedField | 'ratings', string> = {
  email: 'Email',
  first_name: 'First name',
  last_name: 'Last name',
  full_name: 'Full name',
  phone: 'Phone',
  segment: 'Segment',
  source: 'Source',
  score: 'Score (0-100)',
  ratings: 'Rating (0-10)',
};
