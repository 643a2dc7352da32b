/**
 * CSV import: 10,000 rows with 10 bad ones, through the admin API's handlers on a real core and
 * SQLite file, must give 9,990 leads and 10 listed errors. Timed beside the floor it stands on:
 * the same 9,990 leads written by a bare better-sqlite3 loop in one transaction (no checks, no
 * search index, no timeline), so the ratio says what the checks and the lead model cost.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core/app.js';
import { tempDir } from './lib.js';

export const IMPORT_ROWS = 10_000;
export const IMPORT_BAD = 10;

export function importCsv(rows = IMPORT_ROWS, bad = IMPORT_BAD): string {
  const lines = ['Email,First name,Last name,Phone,Tags'];
  for (let i = 0; i < rows; i++) {
    // Every thousandth row is bad: no email, a broken one, or an email repeated from the row before.
    const kind = i % (rows / bad) === rows / bad - 1 ? Math.floor(i / (rows / bad)) % 3 : -1;
    const email = kind === 0 ? '' : kind === 1 ? `person${i}-at-salon.example` : kind === 2 ? `person${i - 1}@salon.example` : `person${i}@salon.example`;
    lines.push(`${email},Person${i},Surname${i},07700 9${String(i).padStart(5, '0')},"regular, spring"`);
  }
  return lines.join('\r\n');
}

export async function benchCsvImport() {
  const csv = importCsv();
  const dir = tempDir('leadbell-bench-import-');
  const core = await createCore({ dataDir: dir, mode: 'headless', listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 } });
  try {
    const t0 = performance.now();
    const preview = await core.handlers.previewLeadImport({ csv });
    const t1 = performance.now();
    const result = await core.handlers.importLeads({ csv, run_automations: false, existing: 'skip' });
    const t2 = performance.now();
    const leads = core.stores.leads.count();

    const bareDir = tempDir('leadbell-bench-import-bare-');
    const bare = new Database(path.join(bareDir, 'bare.db'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = FULL');
    bare.exec('CREATE TABLE leads (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, first_name TEXT, last_name TEXT, phone TEXT, tags TEXT)');
    const insert = bare.prepare('INSERT INTO leads VALUES (?, ?, ?, ?, ?, ?)');
    const rows = csv.split('\r\n').slice(1).map((l) => l.split(','));
    const t3 = performance.now();
    bare.transaction(() => {
      let n = 0;
      for (const r of rows) if (r[0]?.includes('@') && !(n > 0 && r[0] === rows[n - 1]?.[0])) insert.run(String(n++), `${r[0]}#${n}`, r[1], r[2], r[3], '[]');
    })();
    const t4 = performance.now();
    bare.close();
    return {
      rows: IMPORT_ROWS,
      previewMs: t1 - t0,
      importMs: t2 - t1,
      bareMs: t4 - t3,
      ratio: (t2 - t1) / (t4 - t3),
      rowsPerSecond: IMPORT_ROWS / ((t2 - t1) / 1000),
      leads,
      imported: result.imported,
      errors: result.errors.length,
      previewErrors: preview.errors.length,
    };
  } finally {
    await core.stop();
  }
}
