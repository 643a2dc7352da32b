/**
 * Runs the relay Worker locally in workerd (through miniflare): the same code that is deployed,
 * with its Durable Object on SQLite storage. Used by `npm run relay`, the tests and the benchmark.
 */
import { Miniflare } from 'miniflare';
// @ts-expect-error: a plain ES module script without type declarations
import { bundleRelay } from './relay-bundle.mjs';

export interface LocalRelayOptions {
  port?: number;
  host?: string;
  secret: string;
  /** Where the Durable Object's SQLite files live; omitted: in memory. */
  persistDir?: string;
  vars?: Record<string, string>;
  /** The Worker module to run (default: relay/src, bundled now). */
  script?: string;
}

export interface LocalRelay {
  url: string;
  close(): Promise<void>;
}

export async function startLocalRelay(o: LocalRelayOptions): Promise<LocalRelay> {
  const script = o.script ?? ((await bundleRelay(undefined)) as string);
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-04-01',
    durableObjects: { QUEUE: { className: 'RelayQueue', useSQLite: true } },
    durableObjectsPersist: o.persistDir ?? false,
    bindings: { RELAY_SECRET: o.secret, ...o.vars },
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  return { url, close: () => mf.dispose() };
}
