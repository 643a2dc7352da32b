// Bundles the main-process code (headless service, Electron main and preload) with esbuild.
// Native and Electron modules stay external; the preload is one CommonJS file (sandboxed preloads cannot require).
import { build } from 'esbuild';
import fs from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // @ngrok/ngrok loads its native agent from a per-platform package next to it: never bundled.
  external: ['electron', 'better-sqlite3', 'localtunnel', '@ngrok/ngrok'],
  logLevel: 'warning',
  // import() becomes require(): Electron loads CommonJS from inside the asar, and the ngrok SDK is CommonJS.
  supported: { 'dynamic-import': false },
};

const entries = [
  { in: 'electron/headless.ts', out: 'dist/electron/headless.cjs' },
  { in: 'electron/main.ts', out: 'dist/electron/main.cjs' },
  { in: 'electron/preload.ts', out: 'dist/electron/preload.cjs' },
];

for (const e of entries) {
  if (!fs.existsSync(e.in)) continue;
  await build({ ...common, entryPoints: [e.in], outfile: e.out });
}
