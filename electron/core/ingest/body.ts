/**
 * Parses a stored raw body into an object, as senders send them: JSON (also sent as text/plain
 * by sendBeacon), URL-encoded forms and multipart/form-data (Jotform, WordPress plugins). Form
 * keys nest at any depth the way PHP writes them (`fields[email][value]`, `tags[]`), so a
 * WordPress plugin's body reads as the object it was built from. File parts are not kept: the
 * field says which file was sent. Prototype-polluting keys are dropped and nesting is bounded.
 */
import { Busboy } from '@fastify/busboy';

export type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 415; reason: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_DEPTH = 20;
/** Parts in one multipart body: a form has tens of fields, not thousands. */
export const MAX_PARTS = 1000;

export type BodyKind = 'json' | 'form' | 'multipart' | null;

export function bodyKind(contentType: string | undefined): BodyKind {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/plain') return 'json';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime === 'multipart/form-data') return 'multipart';
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

const tooDeep: ParsedBody = { ok: false, status: 400, reason: `the body is nested deeper than ${MAX_DEPTH} levels` };

export async function parseBody(kind: Exclude<BodyKind, null>, raw: Buffer, contentType = ''): Promise<ParsedBody> {
  if (kind === 'form') return formResult(parseForm(raw.toString('utf8')));
  if (kind === 'multipart') return parseMultipart(raw, contentType);
  return parseJson(raw);
}

function parseJson(raw: Buffer): ParsedBody {
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
  if (depthOf(value) > MAX_DEPTH) return tooDeep;
  return { ok: true, value: value as Record<string, unknown> };
}

function formResult(value: Record<string, unknown> | null): ParsedBody {
  return value ? { ok: true, value } : tooDeep;
}

/** `a[b][]` -> ['a', 'b', '']; null when the key is not of that form (it is then taken whole). */
function keyPath(key: string): string[] | null {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
  if (!m) return null;
  return [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
}

type Node = Record<string, unknown>;
const node = (): Node => Object.create(null) as Node;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FileNote);

/** A file part, kept only as what it was. */
class FileNote {
  constructor(readonly file_name: string, readonly content_type: string, readonly size_bytes: number) {}
}

/** Builds the nested object from form pairs; null when a key nests deeper than allowed. */
class FormTree {
  private readonly root = node();
  private readonly appended = new WeakMap<Node, number>();
  tooDeep = false;

  set(key: string, value: unknown): void {
    const path = keyPath(key) ?? [key];
    if (path.some((p) => FORBIDDEN_KEYS.has(p))) return;
    if (path.length > MAX_DEPTH) {
      this.tooDeep = true;
      return;
    }
    let at = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = this.segment(at, path[i]!);
      const next = at[seg];
      at = isNode(next) ? next : (at[seg] = node()) as Node;
    }
    at[this.segment(at, path[path.length - 1]!)] = value;
  }

  /** `[]` appends: the next free index of that object. */
  private segment(at: Node, seg: string): string {
    if (seg !== '') return seg;
    const n = this.appended.get(at) ?? 0;
    this.appended.set(at, n + 1);
    return String(n);
  }

  value(): Record<string, unknown> | null {
    return this.tooDeep ? null : (plain(this.root) as Record<string, unknown>);
  }
}

/** Plain objects again (the null prototype only guarded the build); keys 0..n-1 become an array. */
function plain(v: unknown): unknown {
  if (v instanceof FileNote) return { ...v };
  if (!isNode(v)) return v;
  const keys = Object.keys(v);
  if (keys.length && keys.every((k, i) => k === String(i))) return keys.map((k) => plain(v[k]));
  return Object.fromEntries(keys.map((k) => [k, plain(v[k])]));
}

export function parseForm(text: string): Record<string, unknown> | null {
  const tree = new FormTree();
  for (const [key, value] of new URLSearchParams(text)) tree.set(key, value);
  return tree.value();
}

function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  return new Promise((resolve) => {
    const tree = new FormTree();
    let problem: string | null = null;
    let bb: ReturnType<typeof Busboy>;
    try {
      bb = Busboy({ headers: { 'content-type': contentType }, limits: { parts: MAX_PARTS, fieldSize: raw.length } });
    } catch (e) {
      resolve({ ok: false, status: 400, reason: `the multipart body cannot be read (${(e as Error).message})` });
      return;
    }
    bb.on('field', (name, value) => tree.set(name, value));
    bb.on('file', (name, stream, fileName, _encoding, mime) => {
      let size = 0;
      stream.on('data', (c: Buffer) => (size += c.length));
      stream.on('end', () => tree.set(name, new FileNote(fileName, mime, size)));
    });
    bb.on('partsLimit', () => (problem = `the multipart body has more than ${MAX_PARTS} parts`));
    bb.on('error', (e) => resolve({ ok: false, status: 400, reason: `the multipart body cannot be read (${(e as Error).message})` }));
    bb.on('finish', () => {
      if (problem) return resolve({ ok: false, status: 400, reason: problem });
      resolve(formResult(tree.value()));
    });
    bb.end(raw);
  });
}
