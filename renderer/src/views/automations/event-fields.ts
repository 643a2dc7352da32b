/**
 * The fields an event carries, to pick a flow's details from: the catalog's own (each sample
 * as the receiver would turn it into an event) and those real events arrived with. A detail is
 * stored as the template that takes the field from the event; any other template is the owner's
 * own and stays as written (under "Advanced").
 */
import { normalise } from '../../../../shared/events/normalize.js';
import { SAMPLES } from '../../../../shared/events/samples.js';

/** Fields of each catalog event, from its samples. */
export const CATALOG_FIELDS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, Set<string>> = {};
  for (const s of SAMPLES) {
    const r = normalise(s.endpoint, s.body);
    if (!r.ok) continue;
    const set = (out[r.value.event] ??= new Set());
    Object.keys(r.value.payload).forEach((k) => set.add(k));
  }
  return Object.fromEntries(Object.entries(out).map(([e, set]) => [e, [...set].sort()]));
})();

/** The fields the chosen events offer: the catalog's, then those seen in real payloads. */
export function fieldsFor(events: readonly string[], seen: readonly Record<string, unknown>[] = []): string[] {
  const fields = new Set<string>();
  for (const e of events) CATALOG_FIELDS[e]?.forEach((f) => fields.add(f));
  for (const p of seen) Object.keys(p).forEach((f) => fields.add(f));
  return [...fields].sort();
}

const FROM_FIELD = /^\{\{\s*event\.payload\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

export const templateFor = (field: string) => `{{ event.payload.${field} }}`;

/** A detail's value as a choice: the event field it takes, nothing, or the owner's own template. */
export type ParameterChoice = { kind: 'field'; field: string } | { kind: 'none' } | { kind: 'custom'; value: unknown };

export function choiceOf(value: unknown): ParameterChoice {
  if (value === undefined || value === null || value === '') return { kind: 'none' };
  const m = typeof value === 'string' ? FROM_FIELD.exec(value.trim()) : null;
  return m ? { kind: 'field', field: m[1]! } : { kind: 'custom', value };
}
