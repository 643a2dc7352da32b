/** Opens the one SQLite file: WAL, full fsync on commit, migrations at start-up. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export const DB_FILE = 'leadbell.db';

export function openDatabase(dataDir: string, migrations: Migration[] = MIGRATIONS): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  // "Acknowledged means stored": every commit is fsynced. Group commit keeps this fast.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function migrate(db: Db, migrations: Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > newest) {
    throw new Error(`The database was written by a newer Leadbell (schema ${current}; this version knows ${newest}).`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
