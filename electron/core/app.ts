/**
 * Wires the core: storage, receiver, API handlers and live updates. Used by both the Electron
 * shell and headless mode; never imports electron.
 */
import { INTEGRATION_SECRETS } from '../../shared/integrations/index.js';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract.js';
import type { Notification, Status, TunnelStatus } from '../../shared/api/models.js';
import { awayMessage } from '../../shared/relay.js';
import type { Settings } from '../../shared/settings.js';
import { ApiError } from './api/api-error.js';
import { coreHandlers } from './api/core-handlers.js';
import { mappingHandlers } from './api/mapping-handlers.js';
import { HeldReleaser } from './ingest/held-release.js';
import { HeldStore } from './storage/held-store.js';
import { MappingStore } from './storage/mapping-store.js';
import { replayHandlers } from './api/replay-requests.js';
import { LiveBus } from './api/live-bus.js';
import { createEngine, type Engine, type EngineOptions } from './engine.js';
import { forwarderBacklog } from './prefect/forwarder-backlog.js';
import { prefectApi } from './prefect/prefect-api.js';
import { Pressure } from './scheduling/pressure.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { createIntegrations, type IntegrationsDeps } from './integrations/registry.js';
import { startReceiver, type Receiver } from './ingest/receiver.js';
import { storageMessage } from './storage/storage-errors.js';
import type { ServerLimits } from './ingest/server-limits.js';
import { silentLogger, type Logger } from './log/logger.js';
import type { Deliver } from './notify/notifier.js';
import { keyFileCipher, type SecretCipher } from './secrets/cipher.js';
import { SecretStore } from './secrets/secret-store.js';
import { backupHandlers, checkedFolder } from './api/backup-handlers.js';
import { applyStagedRestore } from './storage/backup-restore.js';
import { BACKUP_PASSPHRASE, BackupService } from './storage/backup-service.js';
import { DB_FILE, openDatabase, openIngestConnection, type Db } from './storage/database.js';
import { EventStore } from './storage/event-store.js';
import { InboxRetention } from './storage/inbox-retention.js';
import { InboxStore } from './storage/inbox-store.js';
import { LeadStore } from './storage/lead-store.js';
import { LeadActivityStore } from './storage/lead-activity-store.js';
import { LeadEdits } from './leads/lead-edits.js';
import { LeadIntake } from './leads/lead-intake.js';
import { Reminders } from './leads/reminders.js';
import { Erasures } from './leads/erasure.js';
import { personExport } from './leads/person-export.js';
import { ReminderStore } from './storage/reminder-store.js';
import { Notifier } from './notify/notifier.js';
import { NotificationStore } from './storage/notification-store.js';
import { leadHandlers } from './api/lead-handlers.js';
import { SettingsStore } from './storage/settings-store.js';
import { validateIntegrationOptions } from './integrations/options.js';
import { relayHandlers, type RelayHandlerDeps } from './relay/handlers.js';
import { RelayService, type RelayServiceDeps } from './relay/service.js';
import { announceUrlChange } from './tunnel/announce.js';
import { choosePort, describeMoves, type PortMove } from './config/ports.js';
import { localtunnelProvider } from './tunnel/localtunnel-provider.js';
import { ngrokProvider } from './tunnel/ngrok-provider.js';
import { loadNgrokSdk } from './tunnel/ngrok-sdk.js';
import { disabledTunnelStatus, type TunnelOptions } from './tunnel/supervisor-options.js';
import { TunnelSupervisor } from './tunnel/supervisor.js';

export const VERSION = '0.1.0';
/** A request committed this recently means more may be arriving (a burst, a form being retried). */
export const RECEIVING_MS = 30_000;

const headlessUpdates = () => ({
  available: false,
  state: 'off' as const,
  current_version: VERSION,
  version: null,
  channel: 'stable' as const,
  checked_at: null,
  message: 'Headless mode is updated with the package it was installed from.',
  waiting_for_work: false,
});
const notUpdatedHere: Pick<ApiHandlers, 'getUpdates' | 'checkForUpdates' | 'restartToUpdate'> = {
  getUpdates: async () => headlessUpdates(),
  checkForUpdates: async () => {
    throw new ApiError('unavailable', headlessUpdates().message);
  },
  restartToUpdate: async () => {
    throw new ApiError('unavailable', headlessUpdates().message);
  },
};
/** The secret holding the ngrok authtoken (NGROK_AUTHTOKEN in headless mode). */
export const NGROK_AUTHTOKEN = 'tunnel.ngrok.authtoken';

