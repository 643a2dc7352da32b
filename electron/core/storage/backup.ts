/**
 * Database backups go only into the data folder's `backups/` (0700), as new 0600 files: a name is
 * a plain file name (no folders, no `..`), and an existing file is never overwritten. The admin
 * API could once write a copy of every lead anywhere, over anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

export const BACKUP_DIR = 'backups';
export const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class BackupExistsError extends Error {}

export function defaultBackupName(at = new Date()): string {
  return `leadbell-${at.toISOString().replace(/[:.]/g, '-')}.db`;
}

export async function backupDatabase(db: Db, dataDir: string, name = defaultBackupName()): Promise<{ path: string; bytes: number }> {
  if (!BACKUP_NAME.test(name)) throw new Error(`"${name}" is not a plain file name`);
  const dir = path.join(dataDir, BACKUP_DIR);
  ensurePrivateDir(dir);
  const file = path.join(dir, name);
  try {
    // Created empty and exclusively first: never another file, never through a planted link.
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupExistsError(`${file} already exists: choose another name`);
    throw err;
  }
  try {
    await db.backup(file);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { path: file, bytes: fs.statSync(file).size };
}
