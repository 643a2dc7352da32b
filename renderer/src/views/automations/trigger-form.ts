/**
 * The automation editor's form: reading a trigger into it, starting from a flow's usual wiring
 * (and replacing only what the owner has not changed when the flow changes), and turning it back
 * into a draft with plain, per-field messages.
 */
import { triggerDraft, type FlowInfo, type Trigger } from '../../../../shared/api/models.js';
import { KNOWN_EVENTS } from '../../../../shared/events/catalog.js';
import { runsFlowsHere, unmappedParameters } from '../../../../shared/flow-parameters.js';
import { humanize } from '../../lib/labels.js';

const humanizeLower = (n: string) => humanize(n).toLowerCase();

export interface FormState {
  name: string;
  flow: string;
  enabled: boolean;
  expect: string[];
  otherEvents: string;
  /** The owner chose to run on every event (nothing ticked and nothing typed). */
  anyEvent: boolean;
  match: string;
  parameters: string;
  thresholdOn: boolean;
  count: string;
  withinHours: string;
  delayMinutes: string;
  runOn: Trigger['run_on'];
  /** What was last filled in from the flow's usual wiring: fields still equal to it are not the owner's own. */
  prefill: Prefill | null;
}

type Wiring = Pick<FormState, 'expect' | 'otherEvents' | 'match' | 'parameters'>;
export type Prefill = Wiring;

const known = new Set<string>(KNOWN_EVENTS);

function wiringOf(t: Pick<Trigger, 'expect' | 'match' | 'parameters'>): Wiring {
  return {
    expect: t.expect.filter((e) => known.has(e)),
    otherEvents: t.expect.filter((e) => !known.has(e)).join(', '),
    match: Object.entries(t.match)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
      .join('\n'),
    parameters: JSON.stringify(t.parameters, null, 2),
  };
}

/** The flow's usual wiring, as form fields; null when the flow is not known. */
export function usualWiring(flows: readonly FlowInfo[], flow: string): Wiring | null {
  const f = flows.find((x) => x.name === flow);
  return f ? wiringOf(f.usual) : null;
}

export function fromTrigger(t: Trigger | null, flows: readonly FlowInfo[]): FormState {
  const flow = t?.flow ?? flows[0]?.name ?? '';
  const usual = usualWiring(flows, flow);
  // A new automation starts from its flow's usual wiring; an existing one keeps its own.
  const wiring = t ? wiringOf(t) : (usual ?? wiringOf({ expect: [], match: {}, parameters: {} }));
  return {
    name: t?.name ?? '',
    flow,
    enabled: t?.enabled ?? true,
    ...wiring,
    anyEvent: t ? t.expect.length === 0 : false,
    thresholdOn: Boolean(t?.threshold),
    count: String(t?.threshold?.count ?? 3),
    withinHours: String((t?.threshold?.within_seconds ?? 7 * 86_400) / 3600),
    delayMinutes: String((t?.schedule_after_seconds ?? 0) / 60),
    runOn: t?.run_on ?? 'here',
    prefill: usual,
  };
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortedKeys(JSON.parse(a || '{}'))) === JSON.stringify(sortedKeys(JSON.parse(b || '{}')));
  } catch {
    return a.trim() === b.trim();
  }
}

function eventList(w: Pick<Wiring, 'expect' | 'otherEvents'>): string[] {
  return [...w.expect, ...splitList(w.otherEvents)].sort();
}

const sameEvents = (a: Pick<Wiring, 'expect' | 'otherEvents'>, b: Pick<Wiring, 'expect' | 'otherEvents'>) =>
  eventList(a).join('\n') === eventList(b).join('\n');

const sameMatch = (a: string, b: string) => JSON.stringify(sortedKeys(readMatch(a).match)) === JSON.stringify(sortedKeys(readMatch(b).match));

/** Whether the form's events and parameters are the flow's usual ones. */
export function usesUsual(f: FormState, flows: readonly FlowInfo[]): { events: boolean; parameters: boolean } {
  const usual = usualWiring(flows, f.flow);
  if (!usual) return { events: true, parameters: true };
  return { events: !f.anyEvent && sameEvents(f, usual), parameters: sameJson(f.parameters, usual.parameters) };
}

/**
 * Picks another flow. Events, labels and parameters the owner has not changed since they were
 * filled in become the new flow's usual ones; anything the owner changed stays as it is.
 */
export function chooseFlow(f: FormState, flow: string, flows: readonly FlowInfo[]): FormState {
  const usual = usualWiring(flows, flow);
  const was = f.prefill;
  if (!usual) return { ...f, flow };
  const eventsUntouched = !f.anyEvent && (was ? sameEvents(f, was) : eventList(f).length === 0);
  const matchUntouched = was ? sameMatch(f.match, was.match) : f.match.trim() === '';
  const parametersUntouched = was ? sameJson(f.parameters, was.parameters) : sameJson(f.parameters, '{}');
  return {
    ...f,
    flow,
    ...(eventsUntouched && { expect: usual.expect, otherEvents: usual.otherEvents }),
    ...(matchUntouched && { match: usual.match }),
    ...(parametersUntouched && { parameters: usual.parameters }),
    prefill: usual,
  };
}

