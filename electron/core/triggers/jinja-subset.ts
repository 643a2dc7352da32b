/**
 * The `prefect` template dialect: the part of Jinja that Leadbell renders exactly as a Prefect 3
 * server renders a DeploymentEventTrigger's parameters (Jinja2's immutable sandbox, undefined
 * values chainable, `event` a ReceivedEvent model). Everything else is refused when the trigger
 * is saved, naming the construct.
 *
 * How Prefect renders (server/events/actions.py, RunDeployment): a parameter string that is one
 * `{{ expression }}` (after Python's strip) is rendered through `tojson` and parsed back, so it
 * keeps its type; any other string is rendered as text, values printed with Python's `str()`
 * (None, True, {'a': 1}). One difference is kept on purpose: a single expression whose value is
 * missing is null here, while Prefect fails the run; the export appends `| default(none)` so
 * Prefect gives null too (docs/prefect.md).
 */
import { pyStr, pyStrip, pyToJson } from './python-text.js';
import type { Dialect } from './template.js';
import { ownLookup, TemplateError, type Expr, type RawPart, type Segment } from './template-parse.js';

/** Public attribute names of Python's dict, list, str, int, float, bool and None: Jinja reads
 *  `x.items` as the method, not the key, so a path through any of these names is refused. */
const PYTHON_ATTRIBUTES = new Set(
  (
    'append as_integer_ratio bit_count bit_length capitalize casefold center clear conjugate copy count denominator ' +
    'encode endswith expandtabs extend find format format_map from_bytes fromhex fromkeys get hex imag index insert ' +
    'is_integer isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle ' +
    'isupper items join keys ljust lower lstrip maketrans numerator partition pop popitem real remove removeprefix ' +
    'removesuffix replace reverse rfind rindex rjust rpartition rsplit rstrip setdefault sort split splitlines ' +
    'startswith strip swapcase title to_bytes translate update upper values zfill'
  ).split(' '),
);

/** Attributes of Prefect's Resource model that shadow a label of the same name. */
const RESOURCE_ATTRIBUTES = new Set(
  'as_label_value_array construct copy dict from_orm get has_all_labels items json keys labels name parse_file parse_obj parse_raw prefect_object_id root schema schema_json update_forward_refs validate'.split(
    ' ',
  ),
);

const EVENT_FIELDS_ONLY_HERE: Record<string, string> = {
  occurred: 'Prefect prints event.occurred as a Python datetime ("2026-01-02 10:00:00.123000+00:00"); pass a payload field instead',
  received_at: 'event.received_at exists only in Leadbell',
  source: 'event.source exists only in Leadbell',
  received: 'event.received is set by Prefect when it receives the event; Leadbell has no such value',
  related: 'event.related (related resources) is not available to Leadbell templates',
  follows: 'event.follows is not available to Leadbell templates',
};

type Part = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

function refuse(what: string, expr?: Expr): never {
  throw new TemplateError(`not rendered the same by Prefect: ${what}${expr ? ` in "{{ ${expr.source} }}"` : ''}`);
}

/** What is known about an expression's value before any data is seen. */
interface Shape {
  maybeMissing: boolean;
  uuid: boolean;
}

function checkName(name: Segment, expr: Expr, where: Set<string>, hint: string): void {
  if (typeof name !== 'string') return;
  if (name.startsWith('__')) refuse(`"${name}" (Jinja's sandbox hides names starting with "__")`, expr);
  if (where.has(name)) refuse(`"${name}" is ${hint}`, expr);
}

function pathShape(expr: Expr): Shape {
  if (expr.head.kind === 'literal') return { maybeMissing: false, uuid: false };
  const { root, segments } = expr.head;
  const pyName = 'a Python method name in Jinja (it would print the method, not your value)';
  if (root !== 'event') {
    segments.forEach((s) => checkName(s, expr, PYTHON_ATTRIBUTES, pyName));
    return { maybeMissing: true, uuid: false };
  }
  const [field, ...rest] = segments;
  if (field === undefined) refuse('the whole event is a Prefect model, printed differently; name a field such as event.payload', expr);
  if (typeof field === 'string' && Object.hasOwn(EVENT_FIELDS_ONLY_HERE, field)) refuse(EVENT_FIELDS_ONLY_HERE[field]!, expr);
  if (field === 'event' || field === 'id') {
    if (rest.length) refuse(`event.${field} is text; Jinja would apply Python string indexing and methods to it`, expr);
    return { maybeMissing: false, uuid: field === 'id' };
  }
  if (field === 'resource') {
    if (rest.length === 0) refuse('event.resource is a Prefect model; name a label, e.g. event.resource.id', expr);
    if (rest.length > 1) refuse('a resource label is text; Jinja would apply Python string indexing and methods to it', expr);
    if (rest[0] === 'id') return { maybeMissing: false, uuid: false };
    checkName(rest[0]!, expr, RESOURCE_ATTRIBUTES, "a property of Prefect's Resource model, not a label (use another label name)");
    return { maybeMissing: true, uuid: false };
  }
  if (field === 'payload') {
    rest.forEach((s) => checkName(s, expr, PYTHON_ATTRIBUTES, pyName));
    return { maybeMissing: rest.length > 0, uuid: false };
  }
  return refuse(`event.${String(field)} does not exist in Prefect's events (use event.event, event.id, event.resource or event.payload)`, expr);
}

