/** Cores with a supervised tunnel against the loopback localtunnel server, and waiting helpers. */
import type { TunnelStatus } from '../../shared/api/models.js';
import type { SettingsPatch } from '../../shared/settings.js';
import type { CoreOptions } from '../../electron/core/app.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { SettingsStore } from '../../electron/core/storage/settings-store.js';
import type { TunnelTimings } from '../../electron/core/tunnel/supervisor-options.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import type { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';

/** Fast but proportionate timings: every mechanism runs, in seconds rather than minutes. */
export const FAST: Partial<TunnelTimings> = {
  openTimeoutMs: 2_000,
  checkIntervalMs: 300,
  checkTimeoutMs: 1_000,
  recheckMs: 100,
  failedChecksBeforeReconnect: 2,
  backoffBaseMs: 200,
  backoffMaxMs: 1_000,
  backoffJitter: 0,
  subdomainAttempts: 4,
  reclaimIntervalMs: 60_000,
  sleepGapMs: 5_000,
};

/** Writes settings into a data folder before a core starts there (as a previous run would have). */
export function seedSettings(dataDir: string, patch: SettingsPatch): void {
  const db = openDatabase(dataDir);
  try {
    new SettingsStore(db).update(patch);
  } finally {
    db.close();
  }
}

export async function startTunnelCore(
  server: FakeLocaltunnelServer,
  opts: { dataDir?: string; tunnel?: CoreOptions['tunnel']; settings?: SettingsPatch; core?: Partial<CoreOptions> } = {},
): Promise<TestCore> {
  const dataDir = opts.dataDir ?? tempDir();
  seedSettings(dataDir, { ...opts.settings, tunnel: { host: server.host, ...opts.settings?.tunnel } });
  return startTestCore({ tunnel: { timings: FAST, ...opts.tunnel }, ...opts.core }, dataDir);
}

export function tunnelOf(t: TestCore): TunnelStatus {
  return t.core.tunnel!.status();
}

/** Polls until `pred` holds; fails with the last status so a stuck state is easy to read. */
export async function waitForTunnel(t: TestCore, pred: (s: TunnelStatus) => boolean, timeoutMs = 15_000): Promise<TunnelStatus> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = tunnelOf(t);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`tunnel did not reach the expected state in ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const online = (s: TunnelStatus) => s.state === 'online';
