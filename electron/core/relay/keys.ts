/**
 * The desktop's relay credentials, kept in the secret store (keychain or key file): the shared
 * relay secret (32 random bytes) and the P-256 key pair whose public half seals requests at rest
 * on the relay. Both are created on first use.
 */
import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store.js';

export const RELAY_SECRET = 'relay.secret';
export const RELAY_PRIVATE_KEY = 'relay.private_key';
export const CLOUDFLARE_TOKEN = 'relay.cloudflare_token';

export function relaySecret(secrets: SecretStore): string {
  let secret = secrets.get(RELAY_SECRET);
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    secrets.set(RELAY_SECRET, secret);
  }
  return secret;
}

export function relayPrivateKey(secrets: SecretStore): JsonWebKey {
  const stored = secrets.get(RELAY_PRIVATE_KEY);
  if (stored) return JSON.parse(stored) as JsonWebKey;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  secrets.set(RELAY_PRIVATE_KEY, JSON.stringify(jwk));
  return jwk;
}

export function publicHalf(jwk: JsonWebKey): JsonWebKey {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
