/**
 * A flow: typed parameters (rendered from a trigger), typed per-flow settings with defaults
 * (settings.flows.<name>), the steps it may use, and a plan that turns parameters and settings
 * into the run's steps. Plans are stored when the run is created; steps decide the rest from
 * what earlier steps found.
 */
import { z } from 'zod';
import type { AnyStep, PlannedStep } from '../runner/step.js';

export interface FlowDef<P, S> {
  name: string;
  title: string;
  /** What the flow does, in words; from its current settings, so a changed threshold reads the same everywhere. */
  description: string | ((settings: S) => string);
  /** May raise a desktop alert: its events and runs go ahead of other queued work. */
  urgent?: boolean;
  /** Planned by Leadbell itself (e.g. sending an event to Prefect), never chosen by a trigger. */
  internal?: boolean;
  parameters: z.ZodType<P>;
  /**
   * How a trigger usually fills the parameters, when that is not simply each parameter from the
   * event's payload field of the same name.
   */
  usualParameters?: Record<string, unknown>;
  /** Every field has a default: `settings.parse({})` gives the defaults. */
  settings: z.ZodType<S>;
  steps: AnyStep[];
  plan(params: P, settings: S): PlannedStep[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

export type Planned =
  | { ok: true; parameters: Record<string, unknown>; steps: PlannedStep[] }
  | { ok: false; error: string };

/** A flow with its types erased, as the registry and the runner hold it. */
export interface Flow {
  name: string;
  title: string;
  /** What the flow does with these settings (its defaults when they cannot be read). */
  describe(settings: unknown): string;
  urgent: boolean;
  internal: boolean;
  defaults: Record<string, unknown>;
  /** The parameter names the flow declares, in order. */
  parameterNames: string[];
  /** Parameters the flow cannot run without: a run whose trigger leaves one out always fails. */
  requiredParameters: string[];
  /** The trigger parameters that usually feed this flow (templates over the event). */
  usualParameters: Record<string, unknown>;
  step(name: string): AnyStep | undefined;
  /** Validates a flow's settings; problems carry paths like "flows.assessment.hot_threshold". */
  readSettings(raw: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; problems: FieldProblem[] };
  plan(parameters: Record<string, unknown>, settings: unknown): Planned;
}

function problems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

/** The names in a parameters schema, and which of them refuse a missing value. */
function describeParameters(schema: z.ZodType): { names: string[]; required: string[] } {
  if (!(schema instanceof z.ZodObject)) return { names: [], required: [] };
  const shape = schema.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape);
  return { names, required: names.filter((n) => !shape[n]!.safeParse(undefined).success) };
}

export function defineFlow<P extends Record<string, unknown>, S extends Record<string, unknown>>(def: FlowDef<P, S>): Flow {
  const steps = new Map(def.steps.map((s) => [s.name, s]));
  const declared = describeParameters(def.parameters);
  return {
    name: def.name,
    title: def.title,
    describe(raw) {
      if (typeof def.description === 'string') return def.description;
      const s = def.settings.safeParse(raw ?? {});
      return def.description(s.success ? s.data : def.settings.parse({}));
    },
    urgent: def.urgent ?? false,
    internal: def.internal ?? false,
    defaults: def.settings.parse({}),
    parameterNames: declared.names,
    requiredParameters: declared.required,
    usualParameters: def.usualParameters ?? Object.fromEntries(declared.names.map((n) => [n, `{{ event.payload.${n} }}`])),
    step: (name) => steps.get(name),
    readSettings(raw) {
      const parsed = def.settings.safeParse(raw ?? {});
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problems(parsed.error, `flows.${def.name}`) };
    },
    plan(parameters, rawSettings) {
      const p = def.parameters.safeParse(parameters);
      if (!p.success) {
        return { ok: false, error: `the parameters do not fit the flow: ${problems(p.error, 'parameters').map((x) => `${x.path} ${x.message}`).join('; ')}` };
      }
      const s = def.settings.safeParse(rawSettings ?? {});
      if (!s.success) {
        return { ok: false, error: `the flow's settings are invalid: ${problems(s.error, `flows.${def.name}`).map((x) => `${x.path} ${x.message}`).join('; ')}` };
      }
      return { ok: true, parameters: p.data, steps: def.plan(p.data, s.data) };
    },
  };
}
