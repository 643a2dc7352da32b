/** The installation's own subdomain: generated once, so the public URL never changes on its own. */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 10;

/** e.g. "leadbell-k3j9x2m4qa": readable, and random enough not to collide with other installations. */
export function newSubdomain(): string {
  let suffix = '';
  while (suffix.length < SUFFIX_LENGTH) {
    for (const b of randomBytes(SUFFIX_LENGTH)) {
      // 252 is the largest multiple of 36 below 256: skipping larger bytes keeps every character equally likely.
      if (b < 252 && suffix.length < SUFFIX_LENGTH) suffix += ALPHABET[b % 36];
    }
  }
  return `leadbell-${suffix}`;
}
