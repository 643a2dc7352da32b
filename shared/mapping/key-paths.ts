/**
 * A body's fields as key paths: what the owner clicks when showing Leadbell where the email is,
 * what a mapping points at, and what a shape fingerprint is made of.
 */
export type KeyPath = (string | number)[];

export interface Leaf {
  path: KeyPath;
  value: string | number | boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Bodies are at most 20 levels deep (the receiver refuses deeper ones); this bounds the walk anyway. */
const MAX_DEPTH = 24;
/** A body with thousands of fields is not a form; the owner is shown the first ones. */
export const MAX_LEAVES = 500;

/** Every non-empty scalar in the body, in the body's own order (with `empty`, blanks and nulls too). */
export function leaves(body: unknown, { empty = false } = {}): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: KeyPath) => {
    if (out.length >= MAX_LEAVES || path.length > MAX_DEPTH) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isObject(v)) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    else if (typeof v === 'string' ? v.trim() !== '' : typeof v === 'number' || typeof v === 'boolean') {
      out.push({ path, value: v as Leaf['value'] });
    } else if (empty) out.push({ path, value: '' });
  };
  walk(body, []);
  return out;
}

export function valueAt(body: unknown, path: KeyPath): unknown {
  let v: unknown = body;
  for (const seg of path) {
    if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** How a path reads to the owner: `payload › data › Email Address`, list items counted from 1. */
export function pathLabel(path: KeyPath): string {
  return path.map((seg) => (typeof seg === 'number' ? `item ${seg + 1}` : seg)).join(' › ') || '(the whole body)';
}

/** The last named step of a path: the key a form tool gave the field. */
export function fieldKey(path: KeyPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}
