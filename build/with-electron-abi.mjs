// Runs a command (the app, or the packager) with better-sqlite3 built for Electron's ABI, then
// rebuilds it for Node whatever happened, so the tests under Node keep working afterwards.
// Usage: node build/with-electron-abi.mjs [--rebuild] <command> [args...]
//   --rebuild  rebuild for Electron first (electron-builder does its own rebuild, `electron .` does not)
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const rebuildFirst = args[0] === '--rebuild';
const command = rebuildFirst ? args.slice(1) : args;
if (!command.length) {
  process.stderr.write('usage: node build/with-electron-abi.mjs [--rebuild] <command> [args...]\n');
  process.exit(2);
}

// npm puts node_modules/.bin on PATH; on Windows those are .cmd files, which need a shell.
const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

// Ctrl+C reaches the child through the terminal; this process stays to restore the Node build.
process.on('SIGINT', () => undefined);

let status = rebuildFirst ? run('electron-rebuild', ['-f', '-o', 'better-sqlite3']) : 0;
if (status === 0) status = run(command[0], command.slice(1));
const restored = run('npm', ['rebuild', 'better-sqlite3']);
if (restored !== 0) process.stderr.write('Could not rebuild better-sqlite3 for Node: run `npm rebuild better-sqlite3` before the tests.\n');
process.exit(status || restored);
