/**
 * `npm start` / `npm run dist` build better-sqlite3 for Electron and prove it (scripts/native-abi.ts).
 * Each test works on a copy of the installed module in a temporary project: the real node_modules
 * stays Node's build. Electron's headers and prebuilt binaries come from outside the npm registry,
 * so the Electron build itself is played by a stand-in rebuild that writes what a successful one
 * would (a binary exporting node_register_module_v<Electron's ABI>, and the marker); the skip it
 * guards against is reproduced with the real @electron/rebuild, called as electron-builder calls it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binaryAbi,
  buildForElectron,
  checkNative,
  checkPackaged,
  electronAbi,
  electronRebuild,
  readMarker,
  restoreForNode,
  type Rebuild,
} from '../../scripts/native-abi.js';
import { tempDir } from '../helpers/core.js';

const root = path.resolve(import.meta.dirname, '../..');
const installed = path.join(root, 'node_modules/better-sqlite3');
const NODE_ABI = Number(process.versions.modules);

/** A project holding a copy of better-sqlite3 as installed (Node's build), as electron-builder sees the app. */
function project(): { dir: string; moduleDir: string; binary: string; marker: string } {
  const dir = tempDir('leadbell-native-');
  const moduleDir = path.join(dir, 'node_modules/better-sqlite3');
  fs.mkdirSync(path.join(moduleDir, 'build/Release'), { recursive: true });
  for (const f of ['package.json', 'binding.gyp', 'build/Release/better_sqlite3.node']) fs.copyFileSync(path.join(installed, f), path.join(moduleDir, f));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'better-sqlite3': '*' } }));
  return { dir, moduleDir, binary: path.join(moduleDir, 'build/Release/better_sqlite3.node'), marker: path.join(moduleDir, 'build/Release/.forge-meta') };
}

/** What a successful Electron build leaves: a binary registering Electron's ABI, and the marker. */
function standInElectronBuild(p: ReturnType<typeof project>, abi: number): Rebuild {
  return async () => {
    fs.writeFileSync(p.binary, Buffer.concat([Buffer.from('\x7fELF stand-in '), Buffer.from(`node_register_module_v${abi}\0`)]));
    fs.writeFileSync(p.marker, `${process.platform}--${process.arch}--${abi}`);
  };
}

describe('better-sqlite3 for Electron', () => {
  it("reads a binary's ABI from its entry point: the installed module is Node's", async () => {
    expect(binaryAbi(path.join(installed, 'build/Release/better_sqlite3.node'))).toBe(NODE_ABI);
    const electron = await electronAbi(root);
    expect(electron.version).toMatch(/^45\./);
    // Electron 45 is Node 22 with its own ABI number, never Node 20's.
    expect(electron.abi).toBeGreaterThan(NODE_ABI);
    expect(typeof (await electronRebuild(root))).toBe('function');
  });

  it('electron-builder\'s rebuild (not forced) skips a module whose stale marker claims Electron: the Node build would ship', async () => {
    const p = project();
    const electron = await electronAbi(root);
    fs.writeFileSync(p.marker, `${process.platform}--${process.arch}--${electron.abi}`);
    const { rebuild } = (await import('@electron/rebuild')) as unknown as {
      rebuild(o: object): Promise<void> & { lifecycle: { on(e: string, l: (m: string) => void): void } };
    };
    // app-builder-lib/out/util/yarn.js, rebuild(): these options, no `force`.
    const run = rebuild({ buildPath: p.dir, electronVersion: electron.version, arch: process.arch, platform: process.platform, mode: 'sequential', disablePreGypCopy: true, projectRootPath: p.dir });
    const skipped: string[] = [];
    run.lifecycle.on('module-skip', (m) => skipped.push(m));
    await run;
    expect(skipped).toEqual(['better-sqlite3']);
    expect(binaryAbi(p.binary)).toBe(NODE_ABI);
    // The check sees through the marker.
    expect(checkNative(p.moduleDir, electron.abi, 'Electron')).toMatchObject({ ok: false, binary: NODE_ABI, marker: electron.abi });
  });

  it('the pre-step clears the stale marker and forces the rebuild, leaving a marker and a binary for Electron', async () => {
    const p = project();
    const electron = await electronAbi(root);
    fs.writeFileSync(p.marker, `${process.platform}--${process.arch}--${electron.abi}`);
    const calls: { options: Parameters<Rebuild>[0]; markerBefore: boolean }[] = [];
    const build = standInElectronBuild(p, electron.abi);
    const rebuild: Rebuild = async (options) => {
      calls.push({ options, markerBefore: fs.existsSync(p.marker) });
      await build(options);
    };
    const check = await buildForElectron(p.dir, { rebuild, electron });
    expect(calls).toEqual([{ options: { buildPath: p.dir, electronVersion: electron.version, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' }, markerBefore: false }]);
    expect(check).toEqual({ ok: true, binary: electron.abi, marker: electron.abi, problem: null });
    expect(readMarker(p.moduleDir)).toEqual({ platform: process.platform, arch: process.arch, abi: electron.abi });
  });

  it('refuses to go on when the rebuild leaves Node\'s binary, or cannot build at all, and says why', async () => {
    const electron = await electronAbi(root);
    const p = project();
    await expect(buildForElectron(p.dir, { rebuild: async () => undefined, electron })).rejects.toThrow(
      `better-sqlite3 is not built for Electron: ${p.binary} is built for NODE_MODULE_VERSION ${NODE_ABI}, but Electron ${electron.version} needs ${electron.abi}. Nothing was packaged`,
    );
    // Offline, the forced @electron/rebuild fails fetching Electron's headers: said with what it needs.
    const q = project();
    const failing: Rebuild = async () => {
      throw new Error("node-gyp failed to rebuild 'better-sqlite3'");
    };
    await expect(buildForElectron(q.dir, { rebuild: failing, electron })).rejects.toThrow(/Could not build better-sqlite3 for Electron 45\.[\d.]+: node-gyp failed.*\n.*headers/);
  });

  it("restoring Node's build leaves no Electron marker behind, so the next rebuild cannot skip", async () => {
    const p = project();
    const electron = await electronAbi(root);
    await standInElectronBuild(p, electron.abi)({ buildPath: p.dir, electronVersion: electron.version, onlyModules: [], force: true, mode: 'sequential' });
    // `npm rebuild better-sqlite3` writes Node's binary and leaves the marker alone.
    const npmRebuild = async () => fs.copyFileSync(path.join(installed, 'build/Release/better_sqlite3.node'), p.binary);
    const check = await restoreForNode(p.dir, npmRebuild);
    expect(check).toEqual({ ok: true, binary: NODE_ABI, marker: null, problem: null });
    expect(fs.existsSync(p.marker)).toBe(false);
  });

  it("names every package in electron-builder's output that carries the wrong build", async () => {
    const electron = await electronAbi(root);
    const out = tempDir('leadbell-release-');
    const place = (unpacked: string, abi: number) => {
      const file = path.join(out, unpacked, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `node_register_module_v${abi}\0`);
      return file;
    };
    place('linux-unpacked/resources', electron.abi);
    const mac = place('mac-arm64/Leadbell.app/Contents/Resources', NODE_ABI);
    const result = checkPackaged(out, electron.abi);
    expect(result.checked).toHaveLength(2);
    expect(result.wrong).toEqual([`${mac} is built for NODE_MODULE_VERSION ${NODE_ABI}, not ${electron.abi}`]);
  });
});
