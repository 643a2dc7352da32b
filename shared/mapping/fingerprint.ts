/**
 * A body's shape: the set of its key paths, list positions folded together, so every request one
 * form sends has the same shape whatever was typed into it (a field left blank included). A saved mapping belongs to a shape,
 * and held requests are grouped by it ("3 requests from a new sender").
 */
import { leaves } from './key-paths.js';

/** cyrb53: a 53-bit string hash, stable across processes and runtimes (the UI and the core agree); not a secret. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

export function shapeKeys(body: unknown): string[] {
  const keys = new Set(leaves(body, { empty: true }).map((l) => l.path.map((seg) => (typeof seg === 'number' ? '[]' : seg)).join('\u0000')));
  return [...keys].sort();
}

export function shapeOf(body: unknown): string {
  return hash53(shapeKeys(body).join('\u0001'));
}
