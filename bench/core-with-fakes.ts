/**
 * A headless core in its own process, pointed at instant vendor fakes with every rate limit
 * lifted (the receiver's per-sender limit, the clients' and the fakes'), for benchmarks that
 * measure Leadbell rather than the vendors' pacing.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { VENDORS, type RatePolicy, type Vendor } from '../electron/core/outbound/rate-limiter.js';
import { DB_FILE } from '../electron/core/storage/database.js';
import { fakesConfig, startCoreProcess } from '../test/engine/core-process-client.js';
import { startFakes } from '../test/fakes/vendors.js';
import { tempDir } from './lib.js';

const UNLIMITED: RatePolicy = { limit: 1_000_000, windowMs: 1_000 };

/** `limits` puts a vendor back on a real policy (its fake and its client alike). */
export async function startCoreWithFakes(prefix: string, limits: Partial<Record<Vendor, RatePolicy>> = {}) {
  const fakes = await startFakes({ loops: UNLIMITED, discord: UNLIMITED, slack: UNLIMITED, notion: UNLIMITED, meta: UNLIMITED, ...limits });
  const dataDir = tempDir(prefix);
  const config = fakesConfig(fakes, dataDir);
  const core = await startCoreProcess({
    ...config,
    // The receiver's per-sender limit would otherwise refuse the load generator.
    settings: { ...config.settings, receiver: { rate_limit_per_minute: 0 } },
    rateLimits: Object.fromEntries(VENDORS.map((v) => [v, limits[v] ?? UNLIMITED])) as Record<Vendor, RatePolicy>,
    logLevel: 'warn',
  });
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  return { fakes, dataDir, core, db };
}
