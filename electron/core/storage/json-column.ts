/** Stored JSON is parsed back through zod: a corrupt row is a clear error, never a silent any. */
import type { z } from 'zod';

export function readJson<T extends z.ZodType>(schema: T, text: string | null, what: string): z.output<T> {
  let raw: unknown = null;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    throw new Error(`stored ${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`stored ${what} is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}
