// Bundles the relay Worker (relay/src) into one ES module: what `npm run relay`, the tests and
// the Cloudflare upload run. `cloudflare:*` modules are provided by the Workers runtime.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {string | undefined} outfile written when given; the code is returned either way
 * @param {string} [entry] another entry module (tests wrap the Worker with fakes of the platform)
 */
export async function bundleRelay(outfile, entry = path.join(root, 'relay/src/worker.ts')) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['cloudflare:*'],
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  if (outfile) {
    const fs = await import('node:fs');
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(outfile, code);
  }
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleRelay(path.join(root, 'dist/relay/worker.js'));
}
