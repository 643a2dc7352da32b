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
import { createEngine, type Engine, type EngineOptions } from './engine.js';
import { Pressure } from './scheduling/pressure.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { createIntegrations, type IntegrationsDeps } from './integrations/registry.js';
import { startReceiver, storageMessage, type Receiver } from './ingest/receiver.js';
import { silentLogger, type Logger } from './log/logger.js';
import { keyFileCipher, type SecretCipher } from './secrets/cipher.js';
import { SecretStore } from './secrets/secret-store.js';
import { DB_FILE, openDatabase, openIngestConnection, type Db } from './storage/database.js';
import { EventStore } from './storage/event-store.js';
import { InboxStore } from './storage/inbox-store.js';
import { LeadStore } from './storage/lead-store.js';
import { SettingsStore } from './storage/settings-store.js';
import { validateIntegrationOptions } from './integrations/options.js';
import { announceUrlChange } from './tunnel/announce.js';
import { localtunnelProvider } from './tunnel/localtunnel-provider.js';
import { disabledTunnelStatus, TunnelSupervisor, type TunnelOptions } from './tunnel/supervisor.js';

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
  /** The automation engine's clock, pool size and retry limit (tests and benchmarks). */
  engine?: EngineOptions;
  /** Outbound call timeout and vendor rates (tests and benchmarks pair them with their fakes). */
  integrations?: Pick<IntegrationsDeps, 'timeoutMs' | 'rateLimits' | 'limiters'>;
  /**
   * The public tunnel, run as the tunnel settings say. Given by the desktop shell and headless
   * mode; without it (embedded uses such as tests) no tunnel is ever opened.
   */
  tunnel?: TunnelOptions;
}

export interface Core {
  db: Db;
  handlers: ApiHandlers;
  live: LiveBus;
  receiver: Receiver;
  engine: Engine;
  /** Null when the embedder did not ask for a tunnel. reconnectNow() on wake from sleep. */
  tunnel: TunnelSupervisor | null;
  stores: { inbox: InboxStore; events: EventStore; leads: LeadStore; settings: SettingsStore; secrets: SecretStore };
  log: Logger;
  stop(): Promise<void>;
}


export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? silentLogger;
  const startedAt = new Date().toISOString();
  const db = openDatabase(opts.dataDir);
  const inbox = new InboxStore(db);
  const events = new EventStore(db);
  const leads = new LeadStore(db);
  const settings = new SettingsStore(db, opts.settingsOverride?.apply);
  settings.addValidator(validateIntegrationOptions);
  const cipher = opts.cipher ?? keyFileCipher(opts.dataDir);
  const secrets = new SecretStore(db, cipher, opts.secretEnv ?? {}, log);
  const live = new LiveBus();
  const writer = new IngestWriter(openIngestConnection(opts.dataDir), opts.dataDir);
  const testFireNonce = randomBytes(24).toString('hex');
  let storageError: string | null = null;
  const pressure = new Pressure();
  const engine = createEngine(
    {
      dataDir: opts.dataDir,
      settings,
      live,
      log,
      integrations: createIntegrations({ ...opts.integrations, secrets, settings, log }),
      notify: opts.notify,
      slice: () => pressure.slice(),
      emit: (event) => writer.write({ event }),
    },
    opts.engine,
  );

  const instanceId = randomUUID();
  const receiver = await startReceiver(
    {
      settings,
      secrets,
      writer,
      log: log.child({ component: 'receiver' }),
      testFireNonce,
      instanceId,
      pressure,
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
    engine.dispatch(stored);
  });

  const directHost = opts.listen.host === '0.0.0.0' || opts.listen.host === '::' ? '127.0.0.1' : opts.listen.host;
  const directBaseUrl = `http://${directHost.includes(':') ? `[${directHost}]` : directHost}:${receiver.port}`;
  const tunnelProvider = opts.tunnel?.provider ?? localtunnelProvider;
  const tunnel = opts.tunnel
    ? new TunnelSupervisor({
        ...opts.tunnel,
        provider: tunnelProvider,
        settings,
        port: receiver.tunnelPort,
        instanceId,
        log: log.child({ component: 'tunnel' }),
        onStatus: () => live.publish({ topic: 'status' }),
        onUrlChanged: (change) =>
          announceUrlChange(change, {
            provider: tunnelProvider.name,
            emit: (event) => writer.write({ event }),
            notify: (n, at) => engine.notifier.show(engine.notifier.record(n, at)),
            log,
          }),
      })
    : null;
  const tunnelStatus = (): TunnelStatus => tunnel?.status() ?? disabledTunnelStatus(tunnelProvider.name);

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

  const base = coreHandlers({
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
    runsForLead: engine.runsForLead,
  });
  const handlers: ApiHandlers = {
    ...base,
    updateSettings: engine.checkedSettingsUpdate(base.updateSettings),
    ...engine.handlers,
    restartTunnel: async () => {
      if (!tunnel?.reconnectNow('requested by the owner')) throw new ApiError('conflict', 'the tunnel is turned off: turn it on in Settings first');
      return { ok: true as const };
    },
  };

  tunnel?.start();
  engine.start();
  let stopped = false;
  return {
    db,
    handlers,
    live,
    receiver,
    engine,
    tunnel,
    stores: { inbox, events, leads, settings, secrets },
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      tunnel?.stop();
      await receiver.close();
      await writer.close();
      await engine.stop();
      db.close();
    },
  };
}
