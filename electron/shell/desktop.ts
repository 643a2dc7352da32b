/**
 * The desktop app's wiring: one instance, the core in this process, the hardened window and its
 * IPC bridge, the tray, notifications, launch at login and wake from sleep. Every Electron call
 * goes through DesktopPorts, so this is tested under Node with fakes.
 */
import type { Status } from '../../shared/api/models.js';
import { createCore as createRealCore, type Core, type CoreOptions } from '../core/app.js';
import type { Logger } from '../core/log/logger.js';
import type { TunnelOptions } from '../core/tunnel/supervisor-options.js';
import { LIVE_CHANNEL, NAVIGATE_CHANNEL } from '../../shared/api/bridge.js';
import { registerApiHandlers } from './ipc-bridge.js';
import { createDesktopNotifier } from './notifier.js';
import type { DesktopPorts, WindowPort } from './ports.js';
import { safeStorageCipher } from './safe-storage-cipher.js';
import { isTrustedSender } from './sender-check.js';
import { TrayController } from './tray.js';

export const APP_ID = 'app.leadbell.desktop';

export interface DesktopOptions {
  dataDir: string;
  listen: CoreOptions['listen'];
  log: Logger;
  /** Started at login: stay in the tray until the owner opens the window. */
  startHidden?: boolean;
  tunnel?: TunnelOptions;
  /** The relay Worker's code for "Deploy" (read beside the bundle). */
  relay?: CoreOptions['relay'];
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

  let win: WindowPort | null = null;
  let quitting = false;
  const window = (): WindowPort => {
    if (win && !win.isDestroyed()) return win;
    const w = ports.createWindow();
    w.onClose((event) => {
      // Closing the window keeps Leadbell receiving leads in the tray.
      if (!quitting) {
        event.preventDefault();
        w.hide();
      }
    });
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

  const quit = () => {
    quitting = true;
    app.quit();
  };
  let stopped = false;
  app.onBeforeQuit((event) => {
    quitting = true;
    if (stopped) return;
    // Finish in-flight writes and runs before the process ends.
    event.preventDefault();
    void core.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
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
    quit,
  });
  const refreshTray = () =>
    void status()
      .then((s) => tray.update(s))
      .catch((e: Error) => log.warn('could not read status for the tray', { error: e }));
  core.live.subscribe((u) => {
    if (u.topic === 'status' || u.topic === 'settings') refreshTray();
  });
  refreshTray();

  let loginItem: boolean | null = null;
  const applyLoginItem = (openAtLogin: boolean) => {
    if (openAtLogin === loginItem) return;
    loginItem = openAtLogin;
    app.setLoginItemSettings({ openAtLogin, openAsHidden: true, args: ['--hidden'] });
  };
  applyLoginItem(core.stores.settings.get().app.launch_at_login);
  core.stores.settings.onChange((s) => applyLoginItem(s.app.launch_at_login));

  ports.powerMonitor.onResume(() => {
    // Sockets die in sleep without telling anyone: reopen the tunnel at once.
    core.tunnel?.reconnectNow('the computer woke from sleep');
    core.relay.restart();
  });

  if (!opts.startHidden) showWindow();
  return { core, showWindow, quit };
}
