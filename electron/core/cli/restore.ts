/**
 * `leadbell restore <backup file>` (headless): restores a backup into the data folder while
 * Leadbell is stopped, e.g. on a new computer. The passphrase comes from LEADBELL_BACKUP_PASSPHRASE
 * or is asked for. The same checks as the app's restore; the data from before is kept as a safety copy.
 */
import path from 'node:path';
import readline from 'node:readline';
import { defaultDataDir } from '../config/env.js';
import { applyStagedRestore, RestoreRefused, stageRestore } from '../storage/backup-restore.js';
import { listBackups } from '../storage/backup-folder.js';

export const RESTORE_USAGE = `Usage: leadbell restore <backup file>
       leadbell restore --list <folder>

Restores a Leadbell backup (.lbk) into the data folder (LEADBELL_DATA_DIR, or the usual one).
Stop Leadbell first. The passphrase is read from LEADBELL_BACKUP_PASSPHRASE, or asked for.
The data from before is kept as a safety copy in the data folder's backups/.
`;

async function askPassphrase(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  const rl = readline.createInterface({ input, output, terminal: false });
  output.write('Backup passphrase: ');
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  now?: () => number;
}

/** Returns the exit code. */
export async function restoreCli(args: string[], io: CliIo): Promise<number> {
  if (args[0] === '--list' && args[1]) {
    for (const b of listBackups(path.resolve(args[1]))) {
      io.out.write(b.problem ? `${b.name}  cannot be used: ${b.problem}\n` : `${b.name}  ${b.created_at}  ${b.leads} leads, ${b.events} events\n`);
    }
    return 0;
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    io.err.write(RESTORE_USAGE);
    return 2;
  }
  const file = path.resolve(args[0]!);
  const dataDir = io.env.LEADBELL_DATA_DIR?.trim() || defaultDataDir();
  const passphrase = io.env.LEADBELL_BACKUP_PASSPHRASE?.trim() || (await askPassphrase(io.stdin, io.err));
  if (!passphrase) {
    io.err.write('No passphrase given: set LEADBELL_BACKUP_PASSPHRASE or type it when asked.\n');
    return 1;
  }
  try {
    await stageRestore({ file, passphrase, dataDir, nowMs: (io.now ?? Date.now)() });
    const done = applyStagedRestore(dataDir)!;
    io.out.write(
      `Restored ${done.name} (made ${done.created_at}): ${done.leads} leads, ${done.events} events, into ${dataDir}.\n` +
        `The data from before is kept in ${done.safety_copy}.\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefused) {
      io.err.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
