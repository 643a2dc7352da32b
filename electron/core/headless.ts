/**
 * Headless mode: the same core as a Node service, with the admin API and the built UI on
 * loopback. Configured by environment variables (see README), stopped cleanly by SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { startCoreHost } from './core-host.js';
import { startAdminServer } from './admin/admin-server.js';
import { relayWorkerScript, type AppFiles } from './config/app-files.js';
import { defaultDataDir, envOverrides, listenFromEnv, parseEnv, secretsFromEnv } from './config/env.js';
import { choosePort, describeMoves } from './config/ports.js';
import { settleDataDir } from './config/data-dir.js';
import { createLogger } from './log/logger.js';

/** Starts headless mode; `files` are the built UI and relay Worker (omitted: API only, no relay deploy). */
export async function runHeadless(env: NodeJS.ProcessEnv, files?: Pick<AppFiles, 'ui' | 'relayWorker'>) {
  const config = parseEnv(env);
  const log = createLogger({ level: config.LEADBELL_LOG_LEVEL });
  const token = config.LEADBELL_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  log.addSecret(token);
  const settled = config.LEADBELL_DATA_DIR ? { dir: config.LEADBELL_DATA_DIR, note: null } : settleDataDir(defaultDataDir());
  const dataDir = settled.dir;
  const host = await startCoreHost({
    dataDir,
    mode: 'headless',
    listen: listenFromEnv(env, config),
    secretEnv: secretsFromEnv(env),
    settingsOverride: envOverrides(config),
    log,
    // Ids only: a title names the lead, and this log goes to the terminal or the system journal.
    notify: (n, how) => log.info('notification', { kind: n.kind, notification_id: n.id, lead_id: n.lead_id, sound: how.sound }),
    tunnel: {},
    relay: files && { script: relayWorkerScript(files.relayWorker) },
    startupNotices: settled.note ? [{ title: 'Leadbell data folder', body: settled.note }] : [],
  });
  const adminPort = await choosePort({ role: 'admin', host: '127.0.0.1', port: config.LEADBELL_ADMIN_PORT, fixed: (env.LEADBELL_ADMIN_PORT ?? '').trim() !== '' }).catch(
    async (e: Error) => {
      await host.stop();
      throw e;
    },
  );
  const admin = await startAdminServer({ handlers: host.handlers, live: host.live, token, port: adminPort.port, uiDir: files?.ui, log });
  const status = await host.handlers.getStatus({});
  const moved = [settled.note, status.receiver.port_notice, adminPort.moved && describeMoves([adminPort.moved], '127.0.0.1')].filter(Boolean);
  // The link carries the token: printed to the terminal for the owner, never into the log stream.
  process.stderr.write(
    `\nLeadbell is running.\n  Open the UI:   http://127.0.0.1:${admin.port}/?token=${encodeURIComponent(token)}\n` +
      `  Webhooks:      http://${config.LEADBELL_HOST}:${host.core.receiver.port}/api/webhooks/<endpoint>\n  Data folder:   ${dataDir}\n` +
      moved.map((m) => `  Note:          ${m}\n`).join('') +
      '\n',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    await admin.close();
    await host.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return { host, admin, token };
}
