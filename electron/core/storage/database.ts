/** Opens the one SQLite file (private to the owner): WAL, full fsync on commit, migrations at start-up. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from './private-files.js';

export type Db = Database.Database;

export const DB_FILE = 'leadbell.db';

export interface ConnectionOptions {
  /** FULL: every commit is fsynced by SQLite. NORMAL: the caller decides when to sync (see below). */
  synchronous: 'FULL' | 'NORMAL';
  /** Page cache in KiB (SQLite's default is about 2 MB). */
  cacheKiB?: number;
}

/** Opens a connection to the one database file with the pragmas every connection needs. */
export function openConnection(dataDir: string, o: ConnectionOptions): Db {
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${o.synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows and freed pages are overwritten with zeros, on every connection: an erased
  // person's bytes must not stay behind in free space (leads/erasure.ts).
  db.pragma('secure_delete = ON');
  if (o.cacheKiB) db.pragma(`cache_size = -${o.cacheKiB}`);
  return db;
}

/** The main connection: creates the file and applies migrations; every commit is fsynced. */
export function openDatabase(dataDir: string, migrations: Migration[] = MIGRATIONS): Db {
  try {
    ensurePrivateDir(dataDir);
    const file = path.join(dataDir, DB_FILE);
    ensurePrivateFile(file);
    tightenIfPresent(`${file}-wal`, `${file}-shm`);
    const db = openConnection(dataDir, { synchronous: 'FULL' });
    migrate(db, migrations);
    return db;
  } catch (err) {
    throw explainOpenFailure(err as Error, dataDir);
  }
}

/**
 * SQLite says only "unable to open database file"; the owner needs to know that the folder
 * (or the file in it) cannot be written, and which folder it is.
 */
function explainOpenFailure(err: Error, dataDir: string): Error {
  const file = path.join(dataDir, DB_FILE);
  const blocked = [dataDir, file, `${file}-wal`].find((p) => {
    try {
      fs.accessSync(p, fs.constants.W_OK);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  });
  if (!blocked) return err;
  return new Error(
    `The data folder ${dataDir} is read-only (${blocked} cannot be written), so Leadbell cannot store anything. ` +
      'Make it writable, or choose another data folder (LEADBELL_DATA_DIR).',
    { cause: err },
  );
}


/**
 * A second connection for the ingest path. Its commits do not fsync inside SQLite
 * (synchronous=NORMAL); instead the caller fsyncs the WAL file before it acknowledges, off the
 * event loop (walSyncer). Committed WAL frames on stable storage are exactly what
 * synchronous=FULL guarantees, without blocking the receiver during the disk flush. A 64 MB
 * page cache keeps index pages in memory under a burst.
 */
export function openIngestConnection(dataDir: string): Db {
  return openConnection(dataDir, { synchronous: 'NORMAL', cacheKiB: 65_536 });
}

/**
 * Returns a function that flushes the WAL file to stable storage on libuv's thread pool, not
 * the event loop. One descriptor is kept open: SQLite resets the WAL in place and deletes it
 * only when the last connection closes, which cannot happen while this writer's is open.
 */
export function walSyncer(dataDir: string): { sync: () => Promise<void>; close: () => Promise<void> } {
  let handle: Promise<fs.promises.FileHandle> | null = null;
  let failed: Error | null = null;
  return {
    sync: async () => {
      // After a failed fsync the kernel may have dropped the dirty pages and report success
      // next time: nothing written since can be called durable, so the failure sticks until
      // restart (and the receiver answers 503 instead of acknowledging).
      if (failed) throw failed;
      try {
        handle ??= fs.promises.open(path.join(dataDir, `${DB_FILE}-wal`), 'r+');
        await (await handle).sync();
      } catch (err) {
        failed = Object.assign(new Error(`the disk could not flush the database (${(err as Error).message}): restart Leadbell`), {
          code: 'SQLITE_IOERR_FSYNC',
        });
        throw failed;
      }
    },
    close: async () => {
      if (handle) await (await handle).close();
      handle = null;
    },
  };
}

/**
 * Applies every migration not applied yet, each in one transaction. Applied versions are kept in
 * a ledger (not just user_version), so a version numbered below the newest applied one (developed
 * in parallel and released later) still runs. Databases from before the ledger count every
 * version up to their user_version as applied.
 */
export function migrate(db: Db, migrations: Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = new Set(migrations.map((m) => m.version));
  const newest = Math.max(0, ...known);
  const hadLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  if (!hadLedger) for (const v of known) if (v <= current) record.run(v, nowIso());
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length || current > newest) {
    throw new Error(`The database was written by a newer Leadbell (schema ${Math.max(current, ...unknown)}; this version knows ${newest}).`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, nowIso());
      db.pragma(`user_version = ${Math.max(m.version, db.pragma('user_version', { simple: true }) as number)}`);
    })();
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
