/**
 * A headless core in its own process (for the crash test and the engine benchmark): started with
 * a data folder, secrets, a settings patch, and optionally vendor rates (as JSON in
 * CORE_PROCESS_CONFIG), it prints its receiver port as one JSON line on stdout and runs until it
 * is killed.
 */
import { startAdminServer } from '../../electron/core/admin/admin-server.js';
import { createCore } from '../../electron/core/app.js';
import { createLogger } from '../../electron/core/log/logger.js';
import type { RatePolicy, Vendor } from '../../electron/core/outbound/rate-limiter.js';
import type { SettingsPatch } from '../../shared/settings.js';

export interface CoreProcessConfig {
  dataDir: string;
  secrets: Record<string, string>;
  settings: SettingsPatch;
  rateLimits?: Partial<Record<Vendor, RatePolicy>>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** When given, the admin API is served too (its port printed as adminPort), for tests that act as the owner. */
  adminToken?: string;
}

const config = JSON.parse(process.env.CORE_PROCESS_CONFIG ?? '{}') as CoreProcessConfig;
const core = await createCore({
  dataDir: config.dataDir,
  mode: 'headless',
  listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
  secretEnv: config.secrets,
  integrations: { rateLimits: config.rateLimits },
  log: createLogger({ level: config.logLevel ?? 'info', write: (line) => process.stderr.write(`${line}\n`) }),
});
core.stores.settings.update(config.settings);
const admin = config.adminToken ? await startAdminServer({ handlers: core.handlers, live: core.live, token: config.adminToken, port: 0, log: core.log }) : null;
process.stdout.write(`${JSON.stringify({ port: core.receiver.port, adminPort: admin?.port ?? null })}\n`);
process.once('SIGTERM', () => void core.stop().then(() => process.exit(0)));
