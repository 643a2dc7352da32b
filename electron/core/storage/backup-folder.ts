/**
 * The folder backups go to (a synced folder, a USB disk; by default the data folder's backups/):
 * whether Leadbell can write there, what is in it, and keeping only the newest scheduled ones.
 * Every refusal is in words, naming the folder and what to do.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BackupFileError, readBackupHeader, type BackupFacts } from './backup-file.js';

export const BACKUP_EXT = '.lbk';
/** Names Leadbell gives scheduled and "Back up now" backups; only these are ever pruned. */
export const AUTO_NAME = /^leadbell-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z(-\d+)?\.lbk$/;
/** A backup being written: never listed, removed by the next backup if a crash left it. */
export const PARTIAL_PREFIX = '.leadbell-partial-';

/** A backup refused before or while writing (folder, disk, passphrase), in words. */
export class BackupRefused extends Error {}

export function autoName(atMs: number): string {
  return `leadbell-${new Date(atMs).toISOString().replace(/[:.]/g, '-')}${BACKUP_EXT}`;
}

/** What an OS error while writing to the folder means to the owner. */
export function folderProblem(err: unknown, folder: string): BackupRefused {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new BackupRefused(`The disk holding ${folder} is full, so the backup was not made. Free some space there or choose another folder. Earlier backups are untouched.`);
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new BackupRefused(`The backup folder ${folder} is not there (is the disk plugged in?). Plug it in or choose another folder.`);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BackupRefused(`Leadbell may not write to ${folder}. Choose another folder, or allow Leadbell to write there.`);
  }
  if (code === 'EIO') return new BackupRefused(`The disk holding ${folder} reported an error. Check the disk or choose another folder.`);
  return new BackupRefused(`The backup could not be written to ${folder}: ${(err as Error).message}`);
}

/** Refuses a folder that is not an absolute path to a folder Leadbell can create files in. */
export function checkFolder(folder: string): void {
  if (!path.isAbsolute(folder)) throw new BackupRefused(`"${folder}" is not a full folder path: choose the folder again.`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (err) {
    throw folderProblem(err, folder);
  }
  if (!stat.isDirectory()) throw new BackupRefused(`${folder} is a file, not a folder: choose a folder.`);
  const probe = path.join(folder, `${PARTIAL_PREFIX}probe-${randomBytes(6).toString('hex')}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx', 0o600));
    fs.rmSync(probe, { force: true });
  } catch (err) {
    throw folderProblem(err, folder);
  }
}

export type ListedBackup =
  | ({ name: string; bytes: number; problem: null } & BackupFacts)
  | { name: string; bytes: number; problem: string; created_at: null; app_version: null; schema_version: null; leads: null; events: null };

/** The backups in a folder, newest first; a file that cannot be read is listed with the reason. */
export function listBackups(folder: string): ListedBackup[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((n) => n.endsWith(BACKUP_EXT) && !n.startsWith('.'));
  } catch {
    return [];
  }
  const out: ListedBackup[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    let bytes = 0;
    try {
      bytes = fs.statSync(file).size;
      if (!fs.statSync(file).isFile()) continue;
      const { header } = readBackupHeader(file);
      const { created_at, app_version, schema_version, leads, events } = header;
      out.push({ name, bytes, problem: null, created_at, app_version, schema_version, leads, events });
    } catch (err) {
      const problem = err instanceof BackupFileError ? err.message : `It cannot be read: ${(err as Error).message}`;
      out.push({ name, bytes, problem, created_at: null, app_version: null, schema_version: null, leads: null, events: null });
    }
  }
  const key = (b: ListedBackup) => b.created_at ?? '';
  return out.sort((a, b) => key(b).localeCompare(key(a)) || b.name.localeCompare(a.name));
}

/** Deletes all but the newest `keep` backups Leadbell named itself; the owner's own names stay. */
export function prune(folder: string, keep: number): string[] {
  const auto = fs
    .readdirSync(folder)
    .filter((n) => AUTO_NAME.test(n))
    .sort()
    .reverse();
  const gone = auto.slice(keep);
  for (const n of gone) fs.rmSync(path.join(folder, n), { force: true });
  return gone;
}

/** Removes what a backup killed part-way left behind (never a finished backup). */
export function removeLeftovers(folder: string): void {
  for (const n of fs.readdirSync(folder)) if (n.startsWith(PARTIAL_PREFIX)) fs.rmSync(path.join(folder, n), { force: true });
}

/** Makes sure a rename into the folder is on disk (POSIX; Windows has no directory handles to sync). */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
