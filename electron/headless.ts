/** `npm run serve`: headless mode, serving the UI built next to this bundle. */
import path from 'node:path';
import { runHeadless } from './core/headless.js';

runHeadless(process.env, path.join(__dirname, '..', 'renderer')).catch((err: Error) => {
  process.stderr.write(`Leadbell could not start: ${err.message}\n`);
  process.exit(1);
});
