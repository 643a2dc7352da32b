/**
 * The desktop app's wiring: one instance, the core in this process, the hardened window and its
 * IPC bridge, the tray, notifications, launch at login, wake from sleep and shutdown. Every Electron call
 * goes through DesktopPorts, so this is tested under Node with fakes.
 */
import type { Status } from '../../shared/api/models.js';
import { createCore as createRealCore, type Core, type CoreOptions } from '../core/app.js';
import type { Logger } from '../core/log/logger.js';
import type { TunnelOptions } from '../core/tunnel/supervisor-options.js';
import { LIVE_CHANNEL, NAVIGATE_CHANNEL } from '../../shared/api/bridge.js';
import { registerApiHandlers } from './ipc-bridge.js';
import { applyLoginItem, autostartDir, startedAtLogin } from './login-item.js';
import { createDesktopNotifier } from './notifier.js';
import type { DesktopPorts, WindowPort } from './ports.js';
import { safeStorageCipher } from './safe-storage-cipher.js';
import { isTrustedSender } from './sender-check.js';
import { Shutdown, type Clock } from './shutdown.js';
import { TrayController } from './tray.js';
import { UpdateController } from './updater.js';
import { ApiError } from '../core/api/api-error.js';
import { VERSION } from '../core/app.js';

export const APP_ID = 'app.leadbell.desktop';

export interface DesktopOptions {
  dataDir: string;
  listen: CoreOptions['listen'];
  log: Logger;
  /** The command line: `--hidden` is a login start on Windows and Linux (login-item.ts). */
  argv?: readonly string[];
  /** Linux: where the autostart entry goes (default $XDG_CONFIG_HOME/autostart). */
  autostartDir?: string;
  /** The clock bounding core.stop() (tests). */
  clock?: Clock;
  tunnel?: TunnelOptions;
  /** The relay Worker's code for "Deploy" (read beside the bundle). */
  relay?: CoreOptions['relay'];
  /** Told once at start (the data folder moved). */
  startupNotices?: CoreOptions['startupNotices'];
  createCore?: (opts: CoreOptions) => Promise<Core>;
}

export interface Desktop {
  core: Core;
  /** Shows (creating if needed) and focuses the window, optionally at a route. */
  showWindow(route?: string): void;
  quit(): void;
}

