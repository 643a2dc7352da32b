/**
 * A small, safe template language for trigger parameters and message settings, in the spirit of
 * Jinja as Prefect uses it: `{{ event.payload.email | lower | default('none') }}`.
 *
 * - Parsed once when a trigger is saved (unknown filters, bad syntax and unsafe names are refused
 *   there, with a message), rendered many times. Never evaluated as code.
 * - A template that is exactly one expression keeps the value's type (object, number, list...).
 * - A missing value is null, never the text "undefined"; inside text it renders as nothing.
 * - Only own properties of plain data are reachable: no prototype walks.
 */

export class TemplateError extends Error {}

type Literal = string | number | boolean | null;
type Segment = string | number;

interface Expr {
  source: string;
  head: { kind: 'path'; root: string; segments: Segment[] } | { kind: 'literal'; value: Literal };
  filters: { name: FilterName; args: Literal[] }[];
}

type Part = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

export interface Template {
  readonly source: string;
  /**
   * With `escape`, every value is rendered as text and passed through it (e.g. a vendor's markup
   * escaping), while the template's own text stays as the owner wrote it.
   */
  render(context: Record<string, unknown>, escape?: (text: string) => string): unknown;
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

const FILTERS = {
  /** The fallback when the value is missing, null or an empty string. */
  default: { arity: 1, fn: (v: unknown, fallback: Literal) => (v === undefined || v === null || v === '' ? fallback : v) },
  lower: { arity: 0, fn: (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v) },
  upper: { arity: 0, fn: (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v) },
  trim: { arity: 0, fn: (v: unknown) => (typeof v === 'string' ? v.trim() : v) },
  tojson: { arity: 0, fn: (v: unknown) => JSON.stringify(v ?? null) },
  string: { arity: 0, fn: (v: unknown) => (v === null || v === undefined ? null : toText(v)) },
  number: {
    arity: 0,
    fn: (v: unknown) => {
      if (typeof v === 'number') return v;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : null;
    },
  },
} satisfies Record<string, { arity: number; fn: (v: unknown, ...args: Literal[]) => unknown }>;

type FilterName = keyof typeof FILTERS;
const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

function isFilterName(name: string): name is FilterName {
  return Object.hasOwn(FILTERS, name);
}

/** Parses a template; throws TemplateError naming what is wrong. `roots` are the allowed variable names. */
export function compileTemplate(source: string, roots: readonly string[]): Template {
  const parts = splitParts(source).map((p): Part => (p.kind === 'text' ? p : { kind: 'expr', expr: parseExpr(p.text, roots) }));
  const only = parts.length === 1 ? parts[0] : undefined;
  const single = only?.kind === 'expr' ? only.expr : null;
  return {
    source,
    render(context, escape) {
      if (single && !escape) return evaluate(single, context) ?? null;
      const value = (e: Expr) => (escape ? escape(toText(evaluate(e, context))) : toText(evaluate(e, context)));
      return parts.map((p) => (p.kind === 'text' ? p.text : value(p.expr))).join('');
    },
  };
}

/** True when the text contains template syntax at all (plain strings are kept as they are). */
function hasTemplate(source: string): boolean {
  return source.includes('{{');
}

function splitParts(source: string): ({ kind: 'text'; text: string } | { kind: 'expr'; text: string })[] {
  const out: ({ kind: 'text'; text: string } | { kind: 'expr'; text: string })[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open === -1) {
      out.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) out.push({ kind: 'text', text: source.slice(i, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError(`"{{" at position ${open} is never closed with "}}"`);
    out.push({ kind: 'expr', text: source.slice(open + 2, close) });
    i = close + 2;
  }
  // A template that is exactly one expression (whitespace around allowed) keeps its value's type.
  const meaningful = out.filter((p) => p.kind === 'expr' || p.text.trim() !== '');
  return meaningful.length === 1 && meaningful[0]!.kind === 'expr' ? meaningful : out;
}

// --- expression parsing -------------------------------------------------------------------------

type Token =
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'punct'; v: '.' | '|' | '(' | ')' | '[' | ']' | ',' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      tokens.push({ t: 'ident', v: m });
      i += m.length;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!m) throw new TemplateError(`unexpected "${c}" in "${text.trim()}"`);
      tokens.push({ t: 'number', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new TemplateError(`unterminated string in "${text.trim()}"`);
      tokens.push({ t: 'string', v: value });
      i = j + 1;
    } else if ('.|()[],'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '.' });
      i++;
    } else {
      throw new TemplateError(`unexpected "${c}" in "${text.trim()}"`);
    }
  }
  return tokens;
}

