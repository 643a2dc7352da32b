/**
 * The Electron capabilities the desktop shell uses, as small interfaces. main.ts implements them
 * with Electron; tests implement them with fakes, so the wiring is tested without an Electron
 * binary.
 */
import type { TrayState } from './tray.js';
import type { UpdaterPort } from './updater.js';

export interface AppPort {
  readonly platform: NodeJS.Platform;
  requestSingleInstanceLock(): boolean;
  /** A second launch of the app (it quits itself; this one shows its window). */
  onSecondInstance(listener: () => void): void;
  /** Quit was asked for (menu, OS); preventDefault to finish work first, then quit() again. */
  onBeforeQuit(listener: (event: { preventDefault(): void }) => void): void;
  /** macOS: the dock icon was clicked. */
  onActivate(listener: () => void): void;
  /** Registering a listener keeps the app running (in the tray) when its window closes. */
  onWindowAllClosed(listener: () => void): void;
  setAppUserModelId(id: string): void;
  /** macOS and Windows only; `args` is Windows-only (login-item.ts). */
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  /** macOS: this launch is the OS opening the app at login (getLoginItemSettings().wasOpenedAtLogin). */
  wasOpenedAtLogin(): boolean;
  /** How to start this app again (Linux autostart): the executable, the AppImage itself when run as one. */
  launchCommand(): string[];
  /** Starts the app again once this one has quit (after a restore, or to install an update). */
  relaunch(): void;
  quit(): void;
}

export interface WindowPort {
  readonly webContentsId: number;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  /** The user closes the window; preventDefault keeps it (hidden) for the tray. */
  onClose(listener: (event: { preventDefault(): void }) => void): void;
  /** Windows is ending the session (shutdown, restart, log off); it cannot be held. */
  onSessionEnd(listener: () => void): void;
  send(channel: string, payload: unknown): void;
}

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
}

export interface TrayPort {
  setImage(state: TrayState): void;
  setToolTip(text: string): void;
  /** Linux re-reads the menu only when it is set again, so every change sets a new one. */
  setContextMenu(items: TrayMenuItem[]): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface NotificationPort {
  isSupported(): boolean;
  /** silent: no system sound (the owner turned sound off in Settings → Alerts). */
  show(notification: { title: string; body: string; silent: boolean }, onClick: () => void): void;
}

export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  /** Linux only: which secret store Chromium picked ('basic_text' means none). */
  getSelectedStorageBackend?(): string;
  /** Linux only: allow Chromium's fixed-key "basic_text" store, so encryption is available without a keyring. */
  setUsePlainTextEncryption?(usePlainText: boolean): void;
}

/** The event Electron gives an ipcMain.handle listener, narrowed to what the sender check reads. */
export interface IpcInvokeEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcInvokeEvent, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface DesktopPorts {
  /** electron-updater (updater-port.ts); absent where the app cannot update itself (not packaged). */
  updater?: UpdaterPort;
  app: AppPort;
  ipc: IpcMainPort;
  createWindow(): WindowPort;
  createTray(): TrayPort;
  notifications: NotificationPort;
  clipboard: { writeText(text: string): void };
  powerMonitor: {
    onResume(listener: () => void): void;
    /** Linux and macOS: the computer is shutting down; preventDefault delays it until quit. */
    onShutdown(listener: (event: { preventDefault(): void }) => void): void;
  };
  safeStorage: SafeStoragePort;
  dialog: {
    showError(title: string, message: string): void;
    /** The system's folder picker; null when cancelled. */
    chooseFolder(title: string): Promise<string | null>;
  };
}
