/**
 * Which column of an imported file fills which field of a lead. Guessed from the column names
 * ("E-mail address", "First Name", "Mobile"...), shown in the preview, and changed by the owner.
 */
import { z } from 'zod';

export const IMPORT_FIELDS = ['email', 'first_name', 'last_name', 'phone', 'segment', 'source', 'tags', 'owner_stage'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field -> column name; a field left out is not imported. */
export const columnMapping = z.partialRecord(z.enum(IMPORT_FIELDS), z.string().max(200));
export type ColumnMapping = z.infer<typeof columnMapping>;

const SYNONYMS: Record<ImportField, string[]> = {
  email: ['email', 'e mail', 'email address', 'e mail address', 'mail'],
  first_name: ['first name', 'firstname', 'given name', 'forename', 'name'],
  last_name: ['last name', 'lastname', 'surname', 'family name'],
  phone: ['phone', 'phone number', 'mobile', 'mobile number', 'telephone', 'tel', 'cell'],
  segment: ['segment', 'type', 'business type', 'category'],
  source: ['source', 'came from', 'lead source', 'channel'],
  tags: ['tags', 'tag', 'labels', 'groups'],
  owner_stage: ['stage', 'status', 'owner stage', 'pipeline stage'],
};

const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

export function guessMapping(columns: string[]): ColumnMapping {
  const out: ColumnMapping = {};
  const used = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const col = columns.find((c) => !used.has(c) && SYNONYMS[field].includes(plain(c)));
    if (col !== undefined) {
      out[field] = col;
      used.add(col);
    }
  }
  return out;
}
