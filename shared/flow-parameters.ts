/**
 * The parameters a flow cannot run without that a trigger leaves out or fills with nothing: every
 * run such a trigger starts here fails its parameter check. A template counts as filled (whether
 * it finds a value depends on the event). Shared so the editor warns by the rule the core enforces.
 */
export function unmappedParameters(parameters: unknown, required: readonly string[]): string[] {
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return [];
  const p = parameters as Record<string, unknown>;
  return required.filter((n) => !Object.hasOwn(p, n) || p[n] === undefined || p[n] === null || p[n] === '');
}

/**
 * Only a trigger that is switched on and runs flows here is held to it: one switched off can
 * always be saved (so a broken one can be turned off), and one that only sends the event to
 * Prefect runs the deployment's own parameters there.
 */
export function runsFlowsHere(t: { enabled: boolean; run_on: string }): boolean {
  return t.enabled && t.run_on !== 'prefect';
}