export async function startDesktop(ports: DesktopPorts, opts: DesktopOptions): Promise<Desktop | null> {
  const { app } = ports;
  const { log } = opts;
  if (!app.requestSingleInstanceLock()) {
    // Another Leadbell is running: it shows its window (second-instance); this one leaves.
    app.quit();
    return null;
  }
  if (app.platform === 'win32') app.setAppUserModelId(APP_ID);

  let stopCore = async () => undefined as void;
  const shutdown = new Shutdown({ stop: () => stopCore(), quit: () => app.quit(), log, clock: opts.clock });
  let win: WindowPort | null = null;
  const window = (): WindowPort => {
    if (win && !win.isDestroyed()) return win;
    const w = ports.createWindow();
    w.onClose((event) => {
      // Closing the window keeps Leadbell receiving leads in the tray, unless Leadbell is quitting.
      if (!shutdown.quitting) {
        event.preventDefault();
        w.hide();
      }
    });
    // With no window open (started at login, never opened) Windows sends no session-end: the
    // process simply ends, and what was acknowledged is in SQLite already.
    w.onSessionEnd(() => shutdown.sessionEnd());
    win = w;
    return w;
  };
  const showWindow = (route?: string) => {
    const w = window();
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
    if (route) w.send(NAVIGATE_CHANNEL, route);
  };

  const createCore = opts.createCore ?? createRealCore;
  let core: Core;
  let updates: UpdateController | null = null;
  const noUpdater = () => new ApiError('unavailable', 'This copy of Leadbell cannot update itself (it was not installed from a Leadbell installer).');
  try {
    core = await createCore({
      dataDir: opts.dataDir,
      mode: 'desktop',
      listen: opts.listen,
      cipher: safeStorageCipher(ports.safeStorage, app.platform, opts.dataDir),
      log,
      notify: createDesktopNotifier(ports.notifications, (route) => showWindow(route), log),
      tunnel: opts.tunnel ?? {},
      relay: opts.relay,
      startupNotices: opts.startupNotices,
      chooseFolder: () => ports.dialog.chooseFolder('Choose where Leadbell keeps its backups'),
      updates: {
        getUpdates: async () =>
          updates?.get() ?? { available: false, state: 'off', current_version: VERSION, version: null, channel: 'stable', checked_at: null, message: noUpdater().message, waiting_for_work: false },
        checkForUpdates: async () => {
          if (!updates) throw noUpdater();
          return updates.checkNow();
        },
        restartToUpdate: async () => {
          if (!updates) throw noUpdater();
          return updates.restartToUpdate();
        },
      },
      // A restore is applied as the app starts again: the window, tray and IPC start on the restored data.
      restart: () => {
        app.relaunch();
        quit();
      },
    });
  } catch (e) {
    ports.dialog.showError('Leadbell could not start', (e as Error).message);
    app.quit();
    return null;
  }

  registerApiHandlers(ports.ipc, core.handlers, (event) => isTrustedSender(event, win && !win.isDestroyed() ? win.webContentsId : null), log);
  core.live.subscribe((update) => {
    if (win && !win.isDestroyed()) win.send(LIVE_CHANNEL, update);
  });

  stopCore = () => core.stop();
  const quit = () => app.quit();
  // Finish in-flight writes and runs before the process ends, for at most STOP_LIMIT_MS.
  app.onBeforeQuit((event) => shutdown.beforeQuit(event));
  ports.powerMonitor.onShutdown((event) => shutdown.systemShutdown(event));
  app.onSecondInstance(() => showWindow());
  app.onActivate(() => showWindow());
  app.onWindowAllClosed(() => undefined);

  const status = () => core.handlers.getStatus({}) as Promise<Status>;
  const tray = new TrayController(ports.createTray(), {
    open: () => showWindow(),
    copyWebhookUrl: () =>
      void core.handlers.listEndpoints({}).then(({ items }) => {
        const optin = items.find((e) => e.name === 'lead-optin') ?? items[0];
        if (optin) ports.clipboard.writeText(optin.public_url ?? optin.local_url);
      }),
    setPaused: (paused) => void core.handlers.updateSettings({ receiver: { paused } }).catch((e: Error) => log.error('could not change pausing', { error: e })),
    restartToUpdate: () => void updates?.restartToUpdate(),
    quit,
  });
  const refreshTray = () =>
    void status()
      .then((s) => tray.update(s, updates?.get() ?? null))
      .catch((e: Error) => log.warn('could not read status for the tray', { error: e }));
  core.live.subscribe((u) => {
    if (u.topic === 'status' || u.topic === 'settings') refreshTray();
  });
  refreshTray();

  if (ports.updater) {
    const updater = new UpdateController({
      port: ports.updater,
      currentVersion: VERSION,
      channel: () => core.stores.settings.get().updates.channel,
      busy: () => core.busy(),
      clock: Date.now,
      log: log.child({ component: 'updates' }),
      onChange: () => core.live.publish({ topic: 'status' }),
    });
    updates = updater;
    let channel = core.stores.settings.get().updates.channel;
    core.stores.settings.onChange((s) => {
      if (s.updates.channel === channel) return;
      channel = s.updates.channel;
      void updater.checkNow();
    });
    updater.start();
  }

  let loginItem: boolean | null = null;
  const loginDir = opts.autostartDir ?? autostartDir();
  const setLoginItem = (openAtLogin: boolean) => {
    if (openAtLogin === loginItem) return;
    loginItem = openAtLogin;
    try {
      applyLoginItem(app, openAtLogin, loginDir);
    } catch (e) {
      log.error('could not change starting at login', { error: e as Error });
    }
  };
  setLoginItem(core.stores.settings.get().app.launch_at_login);
  core.stores.settings.onChange((s) => setLoginItem(s.app.launch_at_login));

  ports.powerMonitor.onResume(() => {
    // Sockets die in sleep without telling anyone: reopen the tunnel at once.
    core.tunnel?.reconnectNow('the computer woke from sleep');
    core.relay.restart();
    // Reminders that came due while it slept ring now.
    core.reminders.check();
  });

  if (!startedAtLogin(app, opts.argv ?? [])) showWindow();
  return { core, showWindow, quit };
}
