/**
 * How Python writes JSON values as text, for templates that must render exactly as Prefect's
 * Jinja does: `str()` of a value (None, True, floats, dict and list reprs), `json.dumps` with
 * sorted keys and ASCII escapes (Jinja's HTML-safe `tojson`), and `str.strip()`'s whitespace.
 * Values are what Prefect receives from Leadbell: JSON.stringify output parsed by Python, so a
 * JavaScript integer is a Python int unless JSON.stringify writes it with an exponent (a float).
 */

/** Characters Python's `str.isspace()` accepts (its `strip()` removes these). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING = new RegExp(`[${PY_SPACE}]+$`);

export function pyStrip(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}

/** `repr(float)`: the shortest round-trip digits (as JavaScript has them), exponent below 1e-4 or from 1e16. */
function pyFloat(n: number): string {
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const plain = String(n); // JavaScript writes this range without an exponent too
  return plain.includes('.') ? plain : `${plain}.0`;
}

function pyNumber(n: number): string {
  const json = JSON.stringify(n);
  return /^-?\d+$/.test(json) ? json : pyFloat(n);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(str)`: single quotes unless the text has one and no double quote; non-printables escaped. */
function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return quote + out + quote;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function pyReprValue(v: unknown): string {
  if (typeof v === 'string') return pyRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyReprValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyReprValue(x)}`).join(', ')}}`;
  }
  return pyStr(v);
}

/** `str(value)` as Jinja prints it; a missing value (undefined) prints as nothing. */
export function pyStr(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return v;
  return pyReprValue(v);
}

const byCodePoint = (a: string, b: string): number => {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    out += JSON_ESCAPES[ch] ?? (code < 0x20 || code > 0x7e ? `\\u${hex(code, 4)}` : ch);
  }
  return `${out}"`;
}

function pyJson(v: unknown): string {
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return pyNumber(v);
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byCodePoint(a, b));
  return `{${entries.map(([k, x]) => `${jsonString(k)}: ${pyJson(x)}`).join(', ')}}`;
}

/** Jinja's `tojson`: json.dumps(sort_keys=True), ASCII-only, then `<`, `>`, `&`, `'` as \u escapes. */
export function pyToJson(v: unknown): string {
  return pyJson(v).replace(/[<>&']/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}
