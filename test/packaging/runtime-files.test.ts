/**
 * Every file the app reads at run time must be in the package: inside the app (electron-builder's
 * `files`, matched here with electron-builder's own FileMatcher, app-builder-lib/out/fileMatcher.js)
 * or beside it (`extraResources`, copied from `from` to <resources>/`to`). The list of those files
 * is electron/core/config/app-files.ts and the tray's image names; the last test keeps it the only
 * place that resolves a path against the bundle, the resources folder or the working directory.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { APP_ICON, appFiles, iconsDir } from '../../electron/core/config/app-files.js';
import { TRAY_STATES, trayIconFile } from '../../electron/shell/tray.js';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load: (text: string) => unknown };
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  extraResources: { from: string; to: string }[];
};
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };

type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean;
const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => { createFilter(): Filter };
};
const packaged: Filter = new FileMatcher(root, '/', (s) => s, config.files).createFilter();
const inApp = (rel: string) => packaged(path.join(root, rel), { isDirectory: () => false });

/** The bundle runs from dist/electron in a checkout and inside the asar alike. */
const bundleDir = path.join(root, 'dist/electron');
const appRelative = (file: string) => path.relative(root, file).split(path.sep).join('/');

it('packs the main script and every file the bundle reads (the relay Worker included)', () => {
  const files = appFiles(bundleDir);
  const needed = [pkg.main, appRelative(files.preload), appRelative(files.relayWorker), `${appRelative(files.ui)}/index.html`, `${appRelative(files.ui)}/assets/index.js`];
  expect(needed).toContain('dist/relay/worker.js');
  for (const rel of needed) expect(inApp(rel), `${rel} is in the package`).toBe(true);
  // The matcher is not a yes-to-everything.
  expect(inApp('dist/electron/main.cjs.map')).toBe(false);
  expect(inApp('test/shell/desktop.test.ts')).toBe(false);
});

it('builds each of those files where the bundle looks for it', () => {
  const files = appFiles(bundleDir);
  expect(fs.readFileSync(path.join(root, 'scripts/relay-bundle.mjs'), 'utf8')).toContain(`'${appRelative(files.relayWorker)}'`);
  expect(fs.readFileSync(path.join(root, 'scripts/build-node.mjs'), 'utf8')).toContain(`'${appRelative(files.preload)}'`);
  expect(fs.readFileSync(path.join(root, 'vite.config.ts'), 'utf8')).toContain(`'../${appRelative(files.ui)}'`);
});

it('copies every icon the shell shows beside the app, for each platform, from files that exist', () => {
  const resources = '/opt/Leadbell/resources';
  const icons = path.relative(resources, iconsDir(bundleDir, resources)).split(path.sep).join('/');
  const needed = [APP_ICON];
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    for (const state of TRAY_STATES) {
      const file = trayIconFile(state, platform);
      // Electron picks the @2x file beside it on high-density screens.
      needed.push(file, file.replace(/\.png$/, '@2x.png'));
    }
  }
  expect(needed).toContain('tray/onlineTemplate.png');
  for (const name of needed) {
    const rel = `${icons}/${name}`;
    const source = config.extraResources
      .map((r) => (rel === r.to ? r.from : rel.startsWith(`${r.to}/`) ? path.join(r.from, rel.slice(r.to.length + 1)) : null))
      .find((from) => from !== null);
    expect(source, `${rel} is an extraResource`).toBeDefined();
    expect(fs.existsSync(path.join(root, source!)), `${source} exists`).toBe(true);
    // In a checkout the same names are read from the build folder.
    expect(fs.existsSync(path.join(iconsDir(bundleDir, null), name)), `build/${name} exists`).toBe(true);
  }
});

it('resolves run-time paths in one place: no working directory, no bundle or resources path elsewhere', () => {
  const sources = fs
    .readdirSync(path.join(root, 'electron'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('electron', f).split(path.sep).join('/'));
  const offending: string[] = [];
  for (const file of sources) {
    if (file === 'electron/core/config/app-files.ts') continue;
    fs.readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim().startsWith('//') || line.trim().startsWith('*')) return;
        const resolves = /__dirname|import\.meta\.(dirname|url)|process\.resourcesPath|process\.cwd\(\)|path\.resolve\(['"]/.test(line);
        // The two entries hand their own folder to app-files.ts, and only that.
        const handsOver = /appFiles\(__dirname\)|iconsDir\(__dirname, app\.isPackaged \? process\.resourcesPath : null\)/.test(line);
        if (resolves && !handsOver) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offending).toEqual([]);
});
