/**
 * better-sqlite3 built for Electron's ABI, and proved to be, before the app runs or is packaged.
 *
 * @electron/rebuild skips a module whose build/Release/.forge-meta marker reads
 * `<platform>--<arch>--<abi>` for the target (ModuleRebuilder.alreadyBuiltByRebuild), unless
 * `force` is set; electron-builder calls it without `force` (app-builder-lib/out/util/yarn.js,
 * `rebuild`), and `npm rebuild better-sqlite3` puts Node's binary back without touching the
 * marker. So a marker can claim Electron while the binary is Node's. Here the marker is never
 * trusted: the rebuild is forced, and the binary itself is read afterwards.
 *
 * The binary says which ABI it was compiled for in the name of its entry point:
 * NODE_MODULE_INIT() exports `node_register_module_v<NODE_MODULE_VERSION>` (node.h,
 * NODE_MODULE_INITIALIZER), and Node or Electron load it only under their own number
 * (node_binding.cc, DLOpen). The name is a plain string in the export table of an ELF, Mach-O
 * or PE file alike, so a package for any platform can be checked from this one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const MODULE = 'better-sqlite3';
const BINARY = 'build/Release/better_sqlite3.node';
const MARKER = 'build/Release/.forge-meta';

/** The NODE_MODULE_VERSION a native module was compiled for, or null when it names none. */
export function binaryAbi(file: string): number | null {
  const found = /node_register_module_v(\d+)/.exec(fs.readFileSync(file).toString('latin1'));
  return found ? Number(found[1]) : null;
}

/** @electron/rebuild's marker: what it believes it last built the module for. */
export function readMarker(moduleDir: string): { platform: string; arch: string; abi: number } | null {
  const file = path.join(moduleDir, MARKER);
  if (!fs.existsSync(file)) return null;
  const [platform = '', arch = '', abi = ''] = fs.readFileSync(file, 'utf8').trim().split('--');
  return { platform, arch, abi: Number(abi) };
}

/** The ABI of the installed Electron, mapped by the node-abi that @electron/rebuild itself uses. */
export async function electronAbi(root: string): Promise<{ version: string; abi: number }> {
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  const fromRebuild = createRequire(createRequire(path.join(root, 'package.json')).resolve('@electron/rebuild'));
  const { getAbi } = (await import(pathToFileURL(fromRebuild.resolve('node-abi')).href)) as { getAbi(target: string, runtime: string): string };
  return { version, abi: Number(getAbi(version, 'electron')) };
}

export interface NativeCheck {
  ok: boolean;
  binary: number | null;
  marker: number | null;
  /** What is wrong, in words, when not ok. */
  problem: string | null;
}

/** Whether the module's binary, and its marker when there is one, are built for `abi`. */
export function checkNative(moduleDir: string, abi: number, runtime: string): NativeCheck {
  const file = path.join(moduleDir, BINARY);
  if (!fs.existsSync(file)) return { ok: false, binary: null, marker: null, problem: `${file} is missing` };
  const binary = binaryAbi(file);
  const marker = readMarker(moduleDir)?.abi ?? null;
  if (binary !== abi) {
    return { ok: false, binary, marker, problem: `${file} is built for NODE_MODULE_VERSION ${binary ?? 'unknown'}, but ${runtime} needs ${abi}` };
  }
  if (marker !== null && marker !== abi) {
    return { ok: false, binary, marker, problem: `${path.join(moduleDir, MARKER)} says NODE_MODULE_VERSION ${marker}, but the binary is built for ${abi}` };
  }
  return { ok: true, binary, marker, problem: null };
}

/** @electron/rebuild's rebuild(), narrowed to the options used here. */
export type Rebuild = (options: {
  buildPath: string;
  electronVersion: string;
  onlyModules: string[];
  force: boolean;
  mode: 'sequential';
}) => Promise<void>;

export async function electronRebuild(root: string): Promise<Rebuild> {
  const main = createRequire(path.join(root, 'package.json')).resolve('@electron/rebuild');
  const { rebuild } = (await import(pathToFileURL(main).href)) as { rebuild: Rebuild };
  return (options) => rebuild(options);
}

/**
 * Rebuilds the module for Electron and proves it: the marker is cleared first (so nothing can
 * skip on its word), the rebuild is forced, and the binary must then name Electron's ABI.
 * Throws, saying what is wrong and what to do, otherwise.
 */
export async function buildForElectron(root: string, deps: { rebuild: Rebuild; electron: { version: string; abi: number } }): Promise<NativeCheck> {
  const moduleDir = path.join(root, 'node_modules', MODULE);
  fs.rmSync(path.join(moduleDir, MARKER), { force: true });
  try {
    await deps.rebuild({ buildPath: root, electronVersion: deps.electron.version, onlyModules: [MODULE], force: true, mode: 'sequential' });
  } catch (e) {
    throw new Error(`Could not build ${MODULE} for Electron ${deps.electron.version}: ${(e as Error).message}\nIt needs Electron's headers (or a prebuilt binary) from the internet, and a C++ compiler.`);
  }
  const check = checkNative(moduleDir, deps.electron.abi, `Electron ${deps.electron.version}`);
  if (!check.ok) throw new Error(`${MODULE} is not built for Electron: ${check.problem}. Nothing was packaged; run the command again after \`npx electron-rebuild -f -o ${MODULE}\`.`);
  return check;
}

/** Node's build back for the tests, with no Electron marker left to mislead the next rebuild. */
export async function restoreForNode(root: string, npmRebuild: () => Promise<void>): Promise<NativeCheck> {
  const moduleDir = path.join(root, 'node_modules', MODULE);
  await npmRebuild();
  fs.rmSync(path.join(moduleDir, MARKER), { force: true });
  return checkNative(moduleDir, Number(process.versions.modules), `Node ${process.versions.node}`);
}

/** Every packaged copy of the module under electron-builder's output folder. */
export function packagedBinaries(outDir: string): string[] {
  if (!fs.existsSync(outDir)) return [];
  const suffix = ['app.asar.unpacked', 'node_modules', MODULE, BINARY].join('/');
  return fs
    .readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(outDir, f));
}

/** The packages electron-builder just wrote must carry Electron's build too (it rebuilds per target arch). */
export function checkPackaged(outDir: string, abi: number): { checked: string[]; wrong: string[] } {
  const checked = packagedBinaries(outDir);
  const wrong = checked.filter((f) => binaryAbi(f) !== abi).map((f) => `${f} is built for NODE_MODULE_VERSION ${binaryAbi(f) ?? 'unknown'}, not ${abi}`);
  return { checked, wrong };
}
