/**
 * Native code cannot load from inside the asar archive. electron-builder's `asarUnpack` must
 * cover the native file of every platform package the ngrok SDK can pick, and of better-sqlite3;
 * the bundler must leave the SDK out of the bundle so it still finds its per-platform package.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// js-yaml ships with electron-builder, which reads this very file with it.
const yaml = require('js-yaml') as { load: (text: string) => unknown };

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { asarUnpack?: string[]; asar?: boolean };
const unpacked = (file: string) => (config.asarUnpack ?? []).some((pattern) => minimatch(file, pattern, { dot: true }));

it('packs into an asar (so unpacking matters) and unpacks every ngrok platform build', () => {
  expect(config.asar).not.toBe(false);
  const sdk = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@ngrok/ngrok/package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>;
  };
  const platforms = Object.keys(sdk.optionalDependencies);
  expect(platforms.length).toBeGreaterThan(5);
  for (const pkg of platforms) {
    // @ngrok/ngrok-linux-x64-gnu ships ngrok.linux-x64-gnu.node; the SDK also looks beside itself.
    const file = `ngrok.${pkg.replace('@ngrok/ngrok-', '')}.node`;
    expect(unpacked(`node_modules/${pkg}/${file}`), `${pkg}/${file} is unpacked`).toBe(true);
    expect(unpacked(`node_modules/@ngrok/ngrok/${file}`), `@ngrok/ngrok/${file} is unpacked`).toBe(true);
  }
});

it('unpacks the native files actually installed here', () => {
  const natives = [
    ...fs.readdirSync(path.join(root, 'node_modules/@ngrok'), { recursive: true, encoding: 'utf8' }).map((f) => `node_modules/@ngrok/${f}`),
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  ].filter((f) => f.endsWith('.node'));
  expect(natives.some((f) => f.includes('@ngrok/'))).toBe(true);
  for (const f of natives) expect(unpacked(f.split(path.sep).join('/')), `${f} is unpacked`).toBe(true);
});

it('keeps the SDK out of the bundle', () => {
  const script = fs.readFileSync(path.join(root, 'scripts/build-node.mjs'), 'utf8');
  const external = /external:\s*\[([^\]]*)\]/.exec(script)?.[1] ?? '';
  expect(external).toContain("'@ngrok/ngrok'");
});
