/**
 * Turns a trigger draft into a saved trigger and its compiled parameters, or refuses it with
 * field-level problems (unknown flow, bad pattern, bad template, unknown filter).
 */
import type { Trigger } from '../../../shared/api/models.js';
import { unmappedParameters } from '../../../shared/flow-parameters.js';
import type { Flow, FieldProblem } from '../flows/flow.js';
import { patternProblem } from './match.js';
import { compileParameters, type CompiledParameters, type DialectName } from './template.js';

/** Names a trigger's parameter templates may use. Their dialect is the Jinja subset Prefect renders alike. */
const TEMPLATE_ROOTS = ['event'] as const;

export interface CompiledTrigger {
  trigger: Trigger;
  parameters: CompiledParameters;
}

/** New and edited triggers use the `prefect` dialect; `leadbell` only keeps older stored triggers firing. */
export function compileTrigger(
  t: Trigger,
  flows: ReadonlyMap<string, Flow>,
  dialect: DialectName = 'prefect',
): { ok: true; value: CompiledTrigger } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!flows.has(t.flow) || flows.get(t.flow)!.internal) {
    const known = [...flows.values()].filter((f) => !f.internal).map((f) => f.name);
    problems.push({ path: 'flow', message: `unknown flow "${t.flow}" (known: ${known.join(', ')})` });
  }
  for (const [label, value] of Object.entries(t.match)) {
    if (!label.trim()) problems.push({ path: 'match', message: 'a label name is empty' });
    const values = Array.isArray(value) ? value : [value];
    if (!values.length) problems.push({ path: `match.${label}`, message: 'needs at least one value' });
    values.forEach((v, i) => {
      const p = patternProblem(v);
      if (p) problems.push({ path: Array.isArray(value) ? `match.${label}.${i}` : `match.${label}`, message: p });
    });
  }
  t.expect.forEach((e, i) => {
    const p = patternProblem(e);
    if (p || e.startsWith('!')) problems.push({ path: `expect.${i}`, message: p ?? `"${e}": expect lists event names; "!" is not supported here` });
  });
  const compiled = compileParameters(t.parameters, TEMPLATE_ROOTS, 'parameters', dialect);
  if (!compiled.ok) problems.push(...compiled.errors);
  if (problems.length || !compiled.ok) return { ok: false, problems };
  return { ok: true, value: { trigger: t, parameters: compiled.value } };
}

/** The flow's required parameters the trigger leaves out, as field problems (see shared/flow-parameters.ts). */
export function unmappedParameterProblems(t: Pick<Trigger, 'parameters'>, flow: Flow): FieldProblem[] {
  return unmappedParameters(t.parameters, flow.requiredParameters).map((name) => ({
      path: `parameters.${name}`,
      message: `"${flow.title}" needs ${name}: without it every run fails (usually ${JSON.stringify(flow.usualParameters[name] ?? `{{ event.payload.${name} }}`)})`,
    }));
}
