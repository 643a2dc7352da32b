/**
 * A view's state in the route's query string (`#/leads?q=ann&stage=hot`), read through a zod
 * schema. Anyone can edit a URL, so reading never throws: a missing or bad value becomes that
 * field's default, field by field, and the other fields keep theirs.
 */
import { z } from 'zod';

export type SearchShape = Record<string, z.ZodType>;

/** Every field must accept a missing value (a `.default()` or `.optional()`), so that any URL parses. */
type Forgiving<S extends SearchShape> = { [K in keyof S]: undefined extends z.input<S[K]> ? S[K] : never };

export type SearchSchema<S extends SearchShape> = z.ZodObject<S> & { shape: Forgiving<S> };
export type SearchValues<S extends SearchShape> = z.output<z.ZodObject<S>>;

function fieldDefault(key: string, field: z.ZodType): unknown {
  const missing = field.safeParse(undefined);
  if (!missing.success) throw new Error(`search param "${key}" needs a .default() or .optional()`);
  return missing.data;
}

export function searchDefaults<S extends SearchShape>(schema: SearchSchema<S>): SearchValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries<z.ZodType>(schema.shape)) out[key] = fieldDefault(key, field);
  return out as SearchValues<S>;
}

export function parseSearch<S extends SearchShape>(schema: SearchSchema<S>, query: string): SearchValues<S> {
  const params = new URLSearchParams(query);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries<z.ZodType>(schema.shape)) {
    const raw = params.get(key);
    const parsed = raw === null ? undefined : field.safeParse(raw);
    out[key] = parsed?.success ? parsed.data : fieldDefault(key, field);
  }
  return out as SearchValues<S>;
}

function encode(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/**
 * The query string for these values: defaults are left out, so a plain list has a plain URL.
 * Keys the schema does not know are kept from `keep` (another part of the page may own them).
 */
export function serializeSearch<S extends SearchShape>(schema: SearchSchema<S>, values: Partial<SearchValues<S>>, keep = ''): string {
  const params = new URLSearchParams(keep);
  const defaults: Record<string, unknown> = searchDefaults(schema);
  const given: Record<string, unknown> = values;
  for (const key of Object.keys(schema.shape)) {
    params.delete(key);
    const value = given[key];
    const text = value === defaults[key] ? null : encode(value);
    if (text !== null) params.set(key, text);
  }
  return params.toString();
}
