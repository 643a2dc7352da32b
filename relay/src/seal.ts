/**
 * Seals a request for the desktop: an ephemeral ECDH P-256 key agreement with the desktop's
 * public key, HKDF-SHA-256, then AES-256-GCM. Layout: version (1) | ephemeral public key (65,
 * uncompressed) | IV (12) | ciphertext+tag. Only the desktop's private key can open it.
 * Version 2 seals a binary record (shared/relay-wire.ts); version 1, the first relay's, sealed a
 * JSON record with a base64 body, and the desktop still opens those (left in a queue at upgrade).
 * An ephemeral key (and the AES key derived from it) seals up to SEALS_PER_KEY requests, each
 * with its own random IV, so the key agreement is not paid on every request.
 */
export const SEAL_VERSION = 2;
export const SEAL_INFO = 'leadbell-relay-v1';

export async function importDesktopKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
}

export const SEALS_PER_KEY = 10_000;

interface SealKey {
  ephRaw: Uint8Array;
  aes: CryptoKey;
  uses: number;
}

/** Returns a sealer bound to one desktop key; it rotates its ephemeral key as it goes. */
export function sealer(desktopKey: CryptoKey): (plaintext: Uint8Array) => Promise<Uint8Array> {
  let current: Promise<SealKey> | null = null;
  return async (plaintext) => {
    if (!current || (await current).uses >= SEALS_PER_KEY) current = newSealKey(desktopKey);
    const k = await current;
    k.uses += 1;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k.aes, plaintext));
    const out = new Uint8Array(1 + k.ephRaw.length + iv.length + ct.length);
    out[0] = SEAL_VERSION;
    out.set(k.ephRaw, 1);
    out.set(iv, 1 + k.ephRaw.length);
    out.set(ct, 1 + k.ephRaw.length + iv.length);
    return out;
  };
}

async function newSealKey(desktopKey: CryptoKey): Promise<SealKey> {
  const eph = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const shared = await crypto.subtle.deriveBits(
    // workers-types names the field `$public`; the runtime takes the standard `public`.
    { name: 'ECDH', public: desktopKey } as unknown as SubtleCryptoDeriveKeyAlgorithm,
    eph.privateKey,
    256,
  );
  const ephRaw = new Uint8Array((await crypto.subtle.exportKey('raw', eph.publicKey)) as ArrayBuffer);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: ephRaw, info: new TextEncoder().encode(SEAL_INFO) },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  return { ephRaw, aes: key, uses: 0 };
}
