/**
 * Making a backup: a consistent copy of the database (SQLite's online backup), checked with
 * PRAGMA integrity_check, encrypted into the backup folder under a hidden partial name, decrypted
 * again and checked once more, and only then given its real name. A crash part-way leaves a
 * partial file the next backup removes: earlier backups and the database are never touched.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readBackupFile, writeBackupFile, type BackupFacts } from './backup-file.js';
import { autoName, BACKUP_EXT, BackupRefused, checkFolder, folderProblem, PARTIAL_PREFIX, prune, removeLeftovers, syncFolder } from './backup-folder.js';
import type { Db } from './database.js';
import { ensurePrivateDir } from './private-files.js';

export const BACKUP_DIR = 'backups';
/** Scratch space for copies being checked: inside the data folder, which is private and already holds the data. */
export const WORK_DIR = 'backup-work';
export const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class BackupExistsError extends Error {}

/** What a database copy holds, once SQLite says it is sound. */
export function inspectCopy(file: string): Pick<BackupFacts, 'schema_version' | 'leads' | 'events'> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const problems = result.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length) throw new Error(`the copy failed its check: ${problems.slice(0, 3).join('; ')}`);
    return {
      schema_version: db.pragma('user_version', { simple: true }) as number,
      leads: db.prepare('SELECT count(*) FROM leads').pluck().get() as number,
      events: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

export function workDir(dataDir: string): string {
  const dir = path.join(dataDir, WORK_DIR);
  ensurePrivateDir(dir);
  return dir;
}

export interface BackupRequest {
  db: Db;
  dataDir: string;
  folder: string;
  passphrase: string | null;
  appVersion: string;
  now: number;
  /** Scheduled backups kept (older ones Leadbell named itself are deleted). */
  keep: number;
  /** A name of the owner's choosing (a plain file name; .lbk is added); default: leadbell-<time>.lbk. */
  name?: string;
}

export interface BackupResult extends BackupFacts {
  path: string;
  name: string;
  bytes: number;
}

export async function makeBackup(r: BackupRequest): Promise<BackupResult> {
  if (!r.passphrase) {
    throw new BackupRefused("Set a backup passphrase first: backups hold every lead's details, so they are always encrypted.");
  }
  if (r.name !== undefined && !BACKUP_NAME.test(r.name)) throw new BackupRefused(`"${r.name}" is not a plain file name`);
  checkFolder(r.folder);
  removeLeftovers(r.folder);
  const name = r.name === undefined ? autoName(r.now) : r.name.endsWith(BACKUP_EXT) ? r.name : `${r.name}${BACKUP_EXT}`;
  const final = path.join(r.folder, name);
  if (fs.existsSync(final) || isLink(final)) throw new BackupExistsError(`${final} already exists: choose another name`);

  const work = workDir(r.dataDir);
  const id = randomBytes(6).toString('hex');
  const snapshot = path.join(work, `snapshot-${id}.db`);
  const verify = path.join(work, `verify-${id}.db`);
  const partial = path.join(r.folder, `${PARTIAL_PREFIX}${id}`);
  try {
    try {
      await r.db.backup(snapshot);
    } catch (err) {
      throw new BackupRefused(`The database could not be copied: ${(err as Error).message}. Nothing was changed.`);
    }
    const facts: BackupFacts = { ...checked(snapshot), created_at: new Date(r.now).toISOString(), app_version: r.appVersion };
    try {
      await writeBackupFile(snapshot, partial, facts, r.passphrase);
    } catch (err) {
      throw folderProblem(err, r.folder);
    }
    fs.rmSync(snapshot, { force: true });
    // Checked after writing: what is on the backup disk decrypts to a sound copy of the same data.
    await readBackupFile(partial, verify, r.passphrase);
    const again = checked(verify);
    if (again.leads !== facts.leads || again.events !== facts.events) throw new BackupRefused('The written backup did not read back the same: it was not kept.');
    if (fs.existsSync(final) || isLink(final)) throw new BackupExistsError(`${final} already exists: choose another name`);
    fs.renameSync(partial, final);
    syncFolder(r.folder);
    prune(r.folder, r.keep);
    return { ...facts, path: final, name, bytes: fs.statSync(final).size };
  } finally {
    for (const f of [snapshot, verify, partial]) fs.rmSync(f, { force: true });
  }
}

function checked(file: string): Pick<BackupFacts, 'schema_version' | 'leads' | 'events'> {
  try {
    return inspectCopy(file);
  } catch (err) {
    throw new BackupRefused(`The backup was not kept: ${(err as Error).message}.`);
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
