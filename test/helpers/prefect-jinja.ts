/**
 * Renders trigger parameter templates with real Jinja2, set up as a Prefect server sets it up
 * (test/fakes/prefect_jinja.py): the reference the template tests compare Leadbell against.
 * Needs python3 with jinja2 and pydantic (scripts/ensure-jinja.mjs installs them on Debian).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PrefectEvent } from '../../electron/core/prefect/event-mapping.js';

const SCRIPT = fileURLToPath(new URL('../fakes/prefect_jinja.py', import.meta.url));
/** The first python3 that has jinja2 and pydantic: the one on PATH (pyenv, a venv) or Debian's, where apt puts them. */
const PYTHON = ['python3', '/usr/bin/python3'].find(
  (py) => spawnSync(py, ['-c', 'import jinja2; from pydantic import RootModel'], { stdio: 'ignore' }).status === 0,
) ?? 'python3';

export type JinjaResult = { ok: unknown } | { error: string };

export function renderWithPrefectJinja(requests: { template: string; event: PrefectEvent }[]): JinjaResult[] {
  const input = requests.map((r) => JSON.stringify({ template: r.template, event: { ...r.event, received: r.event.occurred } })).join('\n') + '\n';
  const run = spawnSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 with jinja2 and pydantic is needed for this test: ${run.error?.message ?? run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== requests.length) throw new Error(`the Jinja reference answered ${lines.length} of ${requests.length}: ${run.stderr}`);
  return lines.map((l) => JSON.parse(l) as JinjaResult);
}
