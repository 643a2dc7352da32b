import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/storage/database.js';
import type { Migration } from '../../electron/core/storage/migrations.js';

const m = (version: number): Migration => ({ version, name: `v${version}`, sql: `CREATE TABLE t${version} (x);` });
const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%' ORDER BY name").pluck().all() as string[]).sort();

describe('migrations', () => {
  it('applies a version released after a higher one (a gap filled later)', () => {
    const db = new Database(':memory:');
    migrate(db, [m(1), m(2), m(6)]);
    expect(tables(db)).toEqual(['t1', 't2', 't6']);
    migrate(db, [m(1), m(2), m(5), m(6)]);
    expect(tables(db)).toEqual(['t1', 't2', 't5', 't6']);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    migrate(db, [m(1), m(2), m(5), m(6)]);
  });

  it('treats a database from before the ledger as migrated up to user_version', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t1 (x); CREATE TABLE t2 (x);');
    db.pragma('user_version = 2');
    migrate(db, [m(1), m(2), m(3)]);
    expect(tables(db)).toEqual(['t1', 't2', 't3']);
  });

  it('refuses a database written by a newer version', () => {
    const db = new Database(':memory:');
    migrate(db, [m(1), m(2)]);
    expect(() => migrate(db, [m(1)])).toThrow(/newer Leadbell/);
  });
});
