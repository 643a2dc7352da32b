/**
 * Opens a request sealed by the relay (relay/src/seal.ts: ECDH P-256, HKDF-SHA-256, AES-256-GCM).
 * Version 2 holds a binary record (shared/relay-wire.ts); version 1, from the first relay, a JSON
 * record with a base64 body, which a queue may still hold after the relay is upgraded.
 */
import { webcrypto, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';
import { decodeRecord } from '../../../shared/relay-wire.js';

const subtle = webcrypto.subtle;
const INFO = new TextEncoder().encode('leadbell-relay-v1');
const EPH = 65;
const IV = 12;

const recordHead = z.object({
  id: z.string().min(1).max(100),
  received_at: z.iso.datetime(),
  method: z.string().min(1).max(16),
  path: z.string().startsWith('/').max(4000),
  ip: z.string().max(100),
  headers: z.record(z.string(), z.string()),
});
const jsonRecord = recordHead.extend({ v: z.literal(1), body: z.base64() });

export type RelayedRecord = z.infer<typeof recordHead> & { body: Buffer };

export type Unsealer = (sealed: Uint8Array) => Promise<RelayedRecord>;

export async function unsealer(privateJwk: JsonWebKey): Promise<Unsealer> {
  const key = await subtle.importKey('jwk', privateJwk as webcrypto.JsonWebKey, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  // The relay seals many requests with one ephemeral key: keep the few recent AES keys.
  const recent = new Map<string, Promise<webcrypto.CryptoKey>>();
  const aesFor = (ephRaw: Uint8Array) => {
    const id = Buffer.from(ephRaw).toString('base64');
    let aes = recent.get(id);
    if (!aes) {
      aes = (async () => {
        const eph = await subtle.importKey('raw', ephRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
        const shared = await subtle.deriveBits({ name: 'ECDH', public: eph }, key, 256);
        const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
        return subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: ephRaw, info: INFO }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
      })();
      aes.catch(() => recent.delete(id));
      if (recent.size >= 16) recent.delete(recent.keys().next().value!);
      recent.set(id, aes);
    }
    return aes;
  };
  return async (sealed) => {
    const version = sealed[0];
    if ((version !== 1 && version !== 2) || sealed.length < 1 + EPH + IV + 16) throw new Error('not a sealed relay request (unknown version or too short)');
    const ephRaw = sealed.subarray(1, 1 + EPH);
    const iv = sealed.subarray(1 + EPH, 1 + EPH + IV);
    const aes = await aesFor(ephRaw);
    const plain = Buffer.from(await subtle.decrypt({ name: 'AES-GCM', iv }, aes, sealed.subarray(1 + EPH + IV)));
    if (version === 1) {
      const r = jsonRecord.parse(JSON.parse(plain.toString('utf8')));
      return { ...r, body: Buffer.from(r.body, 'base64') };
    }
    const { head, body } = decodeRecord(plain);
    return { ...recordHead.parse(head), body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  };
}
