/** Stored JSON is parsed back through zod: a corrupt row is a clear error, never a silent any. */
import type { z } from 'zod';

export function readJson<T extends z.ZodType>(schema: T, text: string | null, what: string): z.output<T> {
  const raw = readJsonValue(text, what);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`stored ${what} is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/** Any JSON value, for columns whose reader checks it with its own schema (a step's input and output). */
export function readJsonValue(text: string | null, what: string): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    throw new Error(`stored ${what} is not valid JSON`);
  }
}