/** Adds the flow's usual parameters the form leaves out, keeping every one the owner wrote. */
export function fillMissingParameters(f: FormState, flows: readonly FlowInfo[]): FormState {
  const usual = flows.find((x) => x.name === f.flow)?.usual.parameters ?? {};
  let mine: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(f.parameters || '{}');
    mine = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { ...f, parameters: JSON.stringify(usual, null, 2) };
  }
  const missing = Object.fromEntries(Object.entries(usual).filter(([k]) => mine[k] === undefined || mine[k] === null || mine[k] === ''));
  return { ...f, parameters: JSON.stringify({ ...mine, ...missing }, null, 2) };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function readMatch(text: string): { match: Record<string, string | string[]>; error?: string } {
  const match: Record<string, string | string[]> = {};
  let error: string | undefined;
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        error ??= `Line ${i + 1} should look like label=value`;
        return;
      }
      const values = line.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean);
      match[line.slice(0, eq).trim()] = values.length === 1 ? values[0]! : values;
    });
  return { match, ...(error && { error }) };
}

const RESOURCE_WORDS: Record<string, string> = { 'lead.*': 'leads', 'visitor.*': 'site visitors', 'email.*': 'emails' };

/** "Only for" in plain words, e.g. "leads" for prefect.resource.id=lead.*. */
export function matchWords(text: string): string {
  const entries = Object.entries(readMatch(text).match);
  if (!entries.length) return 'anyone and anything';
  return entries
    .map(([label, v]) => {
      const words = (Array.isArray(v) ? v : [v]).map((p) => {
        const not = p.startsWith('!');
        const bare = not ? p.slice(1) : p;
        const word = label === 'prefect.resource.id' ? (RESOURCE_WORDS[bare] ?? bare) : `${label} ${bare}`;
        return not ? `not ${word}` : word;
      });
      return words.join(', ');
    })
    .join(' and ');
}

/** Plain words for what the schema refuses, per field. */
function plainMessage(field: string, code: string, raw: string): string {
  switch (field) {
    case 'name':
      return code === 'too_big' ? 'Keep the name to 200 characters or fewer' : 'Give the automation a name';
    case 'flow':
      return 'Choose what this automation runs';
    case 'threshold':
      return 'Times must be a whole number, 1 or more, and hours more than 0';
    case 'schedule_after_seconds':
      return 'The wait must be 0 minutes or more';
    case 'run_on':
      return 'Choose where it runs';
    case 'parameters':
      return 'The details under Advanced must be names and values inside { }: pick them from the lists instead, or use the usual details';
    default:
      return raw;
  }
}

export type Built = { draft: unknown; errors: Record<string, string>; missing: string[] };

/** Turns the form into a draft; anything that cannot be read or saved becomes a field error in plain words. */
export function build(f: FormState, id: string | undefined, flows: readonly FlowInfo[]): Built {
  const errors: Record<string, string> = {};
  let parameters: unknown = {};
  try {
    parameters = JSON.parse(f.parameters || '{}');
  } catch {
    // The parser's own message names positions and tokens; the owner needs where to look.
    errors.parameters = 'The details under Advanced are not written correctly (check the quotes, commas and braces), or use the usual details';
  }
  const { match, error: matchError } = readMatch(f.match);
  if (matchError) errors.match = matchError;
  const expect = f.anyEvent ? [] : [...f.expect, ...splitList(f.otherEvents)];
  if (!f.anyEvent && expect.length === 0) {
    errors.expect = 'Choose at least one event, or tick "Any event" if it should run on everything that arrives';
  }
  const flow = flows.find((x) => x.name === f.flow);
  const missing = flow ? unmappedParameters(parameters, flow.required_parameters) : [];
  if (!errors.parameters && missing.length && runsFlowsHere({ enabled: f.enabled, run_on: f.runOn })) {
    errors.parameters = `${flow!.title} cannot run without ${missing.map(humanizeLower).join(', ')}: every run would fail. Pick the event field ${
      missing.length === 1 ? 'it comes' : 'they come'
    } from, or fill in the usual details.`;
  }
  const draft = {
    ...(id && { id }),
    name: f.name.trim(),
    flow: f.flow,
    enabled: f.enabled,
    expect,
    match,
    parameters,
    threshold: f.thresholdOn ? { count: Number(f.count), within_seconds: Math.round(Number(f.withinHours) * 3600) } : null,
    schedule_after_seconds: Math.round(Number(f.delayMinutes || 0) * 60),
    run_on: f.runOn,
  };
  const parsed = triggerDraft.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'name');
      errors[key] ??= plainMessage(key, issue.code, issue.message);
    }
  }
  return { draft, errors, missing };
}
