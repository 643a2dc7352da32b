/**
 * Triggers as a `prefect.yaml` (one deployment per flow, its triggers under `triggers:`), and a
 * `prefect.yaml`, a list of triggers or a single trigger read back into trigger drafts.
 */
import { parse, stringify, YAMLParseError } from 'yaml';
import { z } from 'zod';
import type { FieldProblem } from '../flows/flow.js';
import type { Trigger } from '../../../shared/api/models.js';
import { fromPrefectTrigger, toPrefectTrigger, type TriggerDraft } from './trigger-convert.js';
import { exportedPrefectYaml, importedDeployment, importedTrigger } from './trigger-model.js';

/** The first Prefect release that keeps a single-expression parameter's type, as Leadbell does. */
export const PREFECT_VERSION = '3.6.24';

const pythonName = (flow: string) => flow.replace(/[^A-Za-z0-9_]/g, '_');

export function exportPrefectYaml(triggers: Trigger[], projectName = 'leadbell'): string {
  const flows = [...new Set(triggers.map((t) => t.flow))].sort();
  const doc = {
    name: projectName,
    'prefect-version': PREFECT_VERSION,
    deployments: flows.map((flow) => ({
      name: flow,
      description: `Leadbell's "${flow}" flow, triggered by events Leadbell forwards`,
      entrypoint: `flows/${pythonName(flow)}.py:${pythonName(flow)}`,
      tags: ['leadbell'],
      triggers: triggers.filter((t) => t.flow === flow).map(toPrefectTrigger),
    })),
  };
  // The export is checked against Prefect's model before anyone pastes it.
  const checked = exportedPrefectYaml.parse(doc);
  return stringify(checked, { lineWidth: 0 });
}

export interface ImportResult {
  drafts: TriggerDraft[];
  problems: FieldProblem[];
}

const zodProblems = (error: z.ZodError, base: string): FieldProblem[] =>
  error.issues.map((i) => ({ path: [base, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));

/**
 * Reads a prefect.yaml (`deployments:`), a list of triggers or one trigger. A deployment's flow is
 * `flows[deployment name]`, else the Leadbell flow of that name; a bare trigger needs `flow`.
 */
export function importPrefectYaml(text: string, opts: { flows: Record<string, string>; knownFlows: readonly string[]; flow?: string }): ImportResult {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    return { drafts: [], problems: [{ path: 'yaml', message: `not valid YAML${where}: ${(e as Error).message.split('\n')[0]}` }] };
  }
  const groups: { path: string; deployment: string | null; triggers: unknown[] }[] = [];
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'deployments' in doc) {
    const deployments = z.array(importedDeployment).safeParse((doc as { deployments: unknown }).deployments);
    if (!deployments.success) return { drafts: [], problems: zodProblems(deployments.error, 'deployments') };
    deployments.data.forEach((d, i) => groups.push({ path: `deployments.${i}.triggers`, deployment: d.name, triggers: d.triggers }));
  } else if (Array.isArray(doc)) {
    groups.push({ path: 'triggers', deployment: null, triggers: doc });
  } else if (doc !== null && typeof doc === 'object') {
    groups.push({ path: 'trigger', deployment: null, triggers: [doc] });
  } else {
    return { drafts: [], problems: [{ path: 'yaml', message: 'expected a prefect.yaml with "deployments:", a list of triggers or one trigger' }] };
  }

  const drafts: TriggerDraft[] = [];
  const problems: FieldProblem[] = [];
  for (const g of groups) {
    const flow = g.deployment ? (opts.flows[g.deployment] ?? (opts.knownFlows.includes(g.deployment) ? g.deployment : undefined)) : opts.flow;
    if (!flow) {
      const which = g.deployment ? `deployment "${g.deployment}"` : 'these triggers';
      problems.push({ path: g.path, message: `which Leadbell flow runs ${which}? (known: ${opts.knownFlows.join(', ')})` });
      continue;
    }
    g.triggers.forEach((raw, i) => {
      const path = g.triggers.length === 1 && g.path === 'trigger' ? g.path : `${g.path}.${i}`;
      const parsed = importedTrigger.safeParse(raw);
      if (!parsed.success) return problems.push(...zodProblems(parsed.error, path));
      const c = fromPrefectTrigger(parsed.data, flow, g.deployment ?? flow);
      if (!c.ok) return problems.push(...c.problems.map((p) => ({ path: `${path}.${p.path}`, message: p.message })));
      drafts.push(c.draft);
    });
  }
  return { drafts, problems };
}
