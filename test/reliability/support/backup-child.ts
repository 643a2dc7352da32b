// Makes backups of a data folder one after another until killed (for the kill -9 test).
import { openDatabase } from '../../../electron/core/storage/database.js';
import { makeBackup } from '../../../electron/core/storage/backup.js';

const [dataDir, folder, passphrase] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(dataDir);
let now = Date.parse('2030-01-01T00:00:00.000Z');
for (;;) {
  await makeBackup({ db, dataDir, folder, passphrase, appVersion: 'test', now: (now += 1000), keep: 1000 });
  process.stdout.write('made\n');
}
