// Runs headless mode from source (for tests that need a real separate process).
import { runHeadless } from '../../electron/core/headless.js';

runHeadless(process.env).catch((err: Error) => {
  process.stderr.write(`Leadbell could not start: ${err.message}\n`);
  process.exit(1);
});
