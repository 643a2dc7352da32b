/**
 * The backup file: a readable header (when, which version, how many leads and events) and the
 * database, gzipped and encrypted with the owner's passphrase. Node's crypto only: scrypt derives
 * the key from the passphrase (N=2^15, r=8, p=1, a fresh salt per file), AES-256-GCM encrypts as
 * a stream with the header as additional data, so a changed header or body fails the tag.
 *
 *   "LEADBELL-BACKUP1" | u32 header length | header JSON | ciphertext | 16-byte GCM tag
 *
 * A second half of the derived key gives a check value in the header, so a wrong passphrase is
 * told apart from a damaged file before anything is decrypted.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { PRIVATE_FILE_MODE } from './private-files.js';

const MAGIC = Buffer.from('LEADBELL-BACKUP1');
const TAG_BYTES = 16;
const MAX_HEADER = 64 * 1024;
const KDF = { N: 2 ** 15, r: 8, p: 1 };

export const backupHeader = z.object({
  created_at: z.string(),
  app_version: z.string(),
  schema_version: z.number().int(),
  leads: z.number().int(),
  events: z.number().int(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  key_check: z.string(),
});
export type BackupHeader = z.infer<typeof backupHeader>;
export type BackupFacts = Pick<BackupHeader, 'created_at' | 'app_version' | 'schema_version' | 'leads' | 'events'>;

/** A backup that cannot be used, and why, in words for the owner. */
export class BackupFileError extends Error {
  constructor(
    readonly reason: 'damaged' | 'wrong_passphrase' | 'not_a_backup',
    message: string,
  ) {
    super(message);
  }
}

const damaged = (why: string) =>
  new BackupFileError('damaged', `This backup file is damaged (${why}), so it cannot be restored. Nothing was changed. Try an older backup.`);

async function deriveKeys(passphrase: string, salt: Buffer, k: { N: number; r: number; p: number }): Promise<{ key: Buffer; check: string }> {
  const bytes = await new Promise<Buffer>((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 64, { ...k, maxmem: 256 * k.N * k.r }, (err, out) => (err ? reject(err) : resolve(out))),
  );
  return { key: bytes.subarray(0, 32), check: createHash('sha256').update(bytes.subarray(32)).digest('base64') };
}

function prefix(headerJson: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerJson.length);
  return Buffer.concat([MAGIC, len, headerJson]);
}

/** Encrypts `plainFile` into a new file `out` (never over an existing one), synced to disk. */
export async function writeBackupFile(plainFile: string, out: string, facts: BackupFacts, passphrase: string): Promise<void> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = await deriveKeys(passphrase, salt, KDF);
  const header: BackupHeader = {
    ...facts,
    kdf: { name: 'scrypt', ...KDF, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    key_check: check,
  };
  const head = prefix(Buffer.from(JSON.stringify(header)));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(head);
  const fd = fs.openSync(out, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeSync(fd, head);
    const sink = fs.createWriteStream('', { fd, autoClose: false });
    await pipeline(fs.createReadStream(plainFile), createGzip(), cipher, sink);
    fs.writeSync(fd, cipher.getAuthTag());
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a backup's header without the passphrase (for the list of backups). */
export function readBackupHeader(file: string): { header: BackupHeader; headerEnd: number; size: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const first = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, first, 0, first.length, 0) < first.length || !first.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BackupFileError('not_a_backup', 'This file is not a Leadbell backup.');
    }
    const len = first.readUInt32BE(MAGIC.length);
    const headerEnd = first.length + len;
    if (len > MAX_HEADER || headerEnd + TAG_BYTES > size) throw damaged('it is cut short');
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, first.length);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString('utf8'));
    } catch {
      throw damaged('its description is unreadable');
    }
    const header = backupHeader.safeParse(parsed);
    if (!header.success) throw damaged('its description is incomplete');
    return { header: header.data, headerEnd, size };
  } finally {
    fs.closeSync(fd);
  }
}

/** Decrypts a backup into a new file `out`; a wrong passphrase or any damage throws and leaves `out` removed. */
export async function readBackupFile(file: string, out: string, passphrase: string): Promise<BackupHeader> {
  const { header, headerEnd, size } = readBackupHeader(file);
  const { key, check } = await deriveKeys(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf);
  const expected = Buffer.from(header.key_check, 'base64');
  const got = Buffer.from(check, 'base64');
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) {
    throw new BackupFileError('wrong_passphrase', 'That passphrase does not open this backup. Nothing was changed. Check it and try again.');
  }
  const fd = fs.openSync(file, 'r');
  const tag = Buffer.alloc(TAG_BYTES);
  const head = Buffer.alloc(headerEnd);
  try {
    fs.readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
    fs.readSync(fd, head, 0, headerEnd, 0);
  } finally {
    fs.closeSync(fd);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
  decipher.setAAD(head);
  decipher.setAuthTag(tag);
  const outFd = fs.openSync(out, 'wx', PRIVATE_FILE_MODE);
  try {
    const body = fs.createReadStream(file, { start: headerEnd, end: size - TAG_BYTES - 1 });
    // Decrypted bytes are not authentic until the tag checks at the end: they go only into `out`,
    // which is removed if it does not.
    await pipeline(body, decipher, createGunzip(), fs.createWriteStream('', { fd: outFd, autoClose: false }));
    fs.fsyncSync(outFd);
  } catch (err) {
    fs.closeSync(outFd);
    fs.rmSync(out, { force: true });
    if (err instanceof BackupFileError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'EPERM') throw err;
    throw damaged('its contents do not check out');
  }
  fs.closeSync(outFd);
  return header;
}