function parseExpr(text: string, roots: readonly string[]): Expr {
  const source = text.trim();
  if (!source) throw new TemplateError('empty expression "{{ }}"');
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    throw new TemplateError(`${what} in "{{ ${source} }}"`);
  };
  const punct = (v: string) => {
    const t = peek();
    if (t?.t === 'punct' && t.v === v) {
      pos++;
      return true;
    }
    return false;
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (!t) return fail('a value is missing');
    if (t.t === 'string' || t.t === 'number') return t.v;
    if (t.t === 'ident') {
      if (t.v === 'true' || t.v === 'True') return true;
      if (t.v === 'false' || t.v === 'False') return false;
      if (t.v === 'null' || t.v === 'none' || t.v === 'None') return null;
    }
    return fail(`expected a string, number, true, false or null but found "${'v' in t ? t.v : ''}"`);
  };
  const safeName = (name: string): string => {
    if (FORBIDDEN.has(name)) fail(`"${name}" is not allowed`);
    return name;
  };

  let head: Expr['head'];
  const first = peek();
  if (first?.t === 'ident' && !['true', 'false', 'null', 'none', 'True', 'False', 'None'].includes(first.v)) {
    pos++;
    if (!roots.includes(first.v)) fail(`unknown variable "${first.v}" (use ${roots.map((r) => `"${r}"`).join(' or ')})`);
    const segments: Segment[] = [];
    for (;;) {
      if (punct('.')) {
        const t = tokens[pos++];
        if (t?.t !== 'ident') fail('a name must follow "."');
        segments.push(safeName((t as { v: string }).v));
      } else if (punct('[')) {
        const key = literal();
        if (typeof key !== 'string' && !(typeof key === 'number' && Number.isInteger(key) && key >= 0)) {
          fail('an index must be a quoted name or a whole number');
        }
        segments.push(typeof key === 'string' ? safeName(key) : (key as number));
        if (!punct(']')) fail('"[" is never closed with "]"');
      } else {
        break;
      }
    }
    head = { kind: 'path', root: first.v, segments };
  } else {
    head = { kind: 'literal', value: literal() };
  }

  const filters: Expr['filters'] = [];
  while (punct('|')) {
    const t = tokens[pos++];
    if (t?.t !== 'ident') fail('a filter name must follow "|"');
    const name = (t as { v: string }).v;
    if (!isFilterName(name)) fail(`unknown filter "${name}" (known: ${FILTER_NAMES.join(', ')})`);
    const args: Literal[] = [];
    if (punct('(')) {
      if (!punct(')')) {
        do args.push(literal());
        while (punct(','));
        if (!punct(')')) fail(`the arguments of "${name}" are never closed with ")"`);
      }
    }
    const filter = FILTERS[name as FilterName];
    if (args.length !== filter.arity) fail(`filter "${name}" takes ${filter.arity} argument${filter.arity === 1 ? '' : 's'}, not ${args.length}`);
    filters.push({ name: name as FilterName, args });
  }
  if (pos < tokens.length) fail(`unexpected "${String((tokens[pos] as { v: unknown }).v)}"`);
  return { source, head, filters };
}

// --- evaluation ---------------------------------------------------------------------------------

function lookup(value: unknown, segment: Segment): unknown {
  if (Array.isArray(value)) return typeof segment === 'number' ? value[segment] : undefined;
  if (value !== null && typeof value === 'object' && typeof segment === 'string' && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

function evaluate(expr: Expr, context: Record<string, unknown>): unknown {
  let value: unknown =
    expr.head.kind === 'literal'
      ? expr.head.value
      : expr.head.segments.reduce<unknown>(lookup, Object.hasOwn(context, expr.head.root) ? context[expr.head.root] : undefined);
  for (const f of expr.filters) {
    const fn = FILTERS[f.name].fn as (v: unknown, ...args: Literal[]) => unknown;
    value = fn(value, ...f.args);
  }
  return value;
}

function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

// --- templates inside JSON parameters -----------------------------------------------------------

export interface CompiledParameters {
  render(context: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Compiles every string inside a parameters object (nested objects and lists included).
 * Errors carry the path of the offending value, e.g. "parameters.email".
 */
export function compileParameters(
  parameters: Record<string, unknown>,
  roots: readonly string[],
  basePath = 'parameters',
): { ok: true; value: CompiledParameters } | { ok: false; errors: { path: string; message: string }[] } {
  const errors: { path: string; message: string }[] = [];
  const build = (value: unknown, path: string): ((ctx: Record<string, unknown>) => unknown) => {
    if (typeof value === 'string') {
      if (!hasTemplate(value)) return () => value;
      try {
        const t = compileTemplate(value, roots);
        return (ctx) => t.render(ctx);
      } catch (e) {
        errors.push({ path, message: (e as Error).message });
        return () => null;
      }
    }
    if (Array.isArray(value)) {
      const items = value.map((v, i) => build(v, `${path}.${i}`));
      return (ctx) => items.map((f) => f(ctx));
    }
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, build(v, `${path}.${k}`)] as const);
      return (ctx) => Object.fromEntries(entries.map(([k, f]) => [k, f(ctx)]));
    }
    return () => value;
  };
  const root = build(parameters, basePath);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { render: (ctx) => root(ctx) as Record<string, unknown> } };
}
