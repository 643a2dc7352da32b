/**
 * A small, safe template language for trigger parameters and message settings, in the spirit of
 * Jinja as Prefect uses it: `{{ event.payload.email | lower | default('none') }}`.
 *
 * - Parsed once when a trigger is saved (unknown filters, bad syntax and unsafe names are refused
 *   there, with a message), rendered many times. Never evaluated as code.
 * - A template that is exactly one expression keeps the value's type (object, number, list...).
 * - A missing value is null, never the text "undefined"; inside text it renders as nothing.
 * - Only own properties of plain data are reachable: no prototype walks.
 *
 * Two dialects share the syntax. `leadbell` (message settings) prints values as JSON and lets
 * `default` replace null and "" too. `prefect` (trigger parameters) is a strict subset of Jinja
 * as a Prefect server renders it: see jinja-subset.ts.
 */
import { jinjaSubset } from './jinja-subset.js';
import { ownLookup, parseExpr, splitParts, TemplateError, type Expr, type Literal, type RawPart, type Segment } from './template-parse.js';

export { TemplateError };

type Part = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

export interface Template {
  readonly source: string;
  /**
   * With `escape`, every value is rendered as text and passed through it (e.g. a vendor's markup
   * escaping), while the template's own text stays as the owner wrote it.
   */
  render(context: Record<string, unknown>, escape?: (text: string) => string): unknown;
}

export type DialectName = 'leadbell' | 'prefect';

export interface Filter {
  arity: number;
  fn: (v: unknown, ...args: Literal[]) => unknown;
}

/** What differs between dialects: filters, literal words, lookups, printing, and extra checks. */
export interface Dialect {
  filters: Readonly<Record<string, Filter>>;
  /** True when a string is a template at all (others are kept as they are). */
  isTemplate(source: string): boolean;
  /** Refuses (throws TemplateError) what this dialect cannot render faithfully. */
  check?(source: string, parts: readonly Part[], single: boolean): void;
  /** Whether the template is one expression that keeps its value's type. */
  isSingle(source: string, raw: readonly RawPart[]): boolean;
  lookup(value: unknown, segment: Segment): unknown;
  text(value: unknown): string;
  /** The template's text parts as they print (the last flag marks the template's end). */
  literalText(text: string, last: boolean): string;
}

function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const LEADBELL: Dialect = {
  filters: {
    /** The fallback when the value is missing, null or an empty string. */
    default: { arity: 1, fn: (v, fallback) => (v === undefined || v === null || v === '' ? fallback : v) },
    lower: { arity: 0, fn: (v) => (typeof v === 'string' ? v.toLowerCase() : v) },
    upper: { arity: 0, fn: (v) => (typeof v === 'string' ? v.toUpperCase() : v) },
    trim: { arity: 0, fn: (v) => (typeof v === 'string' ? v.trim() : v) },
    tojson: { arity: 0, fn: (v) => JSON.stringify(v ?? null) },
    string: { arity: 0, fn: (v) => (v === null || v === undefined ? null : toText(v)) },
    number: {
      arity: 0,
      fn: (v) => {
        if (typeof v === 'number') return v;
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        return Number.isFinite(n) ? n : null;
      },
    },
  },
  isTemplate: (source) => source.includes('{{'),
  // A template that is exactly one expression (whitespace around allowed) keeps its value's type.
  isSingle: (_source, raw) => {
    const meaningful = raw.filter((p) => p.kind === 'expr' || p.text.trim() !== '');
    return meaningful.length === 1 && meaningful[0]!.kind === 'expr';
  },
  lookup: ownLookup,
  text: toText,
  literalText: (text) => text,
};

const DIALECTS: Record<DialectName, Dialect> = { leadbell: LEADBELL, prefect: jinjaSubset };

/** Parses a template; throws TemplateError naming what is wrong. `roots` are the allowed variable names. */
export function compileTemplate(source: string, roots: readonly string[], dialectName: DialectName = 'leadbell'): Template {
  const dialect = DIALECTS[dialectName];
  if (!dialect.isTemplate(source)) return { source, render: () => source };
  const raw = splitParts(source);
  const parts = raw.map((p): Part => (p.kind === 'text' ? p : { kind: 'expr', expr: parseExpr(p.text, roots, dialect.filters) }));
  const singleExpr = dialect.isSingle(source, raw) ? parts.find((p) => p.kind === 'expr')?.expr : undefined;
  dialect.check?.(source, parts, singleExpr !== undefined);
  return {
    source,
    render(context, escape) {
      if (singleExpr && !escape) return evaluate(singleExpr, context, dialect) ?? null;
      const value = (e: Expr) => {
        const text = dialect.text(evaluate(e, context, dialect));
        return escape ? escape(text) : text;
      };
      return parts.map((p, i) => (p.kind === 'text' ? dialect.literalText(p.text, i === parts.length - 1) : value(p.expr))).join('');
    },
  };
}

function evaluate(expr: Expr, context: Record<string, unknown>, dialect: Dialect): unknown {
  let value: unknown =
    expr.head.kind === 'literal'
      ? expr.head.value
      : expr.head.segments.reduce<unknown>((v, s) => dialect.lookup(v, s), Object.hasOwn(context, expr.head.root) ? context[expr.head.root] : undefined);
  for (const f of expr.filters) value = dialect.filters[f.name]!.fn(value, ...f.args);
  return value;
}

// --- templates inside JSON parameters -----------------------------------------------------------

export interface CompiledParameters {
  render(context: Record<string, unknown>): Record<string, unknown>;
}

type Problem = { path: string; message: string };

/**
 * Compiles every string inside a parameters object (nested objects and lists included).
 * Errors carry the path of the offending value, e.g. "parameters.email".
 */
export function compileParameters(
  parameters: Record<string, unknown>,
  roots: readonly string[],
  basePath = 'parameters',
  dialectName: DialectName = 'leadbell',
): { ok: true; value: CompiledParameters } | { ok: false; errors: Problem[] } {
  const dialect = DIALECTS[dialectName];
  const errors: Problem[] = [];
  const build = (value: unknown, path: string, inList: number): ((ctx: Record<string, unknown>) => unknown) => {
    if (typeof value === 'string') {
      if (!dialect.isTemplate(value)) return () => value;
      try {
        if (dialectName === 'prefect' && inList > 1) {
          throw new TemplateError('Prefect leaves templates inside a list inside a list unrendered: use an object instead');
        }
        const t = compileTemplate(value, roots, dialectName);
        return (ctx) => t.render(ctx);
      } catch (e) {
        errors.push({ path, message: (e as Error).message });
        return () => null;
      }
    }
    if (Array.isArray(value)) {
      const items = value.map((v, i) => build(v, `${path}.${i}`, inList + 1));
      return (ctx) => items.map((f) => f(ctx));
    }
    if (value !== null && typeof value === 'object') {
      if (dialectName === 'prefect' && Object.hasOwn(value, '__prefect_kind')) {
        errors.push({ path, message: 'an object with "__prefect_kind" is a Prefect placeholder, not data: Leadbell cannot render it' });
      }
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, build(v, `${path}.${k}`, 0)] as const);
      return (ctx) => Object.fromEntries(entries.map(([k, f]) => [k, f(ctx)]));
    }
    return () => value;
  };
  const root = build(parameters, basePath, 0);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { render: (ctx) => root(ctx) as Record<string, unknown> } };
}
