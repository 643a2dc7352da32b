/**
 * What electron-builder and Electron read from package.json and electron-builder.yml, checked
 * with the installed electron-builder's own code where it has it:
 * - the deb target refuses to build without a project homepage (app-builder-lib's
 *   FpmTarget.computeFpmMetaInfoOptions, fed by AppInfo.computePackageUrl; this checkout has no
 *   GitHub remote to infer one from);
 * - `deb.depends` replaces the default list (FpmTarget: `customDepends = depends ?? getDefaultDepends`),
 *   so ours must still hold every default;
 * - Electron names the app from the packaged package.json's productName (lib/browser/init.ts:
 *   `app.name = packageJson.productName`), which names the data folder, and takes the Linux app id
 *   from desktopName (`app.setDesktopName(packageJson.desktopName || ...)`); electron-builder's
 *   StartupWMClass and .desktop file name follow desktopName when linux.syncDesktopName is set
 *   (LinuxTargetHelper.computeDesktopEntry / getDesktopFileName).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';
import { defaultDataDir } from '../../electron/core/config/env.js';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load: (text: string) => unknown };

interface BuilderConfig {
  productName?: string;
  linux?: { maintainer?: string; syncDesktopName?: boolean };
  deb?: { depends?: string[] };
}
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

type FpmLike = { computeFpmMetaInfoOptions(this: unknown): Promise<{ name: string; maintainer: string }>; getDefaultDepends(target: string): string[] };
const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget') as { default: { prototype: FpmLike } }).default;
const { AppInfo } = require('app-builder-lib/out/appInfo') as { AppInfo: { prototype: { computePackageUrl(this: unknown): Promise<string | null> } } };

it('gives the deb target the homepage and maintainer electron-builder insists on', async () => {
  // The objects electron-builder would hand these methods, with no repository to infer a URL from.
  const appInfo = {
    linuxPackageName: 'leadbell',
    computePackageUrl: () => AppInfo.prototype.computePackageUrl.call({ info: { metadata: pkg, repositoryInfo: Promise.resolve(null) }, notNullDevMetadata: {} }),
  };
  const target = { packager: { appInfo, info: { metadata: pkg } }, options: { ...config.linux, ...config.deb } };
  await expect(FpmTarget.prototype.computeFpmMetaInfoOptions.call(target)).resolves.toMatchObject({ maintainer: expect.stringContaining('@') });
  expect(pkg.homepage).toMatch(/^https:\/\//);
  expect(pkg.author).toMatchObject({ name: expect.any(String), email: expect.stringContaining('@') });
});

it("keeps every one of electron-builder's default deb dependencies, and adds what Electron also links", () => {
  const defaults = FpmTarget.prototype.getDefaultDepends('deb');
  expect(defaults).toContain('libgtk-3-0');
  const depends = config.deb?.depends ?? defaults;
  for (const d of defaults) expect(depends, `deb.depends keeps ${d}`).toContain(d);
  expect(depends).toContain('libgbm1');
  expect(depends.some((d) => d.split('|').map((x) => x.trim()).includes('libasound2'))).toBe(true);
});

it('names the app Leadbell in one place, the name its data folder and window class follow', () => {
  expect(pkg.productName).toBe('Leadbell');
  // A second productName in the builder config would name the installer apart from the app.
  expect(config.productName).toBeUndefined();
  expect(pkg.desktopName).toBe('leadbell.desktop');
  expect(config.linux?.syncDesktopName).toBe(true);
  // Electron's userData is <appData>/<app.name>; headless mode's folder must be the same one.
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    expect(path.basename(defaultDataDir(platform, {}, '/home/owner'))).toBe(pkg.productName);
  }
});
