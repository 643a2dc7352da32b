/**
 * Prefect-style matching: `match` on resource labels (labels ANDed; a list of values ORed; a
 * trailing `*` matches a prefix; a leading `!` negates) and `expect` on event names (`*` allowed,
 * empty means any event).
 */

export type LabelMatch = Record<string, string | string[]>;

function globMatches(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/** One label: a value must match one of the positive patterns (if any) and none of the negated. */
function labelMatches(patterns: string[], value: string | undefined): boolean {
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (value === undefined) return positive.length === 0;
  return (positive.length === 0 || positive.some((p) => globMatches(p, value))) && !negative.some((p) => globMatches(p, value));
}

export function matchesResource(match: LabelMatch, resource: Record<string, string>): boolean {
  return Object.entries(match).every(([label, v]) =>
    labelMatches(Array.isArray(v) ? v : [v], Object.hasOwn(resource, label) ? resource[label] : undefined),
  );
}

export function matchesEvent(expect: string[], event: string): boolean {
  return expect.length === 0 || expect.some((p) => globMatches(p, event));
}

/** Checks patterns when a trigger is saved: `*` only at the end, `!` only at the start. */
export function patternProblem(pattern: string): string | null {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body === '') return 'is empty';
  if (body.slice(0, -1).includes('*')) return `"${pattern}": "*" is only allowed at the end`;
  if (body.includes('!')) return `"${pattern}": "!" is only allowed at the start`;
  return null;
}
