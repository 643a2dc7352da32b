import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase, walSyncer } from '../../electron/core/storage/database.js';
import { tempDir } from '../helpers/core.js';

it('a failed WAL sync stays failed: later syncs refuse instead of claiming durability', async () => {
  const dir = tempDir();
  const db = openDatabase(dir);
  db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('x', '{}', 'now')").run();
  const wal = walSyncer(dir);
  await wal.sync();
  await wal.close();
  // A WAL path that cannot be opened stands in for a disk error.
  const broken = walSyncer(path.join(dir, 'missing'));
  await expect(broken.sync()).rejects.toMatchObject({ code: 'SQLITE_IOERR_FSYNC' });
  fs.mkdirSync(path.join(dir, 'missing'));
  fs.copyFileSync(path.join(dir, 'leadbell.db-wal'), path.join(dir, 'missing', 'leadbell.db-wal'));
  await expect(broken.sync()).rejects.toThrow(/restart Leadbell/);
  db.close();
});
