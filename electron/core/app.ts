/**
 * Wires the core: storage, receiver, API handlers and live updates. Used by both the Electron
 * shell and headless mode; never imports electron.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract.js';
import type { Notification, Status, TunnelStatus } from '../../shared/api/models.js';
import type { Settings } from '../../shared/settings.js';
import { ApiError } from './api/api-error.js';
import { coreHandlers } from './api/core-handlers.js';
import { LiveBus } from './api/live-bus.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { startReceiver, storageMessage, type Receiver } from './ingest/receiver.js';
import { silentLogger, type Logger } from './log/logger.js';
import { keyFileCipher, type SecretCipher } from './secrets/cipher.js';
import { SecretStore } from './secrets/secret-store.js';
import { DB_FILE, openDatabase, openIngestConnection, type Db } from './storage/database.js';
import { EventStore } from './storage/event-store.js';
import { InboxStore } from './storage/inbox-store.js';
import { LeadStore } from './storage/lead-store.js';
import { SettingsStore } from './storage/settings-store.js';

export const VERSION = '0.1.0';

export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  listen: { host: string; port: number; tunnelPort: number };
  cipher?: SecretCipher;
  /** Secrets given by environment variables (headless mode). */
  secretEnv?: Record<string, string>;
  /** Environment overrides of settings, and their names. */
  settingsOverride?: { apply: (s: Settings) => Settings; names: string[] };
  log?: Logger;
  /** Desktop notifications (tray in Electron, the UI in headless mode). */
  notify?: (n: Notification) => void;
}

export interface Core {
  db: Db;
  handlers: ApiHandlers;
  live: LiveBus;
  receiver: Receiver;
  stores: { inbox: InboxStore; events: EventStore; leads: LeadStore; settings: SettingsStore; secrets: SecretStore };
  log: Logger;
  stop(): Promise<void>;
}

const DISABLED_TUNNEL: TunnelStatus = {
  state: 'disabled',
  provider: 'localtunnel',
  url: null,
  requested_subdomain: null,
  last_check_at: null,
  last_ok_at: null,
  last_error: null,
  reconnects: 0,
  url_changed: false,
};

const notYet = (what: string) => async (): Promise<never> => {
  throw new ApiError('unavailable', `${what} is not available in this build`);
};

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? silentLogger;
  const startedAt = new Date().toISOString();
  const db = openDatabase(opts.dataDir);
  const inbox = new InboxStore(db);
  const events = new EventStore(db);
  const leads = new LeadStore(db);
  const settings = new SettingsStore(db, opts.settingsOverride?.apply);
  const cipher = opts.cipher ?? keyFileCipher(opts.dataDir);
  const secrets = new SecretStore(db, cipher, opts.secretEnv ?? {}, log);
  const live = new LiveBus();
  const writer = new IngestWriter(openIngestConnection(opts.dataDir), opts.dataDir);
  const testFireNonce = randomBytes(24).toString('hex');
  let storageError: string | null = null;

  const receiver = await startReceiver(
    {
      settings,
      secrets,
      writer,
      log: log.child({ component: 'receiver' }),
      testFireNonce,
      instanceId: randomUUID(),
      onStorageResult: (err) => {
        const next = err ? storageMessage(err) : null;
        if (next !== storageError) {
          storageError = next;
          live.publish({ topic: 'status' });
        }
      },
    },
    opts.listen,
  );

  writer.onCommitted((stored) => {
    for (const e of stored) live.publish({ topic: 'event', id: e.id });
    live.publish({ topic: 'request' });
  });

  const directHost = opts.listen.host === '0.0.0.0' || opts.listen.host === '::' ? '127.0.0.1' : opts.listen.host;
  const directBaseUrl = `http://${directHost.includes(':') ? `[${directHost}]` : directHost}:${receiver.port}`;
  const tunnelStatus = (): TunnelStatus => DISABLED_TUNNEL;

  const status = (): Status => {
    const s = settings.get();
    const t = tunnelStatus();
    return {
      version: VERSION,
      mode: opts.mode,
      data_dir: opts.dataDir,
      started_at: startedAt,
      receiver: {
        host: opts.listen.host,
        port: receiver.port,
        tunnel_port: receiver.tunnelPort,
        paused: s.receiver.paused,
        public_base_url: t.state === 'online' && t.url ? t.url : directBaseUrl,
      },
      storage: { ok: storageError === null, error: storageError, path: path.join(opts.dataDir, DB_FILE) },
      tunnel: t,
      secret_backend: { name: cipher.backend, secure: cipher.secure, warning: cipher.warning },
      env_overrides: opts.settingsOverride?.names ?? [],
    };
  };

  const handlers: ApiHandlers = {
    ...coreHandlers({
      db,
      dataDir: opts.dataDir,
      inbox,
      events,
      leads,
      settings,
      secrets,
      live,
      status,
      fire: {
        directBaseUrl,
        publicBaseUrl: () => {
          const t = tunnelStatus();
          return t.state === 'online' ? t.url : null;
        },
        testFireNonce,
      },
      runsForLead: () => [],
    }),
    replayEvent: notYet('Replaying events'),
    listRuns: notYet('Flow runs'),
    getRun: notYet('Flow runs'),
    retryStep: notYet('Step retry'),
    listTriggers: notYet('Triggers'),
    saveTrigger: notYet('Triggers'),
    deleteTrigger: notYet('Triggers'),
    dryRunTrigger: notYet('Trigger dry runs'),
    listFlows: notYet('Flows'),
    listNotifications: notYet('Notifications'),
    testIntegration: notYet('Integration tests'),
    restartTunnel: notYet('The tunnel'),
  };

  let stopped = false;
  return {
    db,
    handlers,
    live,
    receiver,
    stores: { inbox, events, leads, settings, secrets },
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await receiver.close();
      await writer.close();
      db.close();
    },
  };
}
