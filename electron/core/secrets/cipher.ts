/**
 * How secrets are encrypted at rest. Electron implements this with safeStorage (the OS keychain);
 * headless mode uses a key file readable only by its owner, since plain Node has no keychain.
 * A key kept in the same folder as what it encrypts does not protect it from whoever can read
 * that folder, so the key file is not counted as secure: the folder's permissions protect them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, tightenIfPresent } from '../storage/private-files.js';

export interface SecretCipher {
  /** Short name shown to the user, e.g. "keychain", "gnome_libsecret", "key-file". */
  readonly backend: string;
  /** True only where the system keeps the key away from the data folder (a keychain). */
  readonly secure: boolean;
  /** What protects the secrets, in the owner's words (shown in Settings). */
  readonly protection: string;
  /** A sentence for the UI when the backend is weak; null otherwise. */
  readonly warning: string | null;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export const KEY_FILE = 'secret.key';

export const KEY_FILE_PROTECTION =
  'Only your user account on this computer can open the data folder, and that is what protects them: the key that unlocks them is kept in the same folder, so anyone with a copy of the folder (a backup, a synced or shared drive) can read them.';

/** AES-256-GCM with a random key kept in the data folder with 0600 permissions. */
export function keyFileCipher(dataDir: string): SecretCipher {
  const keyPath = path.join(dataDir, KEY_FILE);
  let key: Buffer;
  try {
    key = fs.readFileSync(keyPath);
    tightenIfPresent(keyPath);
  } catch {
    ensurePrivateDir(dataDir);
    key = randomBytes(32);
    fs.writeFileSync(keyPath, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new Error(`${keyPath} is not a 32-byte key`);
  return {
    backend: 'key-file',
    secure: false,
    protection: KEY_FILE_PROTECTION,
    warning: 'Keep the data folder and its backups private, or give Leadbell your keys as environment variables instead of saving them here.',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(buf) {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
