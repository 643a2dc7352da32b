/**
 * Electron entry: implements the shell's ports with Electron and starts the desktop app.
 * Everything with logic lives in electron/shell/ (tested under Node); this file is glue.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ICON, appFiles, iconsDir, relayWorkerScript } from './core/config/app-files.js';
import { settleDataDir } from './core/config/data-dir.js';
import { listenFromEnv, parseEnv } from './core/config/env.js';
import { createLogger } from './core/log/logger.js';
import { ensurePrivateDir, ensurePrivateFile } from './core/storage/private-files.js';
import { APP_SCHEME_PRIVILEGES, serveAppRequest } from './shell/app-protocol.js';
import { startDesktop } from './shell/desktop.js';
import { autoUpdater } from 'electron-updater';
import { appUpdaterPort } from './shell/updater-port.js';
import type { DesktopPorts, TrayMenuItem, TrayPort, WindowPort } from './shell/ports.js';
import { APP_ENTRY, APP_SCHEME } from './shell/sender-check.js';
import { trayIconFile, type TrayState } from './shell/tray.js';
import { allowPermission, guardNavigation, hardenedWindowOptions } from './shell/window.js';

const FILES = appFiles(__dirname);
const ICONS = iconsDir(__dirname, app.isPackaged ? process.resourcesPath : null);

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
// Before `ready` too: Chromium writes to userData from then on (config/data-dir.ts).
const dataDirSettled = process.env.LEADBELL_DATA_DIR ? null : settleDataDir(app.getPath('userData'));

function openExternal(url: string): void {
  void shell.openExternal(url);
}

function createWindow(): WindowPort {
  const win = new BrowserWindow({ ...hardenedWindowOptions(FILES.preload), icon: path.join(ICONS, APP_ICON) });
  const wc = win.webContents;
  guardNavigation(
    {
      onNavigate: (listener) => {
        wc.on('will-navigate', (event, url) => listener(event, url));
        wc.on('will-redirect', (event, url) => listener(event, url));
      },
      onWindowOpen: (handler) => wc.setWindowOpenHandler(({ url }) => handler(url)),
      onAttachWebview: (listener) => wc.on('will-attach-webview', (event) => listener(event)),
    },
    openExternal,
  );
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return {
    webContentsId: wc.id,
    show: () => win.show(),
    hide: () => win.hide(),
    focus: () => win.focus(),
    restore: () => win.restore(),
    isMinimized: () => win.isMinimized(),
    isDestroyed: () => win.isDestroyed(),
    onClose: (listener) => win.on('close', (event) => listener(event)),
    onSessionEnd: (listener) => win.on('session-end', () => listener()),
    send: (channel, payload) => wc.send(channel, payload),
  };
}

const trayIcon = (state: TrayState) => nativeImage.createFromPath(path.join(ICONS, trayIconFile(state, process.platform)));

function createTray(): TrayPort {
  const tray = new Tray(trayIcon('offline'));
  const toMenu = (items: TrayMenuItem[]) =>
    Menu.buildFromTemplate(items.map((i) => (i.type === 'separator' ? { type: 'separator' as const } : { label: i.label, enabled: i.enabled ?? true, click: i.click })));
  return {
    setImage: (state) => tray.setImage(trayIcon(state)),
    setToolTip: (text) => tray.setToolTip(text),
    setContextMenu: (items) => tray.setContextMenu(toMenu(items)),
    onClick: (listener) => tray.on('click', listener),
    destroy: () => tray.destroy(),
  };
}

// Keeps shown notifications referenced so their click handler survives garbage collection.
const shown = new Set<Notification>();

const ports: DesktopPorts = {
  // Only an installed copy can replace itself; a development run has no feed to read.
  updater: app.isPackaged ? appUpdaterPort(autoUpdater) : undefined,
  app: {
    platform: process.platform,
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    onSecondInstance: (listener) => app.on('second-instance', () => listener()),
    onBeforeQuit: (listener) => app.on('before-quit', (event) => listener(event)),
    onActivate: (listener) => app.on('activate', () => listener()),
    onWindowAllClosed: (listener) => app.on('window-all-closed', () => listener()),
    setAppUserModelId: (id) => app.setAppUserModelId(id),
    setLoginItemSettings: (s) => app.setLoginItemSettings(s),
    wasOpenedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin,
    // An AppImage runs from a mount that changes at every start: autostart the file itself.
    launchCommand: () => (app.isPackaged ? [process.env.APPIMAGE || process.execPath] : [process.execPath, app.getAppPath()]),
    relaunch: () => app.relaunch(),
    quit: () => app.quit(),
  },
  ipc: {
    handle: (channel, listener) => ipcMain.handle(channel, (event, input: unknown) => listener(event, input)),
    removeHandler: (channel) => ipcMain.removeHandler(channel),
  },
  createWindow,
  createTray,
  notifications: {
    isSupported: () => Notification.isSupported(),
    show: ({ title, body, silent }, onClick) => {
      const n = new Notification({ title, body, silent, icon: path.join(ICONS, APP_ICON) });
      shown.add(n);
      n.on('click', () => {
        shown.delete(n);
        onClick();
      });
      n.on('close', () => shown.delete(n));
      n.show();
    },
  },
  clipboard: { writeText: (text) => clipboard.writeText(text) },
  powerMonitor: {
    onResume: (listener) => powerMonitor.on('resume', listener),
    // Electron passes an event with preventDefault (PowerMonitor::ShouldShutdown emits it), though
    // its typings declare none.
    onShutdown: (listener) => powerMonitor.on('shutdown', (...args: unknown[]) => listener(args[0] as { preventDefault(): void })),
  },
  safeStorage: {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (cipher) => safeStorage.decryptString(cipher),
    getSelectedStorageBackend: process.platform === 'linux' ? () => safeStorage.getSelectedStorageBackend() : undefined,
    setUsePlainTextEncryption: process.platform === 'linux' ? (plain) => safeStorage.setUsePlainTextEncryption(plain) : undefined,
  },
  dialog: {
    showError: (title, message) => dialog.showErrorBox(title, message),
    chooseFolder: async (title) => {
      const r = await dialog.showOpenDialog({ title, properties: ['openDirectory', 'createDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  },
};

async function main(): Promise<void> {
  await app.whenReady();
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(FILES.ui, request.url));
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));

  const env = parseEnv(process.env);
  const dataDir = env.LEADBELL_DATA_DIR ?? dataDirSettled?.dir ?? app.getPath('userData');
  ensurePrivateDir(dataDir);
  const logPath = path.join(dataDir, 'leadbell.log');
  ensurePrivateFile(logPath);
  const logFile = fs.createWriteStream(logPath, { flags: 'a' });
  const log = createLogger({ level: env.LEADBELL_LOG_LEVEL, write: (line) => logFile.write(`${line}\n`) });
  await startDesktop(ports, {
    dataDir,
    listen: listenFromEnv(process.env, env),
    log,
    argv: process.argv,
    relay: { script: relayWorkerScript(FILES.relayWorker) },
    startupNotices: dataDirSettled?.note ? [{ title: 'Leadbell data folder', body: dataDirSettled.note }] : [],
  });
}

main().catch((err: Error) => {
  dialog.showErrorBox('Leadbell could not start', err.message);
  app.exit(1);
});
