/**
 * Seals a request for the desktop: an ephemeral ECDH P-256 key agreement with the desktop's
 * public key, HKDF-SHA-256, then AES-256-GCM. Layout: version (1) | ephemeral public key (65,
 * uncompressed) | IV (12) | ciphertext+tag. Only the desktop's private key can open it.
 */
export const SEAL_VERSION = 1;
export const SEAL_INFO = 'leadbell-relay-v1';

export async function importDesktopKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
}

export async function seal(desktopKey: CryptoKey, plaintext: Uint8Array): Promise<Uint8Array> {
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
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext));
  const out = new Uint8Array(1 + ephRaw.length + iv.length + ct.length);
  out[0] = SEAL_VERSION;
  out.set(ephRaw, 1);
  out.set(iv, 1 + ephRaw.length);
  out.set(ct, 1 + ephRaw.length + iv.length);
  return out;
}
