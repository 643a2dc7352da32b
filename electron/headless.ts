/** `npm run serve`: headless mode, serving the UI built next to this bundle. */
import { appFiles } from './core/config/app-files.js';
import { runHeadless } from './core/headless.js';

runHeadless(process.env, appFiles(__dirname)).catch((err: Error) => {
  process.stderr.write(`Leadbell could not start: ${err.message}\n`);
  process.exit(1);
});
