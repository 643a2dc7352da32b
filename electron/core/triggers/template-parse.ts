/**
 * The syntax of Leadbell's templates: `{{ path | filter(arg) }}` expressions in text. Parsing only;
 * what a filter does and how values print belong to the dialect (template.ts, jinja-subset.ts).
 */

export class TemplateError extends Error {}

export type Literal = string | number | boolean | null;
export type Segment = string | number;

export interface Expr {
  source: string;
  head: { kind: 'path'; root: string; segments: Segment[] } | { kind: 'literal'; value: Literal };
  filters: { name: string; args: Literal[] }[];
  /** Number literals as written (a dialect may care about "5.0" versus "5"). */
  numbers: string[];
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export type RawPart = { kind: 'text'; text: string } | { kind: 'expr'; text: string };

/** What a dialect tells the parser about its filters. */
export type FilterTable = Readonly<Record<string, { arity: number }>>;

/** Cuts a template into text and `{{ … }}` expression sources. */
export function splitParts(source: string): RawPart[] {
  const out: RawPart[] = [];
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
  return out;
}

// --- expression parsing -------------------------------------------------------------------------

type Token =
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number; raw: string }
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
      tokens.push({ t: 'number', v: Number(m[0]), raw: m[0] });
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

export function parseExpr(text: string, roots: readonly string[], filters: FilterTable): Expr {
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

  const chain: Expr['filters'] = [];
  while (punct('|')) {
    const t = tokens[pos++];
    if (t?.t !== 'ident') fail('a filter name must follow "|"');
    const name = (t as { v: string }).v;
    if (!Object.hasOwn(filters, name)) fail(`unknown filter "${name}" (known: ${Object.keys(filters).join(', ')})`);
    const args: Literal[] = [];
    if (punct('(')) {
      if (!punct(')')) {
        do args.push(literal());
        while (punct(','));
        if (!punct(')')) fail(`the arguments of "${name}" are never closed with ")"`);
      }
    }
    const filter = filters[name]!;
    if (args.length !== filter.arity) fail(`filter "${name}" takes ${filter.arity} argument${filter.arity === 1 ? '' : 's'}, not ${args.length}`);
    chain.push({ name, args });
  }
  if (pos < tokens.length) fail(`unexpected "${String((tokens[pos] as { v: unknown }).v)}"`);
  return { source, head, filters: chain, numbers: tokens.filter((t) => t.t === 'number').map((t) => (t as { raw: string }).raw) };
}

/** Own properties of plain data only. */
export function ownLookup(value: unknown, segment: Segment): unknown {
  if (Array.isArray(value)) return typeof segment === 'number' ? value[segment] : undefined;
  if (value !== null && typeof value === 'object' && typeof segment === 'string' && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