function checkExpr(expr: Expr, raw: string, single: boolean): void {
  if (/^[-+]|[-+]$/.test(raw)) refuse('whitespace control ("{{-", "-}}", "{{+", "+}}")', expr);
  if (raw.includes('\\')) refuse('a backslash (Jinja reads escapes in strings as Python does)', expr);
  if (/(^|[^.\w])null\b/.test(raw.replace(/'[^']*'|"[^"]*"/g, ''))) refuse('"null" is not a Jinja value (write none)', expr);
  for (const n of expr.numbers) {
    if (/^-?0\d/.test(n)) refuse(`the number ${n} (leading zero)`, expr);
    if (n.includes('.') && Number.isInteger(Number(n))) refuse(`the number ${n} (Python prints a float such as 5.0 with its ".0"; write ${Number(n)})`, expr);
  }
  const shape = pathShape(expr);
  for (const f of expr.filters) {
    if (f.name === 'default') shape.maybeMissing = false;
    else if (f.name === 'tojson') {
      if (shape.maybeMissing) refuse('tojson of a value that may be missing (Prefect fails on it): put | default(none) before | tojson', expr);
      if (shape.uuid) refuse('tojson of event.id (a UUID is not JSON in Prefect): use event.id | string', expr);
    } else {
      shape.maybeMissing = false;
      shape.uuid = false;
    }
  }
  if (single && shape.uuid) refuse('event.id on its own (a UUID is not JSON in Prefect, the run would fail): write {{ event.id | string }}', expr);
}

function check(source: string, parts: readonly Part[], single: boolean): void {
  if (source.includes('{%')) refuse('a Jinja statement ("{% … %}")');
  const rawExprs = splitRaw(source);
  if (source.split('{{').length - 1 !== rawExprs.length) refuse('"{{" inside a string');
  parts.forEach((p, i) => {
    if (p.kind !== 'text') return;
    if (p.text.includes('{#')) refuse('a Jinja comment ("{# … #}")');
    if (p.text.includes('}}') || (i > 0 && p.text.startsWith('}'))) refuse('a "}" outside an expression, next to "}}"');
    if (single && pyStrip(p.text) !== '') refuse('text around a single expression');
  });
  parts.filter((p) => p.kind === 'expr').forEach((p, i) => checkExpr(p.expr, rawExprs[i]!, single));
}

/** The raw text between each `{{` and `}}` (the parser trims it; whitespace control needs it whole). */
function splitRaw(source: string): string[] {
  return [...source.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
}

export const jinjaSubset: Dialect = {
  filters: {
    /** Jinja's default: only a missing value is replaced (null and "" are values). */
    default: { arity: 1, fn: (v, fallback) => (v === undefined ? fallback : v) },
    lower: { arity: 0, fn: (v) => pyStr(v).toLowerCase() },
    upper: { arity: 0, fn: (v) => pyStr(v).toUpperCase() },
    trim: { arity: 0, fn: (v) => pyStrip(pyStr(v)) },
    string: { arity: 0, fn: (v) => pyStr(v) },
    tojson: { arity: 0, fn: (v) => pyToJson(v) },
  },
  isTemplate: (source) => source.includes('{{') || source.includes('{%'),
  check,
  isSingle: (source: string, raw: readonly RawPart[]) => {
    const s = pyStrip(source);
    return s.startsWith('{{') && s.endsWith('}}') && raw.filter((p) => p.kind === 'expr').length === 1;
  },
  // Jinja indexes text by code point; everything else as plain data.
  lookup: (value, segment) => (typeof value === 'string' && typeof segment === 'number' ? Array.from(value)[segment] : ownLookup(value, segment)),
  text: pyStr,
  // Jinja reads "\r\n" and "\r" as "\n" and drops one newline at the very end of a template.
  literalText: (text, last) => {
    const t = text.replace(/\r\n?/g, '\n');
    return last && t.endsWith('\n') ? t.slice(0, -1) : t;
  },
};
