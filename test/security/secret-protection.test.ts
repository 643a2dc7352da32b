/**
 * The status reported `secure: true` for secrets whose key file sits in the data folder beside
 * them (headless mode, and the desktop app without a keychain). Encrypting with a key kept next
 * to the ciphertext protects nothing from whoever can read that folder; what protects them is the
 * folder's permissions. The status now says, for every way of storing, what protects the secrets,
 * in the owner's words, and counts only a keychain as strong protection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFileCipher } from '../../electron/core/secrets/cipher.js';
import { safeStorageCipher } from '../../electron/shell/safe-storage-cipher.js';
import type { SafeStoragePort } from '../../electron/shell/ports.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';

const port = (backend: string | null): SafeStoragePort => ({
  isEncryptionAvailable: () => backend !== null,
  encryptString: (s) => Buffer.from(s),
  decryptString: (b) => b.toString(),
  getSelectedStorageBackend: () => backend ?? 'unknown',
});

/** Words an owner would not know. */
const JARGON = /\b(key-file|basic_text|libsecret|dpapi|AES|ciphertext|0600|chmod)\b/i;

describe('what protects the secrets, as the status says it', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => t?.stop());

  it('headless mode: the key file beside them is not counted as protection; the folder is named as what protects them', async () => {
    const s = (await t.api('GET', '/api/status')).body.secret_backend;
    expect(s.secure).toBe(false);
    expect(s.protection).toMatch(/only your user account on this computer can open the data folder/i);
    expect(s.protection).toMatch(/a copy of the folder \(a backup/i);
    expect(s.protection).not.toMatch(JARGON);
  });

  it('the desktop app without any keychain says the same', () => {
    const c = safeStorageCipher(port(null), 'linux', tempDir());
    expect(c.secure).toBe(false);
    expect(c.protection).toBe(keyFileCipher(tempDir()).protection);
  });

  it('a keychain is strong protection, and is named in plain words', () => {
    for (const [platform, backend, words] of [
      ['darwin', 'keychain', /macOS Keychain/],
      ['win32', 'dpapi', /Windows sign-in/],
      ['linux', 'gnome_libsecret', /desktop's keyring/],
      ['linux', 'kwallet5', /desktop's keyring/],
    ] as const) {
      const c = safeStorageCipher(port(backend), platform, tempDir());
      expect(c.secure, backend).toBe(true);
      expect(c.protection, backend).toMatch(words);
      expect(c.protection, backend).not.toMatch(JARGON);
    }
    const weak = safeStorageCipher(port('basic_text'), 'linux', tempDir());
    expect(weak.secure).toBe(false);
    expect(weak.protection).not.toMatch(JARGON);
  });
});
