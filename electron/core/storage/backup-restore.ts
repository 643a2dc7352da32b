/**
 * Restoring a backup happens in two steps, so nothing is lost whatever stops it. First, while
 * Leadbell runs, the backup is decrypted into the data folder's restore/ and checked (a wrong
 * passphrase, a damaged file or one from a newer Leadbell is refused there, and nothing else is
 * touched); a READY file marks it complete. Then, at the next start and before the database is
 * opened, the current database (with its WAL) is moved aside as a safety copy and the restored one
 * takes its place. Each step can be redone after a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BackupFileError, readBackupFile, readBackupHeader, type BackupHeader } from './backup-file.js';
import { syncFolder } from './backup-folder.js';
import { BACKUP_DIR, inspectCopy } from './backup.js';
import { DB_FILE } from './database.js';
import { MIGRATIONS } from './migrations.js';
import { ensurePrivateDir } from './private-files.js';

export const RESTORE_DIR = 'restore';
const READY = 'READY';

/** The newest database layout this Leadbell knows; a backup with a newer one is refused. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** A restore refused in words; nothing was changed. */
export class RestoreRefused extends Error {}

const readyFile = z.object({ name: z.string(), created_at: z.string(), leads: z.number(), events: z.number(), safety_copy: z.string() });
export type StagedRestore = z.infer<typeof readyFile>;

export async function stageRestore(o: { file: string; passphrase: string; dataDir: string; nowMs: number }): Promise<StagedRestore> {
  let header: BackupHeader;
  try {
    header = readBackupHeader(o.file).header;
  } catch (err) {
    if (err instanceof BackupFileError) throw new RestoreRefused(err.message);
    throw new RestoreRefused(`The backup file cannot be read: ${(err as Error).message}. Nothing was changed.`);
  }
  if (header.schema_version > SCHEMA_VERSION) {
    throw new RestoreRefused(
      `This backup was made by a newer Leadbell (version ${header.app_version}). Update Leadbell on this computer, then restore it. Nothing was changed.`,
    );
  }
  const dir = path.join(o.dataDir, RESTORE_DIR);
  fs.rmSync(dir, { recursive: true, force: true });
  ensurePrivateDir(dir);
  const staged = path.join(dir, DB_FILE);
  try {
    await readBackupFile(o.file, staged, o.passphrase);
    const facts = inspectCopy(staged);
    if (facts.leads !== header.leads || facts.events !== header.events) throw new RestoreRefused('The backup does not hold what it says it does. Nothing was changed. Try an older backup.');
    const stamp = new Date(o.nowMs).toISOString().replace(/[:.]/g, '-');
    const staging: StagedRestore = {
      name: path.basename(o.file),
      created_at: header.created_at,
      leads: header.leads,
      events: header.events,
      safety_copy: path.join(o.dataDir, BACKUP_DIR, `before-restore-${stamp}`),
    };
    const fd = fs.openSync(path.join(dir, READY), 'wx', 0o600);
    fs.writeSync(fd, JSON.stringify(staging));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    syncFolder(dir);
    return staging;
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (err instanceof BackupFileError || err instanceof RestoreRefused) throw new RestoreRefused(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new RestoreRefused(`The disk holding ${o.dataDir} is full, so the backup could not be unpacked. Free some space and try again. Nothing was changed.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new RestoreRefused(`Leadbell may not write to its data folder ${o.dataDir}. Nothing was changed.`);
    throw new RestoreRefused(`The backup could not be restored: ${(err as Error).message}. Nothing was changed.`);
  }
}

/** Whether a restore is staged and waits for the next start. */
export function stagedRestore(dataDir: string): StagedRestore | null {
  try {
    return readyFile.parse(JSON.parse(fs.readFileSync(path.join(dataDir, RESTORE_DIR, READY), 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Call before the database is opened: swaps in a staged restore. The current database, WAL
 * included, becomes the safety copy (so not even its last seconds are lost).
 */
export function applyStagedRestore(dataDir: string): StagedRestore | null {
  const dir = path.join(dataDir, RESTORE_DIR);
  const staging = stagedRestore(dataDir);
  if (!staging) {
    // A restore stopped before it was complete: the database was never touched.
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const staged = path.join(dir, DB_FILE);
  if (fs.existsSync(staged)) {
    ensurePrivateDir(path.dirname(staging.safety_copy));
    ensurePrivateDir(staging.safety_copy);
    const db = path.join(dataDir, DB_FILE);
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(db + suffix)) fs.renameSync(db + suffix, path.join(staging.safety_copy, DB_FILE + suffix));
    }
    syncFolder(staging.safety_copy);
    fs.renameSync(staged, db);
    syncFolder(dataDir);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return staging;
}
