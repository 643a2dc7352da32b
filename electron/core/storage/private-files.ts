/**
 * The data folder holds every lead: only the owner's account may read it. The folder is 0700 and
 * the files in it 0600, whatever the umask; a folder or file left readable by an older version is
 * tightened when it is opened. (SQLite creates its -wal and -shm files with the database file's
 * mode, so a 0600 database keeps them private too.) Windows has no such modes: nothing to do there.
 */
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

function tighten(p: string, mode: number): void {
  if (!POSIX) return;
  try {
    if ((fs.statSync(p).mode & 0o777 & ~mode) !== 0) fs.chmodSync(p, mode);
  } catch (err) {
    // Missing, or owned by someone else: opening it will report what is wrong.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw err;
  }
}

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Creates the file empty (0600) if it does not exist; tightens it if it does. */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  tighten(file, PRIVATE_FILE_MODE);
}

/** Tightens files that may exist (e.g. a WAL left by an older version). */
export function tightenIfPresent(...files: string[]): void {
  for (const f of files) tighten(f, PRIVATE_FILE_MODE);
}
