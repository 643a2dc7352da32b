/**
 * Parses a stored raw body into an object: JSON (also sent as text/plain by sendBeacon) or
 * URL-encoded forms, with one level of `a[b]=c` nesting. Prototype-polluting keys are dropped.
 */
export type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 415; reason: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_DEPTH = 20;

export type BodyKind = 'json' | 'form' | null;

export function bodyKind(contentType: string | undefined): BodyKind {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/plain') return 'json';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value)) {
    max = Math.max(max, depthOf(v, depth + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
}

export function parseBody(kind: Exclude<BodyKind, null>, raw: Buffer): ParsedBody {
  if (kind === 'form') return { ok: true, value: parseForm(raw.toString('utf8')) };
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) return { ok: false, status: 400, reason: 'the body is empty: send a JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(text, (k, v) => (FORBIDDEN_KEYS.has(k) ? undefined : v));
  } catch (e) {
    return { ok: false, status: 400, reason: `the body is not valid JSON (${(e as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, status: 400, reason: 'the body must be a JSON object, not an array or a single value' };
  }
  if (depthOf(value) > MAX_DEPTH) return { ok: false, status: 400, reason: `the body is nested deeper than ${MAX_DEPTH} levels` };
  return { ok: true, value: value as Record<string, unknown> };
}

export function parseForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)\[([^[\]]*)\]$/.exec(key);
    const outer = m ? m[1]! : key;
    if (FORBIDDEN_KEYS.has(outer) || (m && FORBIDDEN_KEYS.has(m[2]!))) continue;
    if (m) {
      const existing = out[outer];
      const nested = (existing && typeof existing === 'object' ? existing : Object.create(null)) as Record<string, unknown>;
      nested[m[2]!] = value;
      out[outer] = nested;
    } else {
      out[key] = value;
    }
  }
  // Plain objects again: the null prototype only guarded the build.
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, v && typeof v === 'object' ? { ...(v as object) } : v]),
  );
}