export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  /**
   * Where to listen. A port marked movable (a default, not the owner's setting) gives way to a
   * free one when taken, remembered in settings; any other port is used or refused.
   */
  listen: { host: string; port: number; tunnelPort: number; movable?: { port?: boolean; tunnelPort?: boolean } };
  /** The receiver's timeouts and connection cap (tests shorten them). */
  receiverLimits?: Partial<ServerLimits>;
  cipher?: SecretCipher;
  /** Secrets given by environment variables (headless mode). */
  secretEnv?: Record<string, string>;
  /** Environment overrides of settings, and their names. */
  settingsOverride?: { apply: (s: Settings) => Settings; names: string[] };
  log?: Logger;
  /** Desktop notifications (tray in Electron, the UI in headless mode), when the owner's alert settings let them ring. */
  notify?: Deliver;
  /** The automation engine's clock, pool size and retry limit (tests and benchmarks). */
  engine?: EngineOptions;
  /** Outbound call timeout and vendor rates (tests and benchmarks pair them with their fakes). */
  integrations?: Pick<IntegrationsDeps, 'timeoutMs' | 'rateLimits' | 'pacers'>;
  /**
   * The public tunnel, run as the tunnel settings say. Given by the desktop shell and headless
   * mode; without it (embedded uses such as tests) no tunnel is ever opened.
   */
  tunnel?: TunnelOptions;
  /** Things the owner should hear about once at start (e.g. the data folder moved): shown as notifications. */
  startupNotices?: { title: string; body: string }[];
  /** Backups' clock (tests move it to make scheduled backups due). */
  backup?: { clock?: () => number };
  /** Live updates to the UI; given by an embedder that restarts the core, so subscribers stay. */
  live?: LiveBus;
  /** Restarts the core (after a restore is unpacked); absent: the owner restarts Leadbell. */
  restart?: () => void;
  /** The desktop app's updates; absent (headless): not available. */
  updates?: Pick<ApiHandlers, 'getUpdates' | 'checkForUpdates' | 'restartToUpdate'>;
  /** The desktop's folder picker for the backup folder. */
  chooseFolder?: () => Promise<string | null>;
  /** The relay's reconnect waits, Cloudflare API address and Worker code (tests and benchmarks). */
  relay?: Pick<RelayServiceDeps, 'backoffMs' | 'heartbeatMs'> & Pick<RelayHandlerDeps, 'cloudflareApiBase' | 'script'>;
}

export interface Core {
  db: Db;
  handlers: ApiHandlers;
  live: LiveBus;
  receiver: Receiver;
  engine: Engine;
  /** Null when the embedder did not ask for a tunnel. reconnectNow() on wake from sleep. */
  tunnel: TunnelSupervisor | null;
  /** The always-on relay's connection; restart() on wake from sleep. */
  relay: RelayService;
  /** Reminders about leads; check() on wake from sleep rings those that came due meanwhile. */
  reminders: Reminders;
  /** Erasures of people and their calls to the connected apps (resumed at start). */
  erasures: Erasures;
  stores: { inbox: InboxStore; events: EventStore; leads: LeadStore; settings: SettingsStore; secrets: SecretStore; mappings: MappingStore };
  /** Releases held requests once their sender is mapped (idle() for tests). */
  releaser: HeldReleaser;
  backups: BackupService;
  /** Requests being received (one committed in the last RECEIVING_MS) or steps in flight: no restart now. */
  busy(): boolean;
  log: Logger;
  stop(): Promise<void>;
}


