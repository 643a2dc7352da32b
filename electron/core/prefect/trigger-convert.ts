/**
 * A Leadbell trigger as a Prefect deployment trigger and back. What Leadbell cannot do the same
 * way (related-resource matches, `after`, proactive posture, a count across all resources, job
 * variables, other trigger types) is refused on import with the field named, never dropped.
 *
 * Parameters: a template that is one expression gets `| default(none)` on export, because Prefect
 * fails a run when such a value is missing while Leadbell passes null; import takes it off again,
 * so an exported trigger comes back unchanged.
 */
import type { FieldProblem } from '../flows/flow.js';
import type { Trigger } from '../../../shared/api/models.js';
import { pyStrip } from '../triggers/python-text.js';
import { durationSeconds, type ExportedTrigger, type ImportedTrigger } from './trigger-model.js';

const RESOURCE_ID = 'prefect.resource.id';
const DESCRIPTION = /^Leadbell trigger (\S+)$/;
/** Exactly what the export appends, so import can take exactly that off again. */
const APPENDED = / \| default\(none\)(\s*)\}\}(\s*)$/;

export type TriggerDraft = Omit<Trigger, 'created_at' | 'updated_at' | 'id'> & { id?: string };

/** Whether Prefect treats the string as one expression (its rule: one "{{" and nothing around it). */
function singleExpression(s: string): boolean {
  const t = pyStrip(s);
  return t.startsWith('{{') && t.endsWith('}}') && t.split('{{').length === 2;
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

export function exportParameters(p: Record<string, unknown>): Record<string, unknown> {
  return mapStrings(p, (s) => (singleExpression(s) ? s.replace(/(\s*)\}\}(\s*)$/, ' | default(none)$1}}$2') : s)) as Record<string, unknown>;
}

export function importParameters(p: Record<string, unknown>): Record<string, unknown> {
  return mapStrings(p, (s) => (singleExpression(s) ? s.replace(APPENDED, '$1}}$2') : s)) as Record<string, unknown>;
}

export function toPrefectTrigger(t: Trigger): ExportedTrigger {
  return {
    type: 'event',
    name: t.name,
    description: `Leadbell trigger ${t.id}`,
    enabled: t.enabled,
    match: t.match,
    match_related: {},
    after: [],
    expect: t.expect,
    // Leadbell counts a threshold per resource id; Prefect counts across all resources unless told.
    for_each: t.threshold ? [RESOURCE_ID] : [],
    posture: 'Reactive',
    threshold: t.threshold?.count ?? 1,
    within: t.threshold?.within_seconds ?? 0,
    parameters: exportParameters(t.parameters),
    job_variables: null,
    schedule_after: t.schedule_after_seconds,
  };
}

const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);

export function fromPrefectTrigger(p: ImportedTrigger, flow: string, fallbackName: string): { ok: true; draft: TriggerDraft } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const no = (path: string, message: string) => problems.push({ path, message });
  if (p.type !== 'event') no('type', `"${p.type}" triggers are not supported (only "event")`);
  if (p.posture !== 'Reactive') no('posture', `${p.posture} triggers (firing when events do not arrive) are not supported`);
  if (!empty(p.match_related)) no('match_related', 'Leadbell matches only the event\'s own resource labels (use "match")');
  if (!empty(p.after)) no('after', '"after" (an event that must come first) is not supported');
  if (!empty(p.job_variables)) no('job_variables', 'job variables configure Prefect workers; Leadbell runs flows itself');
  if (p.threshold < 1) no('threshold', 'must be at least 1');
  const within = Math.round(durationSeconds(p.within));
  let threshold: TriggerDraft['threshold'] = null;
  if (p.threshold > 1) {
    if (p.for_each.length !== 1 || p.for_each[0] !== RESOURCE_ID) {
      no('for_each', `a threshold is counted per resource in Leadbell: for_each must be ["${RESOURCE_ID}"]`);
    }
    if (within < 1) no('within', 'a threshold needs a window of at least 1 second');
    threshold = { count: p.threshold, within_seconds: within };
  }
  const name = (p.name ?? '').trim() || fallbackName;
  if (name.length > 200) no('name', 'at most 200 characters');
  if (problems.length) return { ok: false, problems };
  const id = DESCRIPTION.exec(p.description.trim())?.[1];
  return {
    ok: true,
    draft: {
      ...(id ? { id } : {}),
      name,
      flow,
      enabled: p.enabled,
      match: p.match,
      expect: [...new Set(p.expect)],
      parameters: importParameters(p.parameters ?? {}),
      threshold,
      schedule_after_seconds: Math.round(durationSeconds(p.schedule_after)),
      // Imported to run here; the owner may then send it back to Prefect instead.
      run_on: 'here',
    },
  };
}
