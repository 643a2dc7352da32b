/**
 * Runs a command (the app, or the packager) with better-sqlite3 built for Electron's ABI and
 * proved to be (scripts/native-abi.ts), then puts Node's build back whatever happened, so the
 * tests under Node keep working afterwards.
 * Usage: node --import tsx scripts/with-electron-abi.ts [--packaged <dir>] <command> [args...]
 *   --packaged <dir>  the packager's output folder: every package in it must carry Electron's build
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildForElectron, checkPackaged, electronAbi, electronRebuild, MODULE, restoreForNode } from './native-abi.js';

const root = path.resolve(import.meta.dirname, '..');
let args = process.argv.slice(2);
let packaged: string | null = null;
if (args[0] === '--packaged') {
  packaged = path.resolve(root, args[1] ?? 'release');
  args = args.slice(2);
}
if (!args.length) {
  process.stderr.write('usage: node --import tsx scripts/with-electron-abi.ts [--packaged <dir>] <command> [args...]\n');
  process.exit(2);
}

// npm puts node_modules/.bin on PATH; on Windows those are .cmd files, which need a shell.
const run = (cmd: string, cmdArgs: string[]) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;
const say = (text: string) => process.stderr.write(`\n${text}\n\n`);

// Ctrl+C reaches the child through the terminal; this process stays to restore the Node build.
process.on('SIGINT', () => undefined);

let status = 0;
const electron = await electronAbi(root);
try {
  await buildForElectron(root, { rebuild: await electronRebuild(root), electron });
} catch (e) {
  say((e as Error).message);
  status = 1;
}
if (status === 0) status = run(args[0]!, args.slice(1));
if (status === 0 && packaged) {
  const { checked, wrong } = checkPackaged(packaged, electron.abi);
  if (wrong.length) {
    say(`Do not ship these packages: ${MODULE} in them is not built for Electron ${electron.version}, so Leadbell would not start.\n  ${wrong.join('\n  ')}`);
    status = 1;
  } else if (!checked.length) {
    say(`Found no packaged ${MODULE} under ${packaged} to check.`);
  }
}
const restored = await restoreForNode(root, async () => {
  if (run('npm', ['rebuild', MODULE]) !== 0) throw new Error('npm rebuild failed');
}).catch((e: Error) => ({ ok: false, problem: e.message }));
if (!restored.ok) say(`Could not put back ${MODULE} for Node (${restored.problem}): run \`npm rebuild ${MODULE}\` before the tests.`);
process.exit(status || (restored.ok ? 0 : 1));
