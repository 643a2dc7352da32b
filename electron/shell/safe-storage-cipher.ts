/**
 * Secrets encrypted with Electron's safeStorage (the OS keychain). On Linux without a secret
 * store Chromium falls back to a fixed key ("basic_text"): still encrypted, but not protected,
 * and the UI says so. Electron reports that store as unavailable until it is allowed with
 * setUsePlainTextEncryption(true) (shell/browser/api/electron_api_safe_storage.cc,
 * IsEncryptionAvailable), so it is allowed here. Without safeStorage at all, the key-file cipher
 * of headless mode is used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KEY_FILE, keyFileCipher, type SecretCipher } from '../core/secrets/cipher.js';
import type { SafeStoragePort } from './ports.js';

export const BASIC_TEXT_WARNING =
  'This computer has no keychain Leadbell can use (no GNOME Keyring or KWallet), so API keys are stored with a built-in key that other programs could read. Install and unlock a keyring, then set your keys again.';

const KEYRING_PROTECTION: Record<string, string> = {
  keychain: 'Your macOS Keychain protects them: other programs and other people using this computer cannot read them.',
  dpapi: 'Your Windows sign-in protects them: other people using this computer cannot read them.',
};
const DESKTOP_KEYRING =
  "Your desktop's keyring protects them (it opens when you sign in): other people using this computer cannot read them.";
const BUILT_IN_KEY_PROTECTION =
  'Only your user account on this computer can open the data folder, and that is all that protects them: the key that unlocks them is built into the app.';

function backendName(port: SafeStoragePort, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return port.getSelectedStorageBackend?.() ?? 'unknown';
}

export function safeStorageCipher(port: SafeStoragePort, platform: NodeJS.Platform, dataDir: string): SecretCipher {
  if (!port.isEncryptionAvailable() && platform === 'linux' && port.getSelectedStorageBackend?.() === 'basic_text') port.setUsePlainTextEncryption?.(true);
  if (!port.isEncryptionAvailable()) {
    const fallback = keyFileCipher(dataDir);
    return {
      ...fallback,
      warning: 'This computer offers Leadbell no keychain. Keep the data folder and its backups private.',
    };
  }
  const backend = backendName(port, platform);
  const weak = platform === 'linux' && (backend === 'basic_text' || backend === 'unknown');
  // Secrets kept by the key-file cipher before (no keyring, earlier versions) still read.
  const earlier = fs.existsSync(path.join(dataDir, KEY_FILE)) ? keyFileCipher(dataDir) : null;
  return {
    backend,
    secure: !weak,
    protection: weak ? BUILT_IN_KEY_PROTECTION : (KEYRING_PROTECTION[backend] ?? DESKTOP_KEYRING),
    warning: weak ? BASIC_TEXT_WARNING : null,
    encrypt: (plain) => port.encryptString(plain),
    decrypt: (cipher) => {
      try {
        return port.decryptString(cipher);
      } catch (e) {
        if (earlier) return earlier.decrypt(cipher);
        throw e;
      }
    },
  };
}
