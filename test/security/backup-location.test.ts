/**
 * Finding 7: POST /api/backup wrote a copy of every lead to any path the caller named and
 * overwrote what was there. Backups now go only into the backup folder (by default the data
 * folder's backups/), under a plain file name, as new files (an existing one is never overwritten).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';

let t: TestCore;
let outside: string;
beforeAll(async () => {
  t = await startTestCore();
  outside = tempDir('leadbell-outside-');
  expect((await t.api('PUT', '/api/secrets/backup.passphrase', { value: 'a long enough passphrase' })).status).toBe(200);
});
afterAll(async () => t?.stop());

describe('database backups', () => {
  it('a path anywhere else is refused, and nothing is written there', async () => {
    const victim = path.join(outside, 'important.txt');
    fs.writeFileSync(victim, 'keep me');
    for (const target of [victim, path.join(outside, 'copy.db'), '/tmp/leadbell-copy.db']) {
      const r = await t.api('POST', '/api/backup', { path: target });
      expect(r.status, target).toBe(400);
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(fs.readdirSync(outside)).toEqual(['important.txt']);
    expect(fs.existsSync('/tmp/leadbell-copy.db')).toBe(false);
  });

  it('a name with folders or dot segments is refused with the reason', async () => {
    for (const name of ['../leadbell.db', '../../escape.db', 'sub/dir.db', '/abs.db', '.hidden', '..', 'a\\b.db', '']) {
      const r = await t.api('POST', '/api/backup', { name });
      expect(r.status, name).toBe(400);
      expect(JSON.stringify(r.body.error), name).toMatch(/plain file name/);
    }
  });

  it('a backup goes into backups/ of the data folder; the same name twice is 409 and the first copy stays', async () => {
    const first = await t.api('POST', '/api/backup', { name: 'before-upgrade.db' });
    expect(first.status).toBe(200);
    expect(first.body.path).toBe(path.join(t.dataDir, 'backups', 'before-upgrade.db.lbk'));
    const size = fs.statSync(first.body.path).size;
    expect(size).toBe(first.body.bytes);
    const again = await t.api('POST', '/api/backup', { name: 'before-upgrade.db' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already exists/);
    expect(fs.statSync(first.body.path).size).toBe(size);
  });

  it('the database itself cannot be overwritten through a planted link in backups/', async () => {
    fs.symlinkSync(path.join(t.dataDir, 'leadbell.db'), path.join(t.dataDir, 'backups', 'planted.lbk'));
    const before = fs.readFileSync(path.join(t.dataDir, 'leadbell.db'));
    const r = await t.api('POST', '/api/backup', { name: 'planted.lbk' });
    expect(r.status).toBe(409);
    expect(fs.readFileSync(path.join(t.dataDir, 'leadbell.db')).equals(before)).toBe(true);
  });
});
