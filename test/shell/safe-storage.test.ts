import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, safeStorageCipher } from '../../electron/shell/safe-storage-cipher.js';
import { tempDir } from '../helpers/core.js';
import { FakeSafeStorage } from './fake-ports.js';

describe('secrets through safeStorage', () => {
  it('encrypt with the keychain and decrypt again', () => {
    const cipher = safeStorageCipher(new FakeSafeStorage('gnome_libsecret'), 'linux', tempDir());
    expect(cipher).toMatchObject({ backend: 'gnome_libsecret', secure: true, warning: null });
    const box = cipher.encrypt('sk_live_abc');
    expect(box.toString('utf8')).not.toContain('sk_live_abc');
    expect(cipher.decrypt(box)).toBe('sk_live_abc');
  });

  it("say so when Linux falls back to its fixed 'basic_text' key", () => {
    const cipher = safeStorageCipher(new FakeSafeStorage('basic_text'), 'linux', tempDir());
    expect(cipher.secure).toBe(false);
    expect(cipher.warning).toBe(BASIC_TEXT_WARNING);
  });

  it('name the keychain on macOS and DPAPI on Windows', () => {
    expect(safeStorageCipher(new FakeSafeStorage(), 'darwin', tempDir())).toMatchObject({ backend: 'keychain', secure: true });
    expect(safeStorageCipher(new FakeSafeStorage(), 'win32', tempDir())).toMatchObject({ backend: 'dpapi', secure: true });
  });

  it("allow Linux's basic_text store when there is no keyring, so its warning shows, and still read secrets the key file kept", () => {
    const dataDir = tempDir();
    const earlier = safeStorageCipher(new FakeSafeStorage('unknown', false), 'linux', dataDir);
    expect(earlier.backend).toBe('key-file');
    const kept = earlier.encrypt('sk_live_kept');

    const storage = new FakeSafeStorage('basic_text', false);
    const cipher = safeStorageCipher(storage, 'linux', dataDir);
    expect(storage.plainText).toBe(true);
    expect(cipher).toMatchObject({ backend: 'basic_text', secure: false, warning: BASIC_TEXT_WARNING });
    expect(cipher.decrypt(cipher.encrypt('sk_live_new'))).toBe('sk_live_new');
    expect(cipher.decrypt(kept)).toBe('sk_live_kept');
  });

  it('fall back to the key-file cipher, with a warning, when no encryption is available', () => {
    const cipher = safeStorageCipher(new FakeSafeStorage('unknown', false), 'linux', tempDir());
    expect(cipher.backend).toBe('key-file');
    expect(cipher.warning).toMatch(/no keychain/);
    expect(cipher.secure).toBe(false);
    expect(cipher.decrypt(cipher.encrypt('x'))).toBe('x');
  });
});
