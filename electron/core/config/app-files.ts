/**
 * Every file the app reads at run time, found from the folder its bundled code runs in:
 * dist/electron in a checkout, <resources>/app.asar/dist/electron once installed. Never from the
 * working directory, which is wherever the app was launched from. electron-builder's `files` and
 * `extraResources` must carry each of them (test/packaging/runtime-files.test.ts checks).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Inside the app (the asar), relative to the bundle folder. */
export const APP_FILES = {
  /** The built UI (a folder; index.html is its entry). */
  ui: '../renderer',
  preload: 'preload.cjs',
  /** The relay Worker's code, uploaded to Cloudflare by "Deploy". */
  relayWorker: '../relay/worker.js',
} as const;

/** Beside the app (extraResources), relative to the resources folder once installed. */
export const RESOURCE_FILES = {
  /** Holds icon.png and tray/<state>.png. */
  icons: 'icons',
} as const;

/** The app's icon inside the icons folder (window and notifications); tray images: shell/tray.ts. */
export const APP_ICON = 'icon.png';

/** In a checkout the icons are read where they are made (build/), two levels above the bundle. */
export const CHECKOUT_ICONS = '../../build';

export type AppFiles = Record<keyof typeof APP_FILES, string>;

export function appFiles(bundleDir: string): AppFiles {
  return Object.fromEntries(Object.entries(APP_FILES).map(([k, rel]) => [k, path.join(bundleDir, rel)])) as AppFiles;
}

/** The icons folder: `resourcesDir` when installed (process.resourcesPath), else the checkout's. */
export function iconsDir(bundleDir: string, resourcesDir: string | null): string {
  return resourcesDir ? path.join(resourcesDir, RESOURCE_FILES.icons) : path.join(bundleDir, CHECKOUT_ICONS);
}

/** The relay Worker's code, read when a deploy needs it, with what to do when it is missing. */
export function relayWorkerScript(file: string): () => Promise<string> {
  return async () => {
    if (!fs.existsSync(file)) throw new Error(`the relay Worker is not built: ${file} is missing (npm run build:relay, or reinstall Leadbell)`);
    return fs.promises.readFile(file, 'utf8');
  };
}