export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? silentLogger;
  const startedAt = new Date().toISOString();
  // A restore unpacked before the restart takes the database's place before it is opened.
  const restored = applyStagedRestore(opts.dataDir);
  if (restored) log.info('restored a backup', { leads: restored.leads, events: restored.events });
  const db = openDatabase(opts.dataDir);
  const inbox = new InboxStore(db);
  const events = new EventStore(db);
  const leads = new LeadStore(db);
  const activity = new LeadActivityStore(db);
  const reminderStore = new ReminderStore(db);
  const settings = new SettingsStore(db, opts.settingsOverride?.apply);
  settings.addValidator(validateIntegrationOptions);
  const cipher = opts.cipher ?? keyFileCipher(opts.dataDir);
  const secrets = new SecretStore(db, cipher, opts.secretEnv ?? {}, log);
  const live = opts.live ?? new LiveBus();
  const writer = new IngestWriter(openIngestConnection(opts.dataDir), opts.dataDir);
  const mappings = new MappingStore(db);
  const held = new HeldStore(db);
  const retention = new InboxRetention(db, () => settings.get().inbox);
  const releaser = new HeldReleaser({ held, mappings, writer, settings: () => settings.get(), secrets, log: log.child({ component: 'held' }) });
  const testFireNonce = randomBytes(24).toString('hex');
  let storageError: string | null = null;
  const pressure = new Pressure();
  const integrations = createIntegrations({ ...opts.integrations, secrets, settings, log });
  const engine = createEngine(
    {
      dataDir: opts.dataDir,
      settings,
      live,
      log,
      integrations,
      notify: opts.notify,
      slice: () => pressure.slice(),
      backgroundSpent: (ms) => pressure.noteBackground(ms),
      emit: (event) => writer.write({ event }),
    },
    opts.engine,
  );

  const instanceId = randomUUID();
  const tunnelProviders = {
    localtunnel: localtunnelProvider,
    ngrok: ngrokProvider({ sdk: opts.tunnel?.ngrokSdk ?? loadNgrokSdk, authtoken: () => secrets.get(NGROK_AUTHTOKEN), version: VERSION }),
    ...opts.tunnel?.providers,
  };
  const { listen, moves } = await chooseListen(opts.listen, settings);
  const receiver = await startReceiver(
    {
      settings,
      secrets,
      writer,
      log: log.child({ component: 'receiver' }),
      testFireNonce,
      instanceId,
      pressure,
      limits: opts.receiverLimits,
      held: { mapping: (endpoint, shape) => mappings.find(endpoint, shape), mapped: (endpoint) => mappings.mapped(endpoint), roomToHold: (bytes) => retention.roomToHold(bytes) },
      tunnelClientAddress: () => {
        const t = settings.get().tunnel;
        return tunnelProviders[t.provider].clientAddress(t.host);
      },
      onStorageResult: (err) => {
        const next = err ? storageMessage(err) : null;
        if (next !== storageError) {
          storageError = next;
          live.publish({ topic: 'status' });
        }
      },
    },
    listen,
  );
  const portNotice = describeMoves(moves, opts.listen.host);
  if (moves.length) {
    settings.update({ receiver: Object.fromEntries(moves.map((m) => [m.role === 'webhooks' ? 'port' : 'tunnel_port', m.port])) });
    log.warn('a port was taken: listening on a free one', { moves: moves.map((m) => ({ role: m.role, wanted: m.wanted, port: m.port })) });
  }

  let lastReceivedMs = 0;
  const clock = opts.engine?.clock ?? Date.now;
  writer.onCommitted((stored) => {
    lastReceivedMs = clock();
    for (const e of stored) live.publish({ topic: 'event', id: e.id });
    live.publish({ topic: 'request' });
    engine.dispatch(stored);
  });

  const directHost = opts.listen.host === '0.0.0.0' || opts.listen.host === '::' ? '127.0.0.1' : opts.listen.host;
  const directBaseUrl = `http://${directHost.includes(':') ? `[${directHost}]` : directHost}:${receiver.port}`;
  const tunnel = opts.tunnel
    ? new TunnelSupervisor({
        ...opts.tunnel,
        providers: tunnelProviders,
        settings,
        port: receiver.tunnelPort,
        instanceId,
        log: log.child({ component: 'tunnel' }),
        onStatus: () => live.publish({ topic: 'status' }),
        onUrlChanged: (change) =>
          announceUrlChange(change, {
            provider: tunnel?.status().provider ?? settings.get().tunnel.provider,
            emit: (event) => writer.write({ event }),
            notify: (n, at) => engine.notifier.show(engine.notifier.record(n, at)),
            log,
          }),
      })
    : null;
  const tunnelStatus = (): TunnelStatus => tunnel?.status() ?? disabledTunnelStatus(settings.get().tunnel.provider);
  const relay = new RelayService({
    settings,
    secrets,
    deliver: (r) => receiver.relayed(r),
    log: log.child({ component: 'relay' }),
    onStatus: () => live.publish({ topic: 'status' }),
    onDrained: (n) =>
      engine.notifier.show(
        engine.notifier.record(
          { kind: 'info', title: awayMessage(n), body: 'The relay kept them while this computer was off; they are in Leadbell now.', lead_id: null },
          new Date().toISOString(),
        ),
      ),
    backoffMs: opts.relay?.backoffMs,
    heartbeatMs: opts.relay?.heartbeatMs,
  });
  /** The address that goes into forms and tools: the relay's when it is set up, else the tunnel's. */
  const publicUrl = (): string | null => {
    const t = tunnelStatus();
    return settings.get().relay.url ?? (t.state === 'online' ? t.url : null);
  };

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
        public_base_url: publicUrl() ?? directBaseUrl,
        port_notice: portNotice,
      },
      storage: { ok: storageError === null, error: storageError, path: path.join(opts.dataDir, DB_FILE) },
      tunnel: t,
      relay: relay.status(),
      secret_backend: { name: cipher.backend, secure: cipher.secure, protection: cipher.protection, warning: cipher.warning },
      env_overrides: opts.settingsOverride?.names ?? [],
      prefect: { ...integrations.prefect.state(), backlog: forwarderBacklog(db) },
    };
  };

  const notifyInfo = (title: string, body: string, kind: 'info' | 'failure' = 'info') =>
    engine.notifier.show(engine.notifier.record({ kind, title, body, lead_id: null }, new Date().toISOString()));
  const backups = new BackupService({
    db,
    dataDir: opts.dataDir,
    appVersion: VERSION,
    settings: () => settings.get().backup,
    passphrase: () => secrets.get(BACKUP_PASSPHRASE),
    clock: opts.backup?.clock ?? Date.now,
    log: log.child({ component: 'backup' }),
    onScheduledFailure: (message) => notifyInfo('A scheduled backup was not made', message, 'failure'),
    onChange: () => live.publish({ topic: 'settings' }),
  });

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
      publicBaseUrl: publicUrl,
      testFireNonce,
    },
    activity,
    remindersOf: (leadId) => reminderStore.forLead(leadId),
    runsForLead: engine.runsForLead,
    effectsOf: engine.effectsOf,
  });
  const reminders = new Reminders({
    db,
    store: reminderStore,
    leads,
    // Its own notifier on this connection: a reminder's ring and its record commit together.
    notifier: new Notifier(new NotificationStore(db), live, opts.notify, log, { settings: () => settings.get().alerts, clock: opts.engine?.clock ?? Date.now }),
    clock: opts.engine?.clock ?? Date.now,
    log: log.child({ component: 'reminders' }),
    changed: (id) => live.publish({ topic: 'lead', id }),
  });
  const erasures = new Erasures({
    db,
    leads,
    integrations,
    backups: () => backups.list(),
    clock: opts.engine?.clock ?? Date.now,
    log: log.child({ component: 'erasure' }),
    changed: () => live.publish({ topic: 'lead' }),
  });
  const leadIntake = new LeadIntake({
    db,
    leads,
    activity,
    now: () => new Date().toISOString(),
    emit: (event) => writer.write({ event }),
    changed: (id) => live.publish({ topic: 'lead', id }),
    leadTables: () => [],
  });
  const leadEdits = new LeadEdits({
    db,
    leads,
    activity,
    settings: () => settings.get(),
    now: () => new Date().toISOString(),
    changed: (id) => live.publish({ topic: 'lead', id }),
  });
  const checkedSettingsUpdate = engine.checkedSettingsUpdate(base.updateSettings);
  const backupApi = backupHandlers({
    service: backups,
    settings,
    secrets,
    dataDir: opts.dataDir,
    folderFromEnv: opts.settingsOverride?.names.includes('LEADBELL_BACKUP_DIR') ?? false,
    restart: opts.restart,
    chooseFolder: opts.chooseFolder,
    updateSettings: (patch) => handlers.updateSettings(patch),
  });
  const handlers: ApiHandlers = {
    ...base,
    updateSettings: async (patch) => {
      checkedFolder(patch.backup?.folder);
      const result = await checkedSettingsUpdate(patch);
      for (const name of Object.keys(patch.integrations ?? {})) await engine.retryNowFor(name);
      return result;
    },
    ...engine.handlers,
    ...prefectApi(engine.handlers),
    ...mappingHandlers({ held, mappings, releaser, settings: () => settings.get(), secrets, live }),
    ...backupApi,
    ...(opts.updates ?? notUpdatedHere),
    setSecret: async (input) => {
      if (input.name === BACKUP_PASSPHRASE && input.value !== null && input.value.length < 8) {
        const message = 'The backup passphrase must be at least 8 characters';
        throw new ApiError('invalid_input', message, [{ path: 'value', message }]);
      }
      const result = await base.setSecret(input);
      const integration = INTEGRATION_SECRETS.find((s) => s.name === input.name)?.integration;
      if (integration) await engine.retryNowFor(integration);
      // A new ngrok authtoken is tried at once rather than after the current backoff.
      if (input.name === NGROK_AUTHTOKEN && settings.get().tunnel.provider === 'ngrok') tunnel?.reconnectNow('the ngrok authtoken changed');
      return result;
    },
    getInboxUsage: async () => retention.usage(),
    ...replayHandlers({ inbox, events, replay: (r) => receiver.replayed(r), emit: (event) => writer.write({ event }), live, now: () => new Date().toISOString() }),
    ...leadHandlers({ edits: leadEdits, intake: leadIntake, reminders, erasures, leads, exportPerson: (lead) => personExport(db, events, lead),
      imports: {
        db,
        leads,
        activity,
        ownerStages: () => settings.get().leads.owner_stages,
        now: () => new Date().toISOString(),
        emit: (event) => writer.write({ event }),
        changed: () => live.publish({ topic: 'lead' }),
      },
    }),
    ...relayHandlers({ settings, secrets, relay, ...opts.relay }),
    restartTunnel: async () => {
      if (!tunnel?.reconnectNow('requested by the owner')) throw new ApiError('conflict', 'the tunnel is turned off: turn it on in Settings first');
      return { ok: true as const };
    },
  };

  if (restored) {
    const when = new Date(restored.created_at).toLocaleString();
    notifyInfo(
      `Backup restored: ${restored.leads.toLocaleString('en')} leads from ${when}`,
      `Leadbell now runs on the backup ${restored.name}. The data from before it is kept in ${restored.safety_copy}.`,
    );
  }
  const stopPruning = retention.keepPruned(settings.onChange.bind(settings), log);

  tunnel?.start();
  relay.start();
  engine.start();
  const notices = [...(opts.startupNotices ?? []), ...(portNotice ? [{ title: 'Leadbell moved to a free port', body: portNotice }] : [])];
  for (const n of notices) engine.notifier.show(engine.notifier.record({ kind: 'info', ...n, lead_id: null }, new Date().toISOString()));
  void releaser.resume();
  backups.start();
  reminders.start();
  erasures.start();
  let stopped = false;
  return {
    db,
    handlers,
    live,
    receiver,
    engine,
    tunnel,
    relay,
    reminders,
    erasures,
    stores: { inbox, events, leads, settings, secrets, mappings },
    releaser,
    backups,
    busy: () => clock() - lastReceivedMs < RECEIVING_MS || engine.busy(),
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopPruning();
      await backups.stop();
      reminders.stop();
      await erasures.stop();
      tunnel?.stop();
      relay.stop();
      await receiver.close();
      await releaser.idle();
      await writer.close();
      await engine.stop();
      db.close();
    },
  };
}

/** The receiver's two ports: the remembered or default ones when free, else free ones (config/ports.ts). */
async function chooseListen(listen: CoreOptions['listen'], settings: SettingsStore): Promise<{ listen: CoreOptions['listen']; moves: PortMove[] }> {
  const remembered = settings.get().receiver;
  const movable = listen.movable ?? {};
  const web = await choosePort({ role: 'webhooks', host: listen.host, port: movable.port ? (remembered.port ?? listen.port) : listen.port, fixed: !movable.port });
  const tunnel = await choosePort({
    role: 'tunnel',
    host: '127.0.0.1',
    port: movable.tunnelPort ? (remembered.tunnel_port ?? listen.tunnelPort) : listen.tunnelPort,
    fixed: !movable.tunnelPort,
  });
  return { listen: { host: listen.host, port: web.port, tunnelPort: tunnel.port }, moves: [web.moved, tunnel.moved].filter((m) => m !== null) };
}
