/** `npm run serve`: headless mode, serving the UI built next to this bundle; `restore <file>` restores a backup. */
import { appFiles } from './core/config/app-files.js';
import { restoreCli } from './core/cli/restore.js';
import { runHeadless } from './core/headless.js';

if (process.argv[2] === 'restore') {
  restoreCli(process.argv.slice(3), { env: process.env, stdin: process.stdin, out: process.stdout, err: process.stderr }).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`The backup could not be restored: ${err.message}\n`);
      process.exit(1);
    },
  );
} else {
  runHeadless(process.env, appFiles(__dirname)).catch((err: Error) => {
    process.stderr.write(`Leadbell could not start: ${err.message}\n`);
    process.exit(1);
  });
}
