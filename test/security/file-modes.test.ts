/**
 * Finding 8: the data folder holds every lead, so other accounts on the machine must not read it.
 * Under an ordinary umask (022), the folder is 0700 and the database, its WAL and shared-memory
 * files, the key file and backups are 0600; a folder left readable by an older version is
 * tightened when Leadbell opens it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestCore, tempDir, type TestCore } from '../helpers/core.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const octal = (p: string) => `${path.basename(p)}: ${mode(p).toString(8)}`;

let previousUmask: number;
beforeAll(() => {
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

describe.skipIf(process.platform === 'win32')('file modes of the data folder', () => {
  let t: TestCore;
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tempDir(), 'data');
    t = await startTestCore({}, dir);
  });
  afterAll(async () => t?.stop());

  it('a new data folder is 0700; the database, WAL, shared memory and key file are 0600', async () => {
    expect((await post(t.url('/api/webhooks/lead-optin'), { email: 'private@example.com' })).status).toBe(202);
    expect(octal(dir)).toBe('data: 700');
    const files = ['leadbell.db', 'leadbell.db-wal', 'leadbell.db-shm', 'secret.key'].map((f) => path.join(dir, f));
    for (const f of files) expect(octal(f)).toBe(`${path.basename(f)}: 600`);
    // Nothing else in the folder is readable by others either.
    for (const f of fs.readdirSync(dir)) expect(mode(path.join(dir, f)) & 0o077, f).toBe(0);
  });

  it('backups are 0600 in a 0700 backups folder', async () => {
    expect((await t.api('PUT', '/api/secrets/backup.passphrase', { value: 'a long enough passphrase' })).status).toBe(200);
    const r = await t.api('POST', '/api/backup', {});
    expect(r.status).toBe(200);
    expect(mode(r.body.path)).toBe(0o600);
    expect(mode(path.dirname(r.body.path))).toBe(0o700);
  });
});

describe.skipIf(process.platform === 'win32')('a data folder left readable by an older version', () => {
  it('is tightened when opened: folder 0700, database and WAL 0600', async () => {
    const dir = path.join(tempDir(), 'old');
    fs.mkdirSync(dir, { mode: 0o755 });
    const file = path.join(dir, 'leadbell.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    old.close();
    fs.chmodSync(file, 0o644);
    // A WAL left behind (closing removed this one): as SQLite made it, readable by all.
    fs.writeFileSync(`${file}-wal`, '', { mode: 0o644 });
    const t = await startTestCore({}, dir);
    try {
      expect(octal(dir)).toBe('old: 700');
      expect(octal(file)).toBe('leadbell.db: 600');
      expect(octal(`${file}-wal`)).toBe('leadbell.db-wal: 600');
    } finally {
      await t.stop();
    }
  });
});
