/**
 * Fakes of the Electron capabilities the shell uses (DesktopPorts). They record what the shell
 * did and let a test play the user or the OS: click the tray, close the window, wake from sleep.
 */
import type {
  DesktopPorts,
  IpcInvokeEvent,
  NotificationPort,
  SafeStoragePort,
  TrayMenuItem,
  TrayPort,
  WindowPort,
} from '../../electron/shell/ports.js';
import type { TrayState } from '../../electron/shell/tray.js';
import { APP_ENTRY } from '../../electron/shell/sender-check.js';

type Listener = (...args: never[]) => void;

export class FakeIpc {
  readonly handlers = new Map<string, (event: IpcInvokeEvent, input: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEvent, input: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a channel as a renderer would (ipcRenderer.invoke), from the given frame. */
  async invoke(channel: string, input: unknown, from: IpcInvokeEvent): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    // IPC copies values with the structured clone algorithm: so do we.
    return structuredClone(await h(from, structuredClone(input)));
  }
}

export function appFrame(webContentsId: number, url = APP_ENTRY): IpcInvokeEvent {
  return { sender: { id: webContentsId }, senderFrame: { url, parent: null } };
}

export class FakeWindow implements WindowPort {
  static nextId = 1;
  readonly webContentsId = FakeWindow.nextId++;
  visible = false;
  minimized = false;
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  private closeListeners: ((e: { preventDefault(): void }) => void)[] = [];
  private sessionEndListeners: (() => void)[] = [];
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isDestroyed() {
    return this.destroyed;
  }
  onClose(listener: (e: { preventDefault(): void }) => void) {
    this.closeListeners.push(listener);
  }
  onSessionEnd(listener: () => void) {
    this.sessionEndListeners.push(listener);
  }
  /** Windows ends the session (WM_ENDSESSION): every window hears it, nothing can hold it. */
  endSession() {
    for (const l of this.sessionEndListeners) l();
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload: structuredClone(payload) });
  }
  /** The user clicks the window's close button; returns whether it really closed. */
  userClose(): boolean {
    let prevented = false;
    for (const l of this.closeListeners) l({ preventDefault: () => (prevented = true) });
    if (!prevented) this.destroyed = true;
    else this.visible = false;
    return !prevented;
  }
}

export class FakeTray implements TrayPort {
  image: TrayState | null = null;
  tooltip = '';
  menus: TrayMenuItem[][] = [];
  private clickListeners: (() => void)[] = [];
  setImage(state: TrayState) {
    this.image = state;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(items: TrayMenuItem[]) {
    this.menus.push(items);
  }
  onClick(listener: () => void) {
    this.clickListeners.push(listener);
  }
  destroy() {}
  get menu(): TrayMenuItem[] {
    return this.menus.at(-1) ?? [];
  }
  item(label: string | RegExp): TrayMenuItem {
    const found = this.menu.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
    if (!found) throw new Error(`no tray menu item ${label}; menu: ${this.menu.map((i) => i.label).join(', ')}`);
    return found;
  }
  click() {
    for (const l of this.clickListeners) l();
  }
}

export class FakeNotifications implements NotificationPort {
  supported = true;
  readonly shown: { title: string; body: string; silent: boolean; click: () => void }[] = [];
  isSupported() {
    return this.supported;
  }
  show(n: { title: string; body: string; silent: boolean }, onClick: () => void) {
    this.shown.push({ ...n, click: onClick });
  }
}

/**
 * A keychain stand-in: reversible, and refuses what it did not encrypt (like the real one). As in
 * Electron (shell/browser/api/electron_api_safe_storage.cc, IsEncryptionAvailable), Linux's
 * 'basic_text' store counts as available only after setUsePlainTextEncryption(true).
 */
export class FakeSafeStorage implements SafeStoragePort {
  plainText = false;
  constructor(
    readonly backend = 'gnome_libsecret',
    readonly available = true,
  ) {}
  isEncryptionAvailable() {
    return this.available || (this.plainText && this.backend === 'basic_text');
  }
  setUsePlainTextEncryption(plain: boolean) {
    this.plainText = plain;
  }
  encryptString(plain: string): Buffer {
    if (typeof plain !== 'string') throw new TypeError('encryptString expects a string');
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
  }
  decryptString(cipher: Buffer): string {
    if (!Buffer.isBuffer(cipher) || cipher.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(cipher.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
}

export class FakeApp {
  lockGranted = true;
  quitCalls = 0;
  relaunches = 0;
  appUserModelId: string | null = null;
  loginItems: { openAtLogin: boolean; args?: string[] }[] = [];
  /** macOS: the OS opened this launch at login. */
  openedAtLogin = false;
  launchCommand = ['/opt/Leadbell/leadbell'];
  private listeners = new Map<string, Listener[]>();
  constructor(readonly platform: NodeJS.Platform = 'linux') {}
  /** Electron's Browser::is_quitting_: set once before-quit went through, until a window refuses to close. */
  quitting = false;
  /** The quit went all the way: every window closed and the process would end. */
  exited = false;
  /** The app's windows, closed by a quit that goes through (wired by fakeDesktop). */
  windows: FakeWindow[] = [];
  /** As Electron's Browser::Quit (shell/browser/browser.cc): before-quit, then close every window; a window that refuses cancels the quit. */
  quit(): void {
    if (this.quitting || this.exited) return;
    this.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.quitting = true;
    const refused = this.windows.filter((w) => !w.destroyed).some((w) => !w.userClose());
    if (refused) {
      this.quitting = false;
      return;
    }
    this.exited = true;
  }
  private on(name: string, l: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), l]);
  }
  emit(name: string, ...args: unknown[]) {
    for (const l of this.listeners.get(name) ?? []) (l as (...a: unknown[]) => void)(...args);
  }
  count(name: string) {
    return this.listeners.get(name)?.length ?? 0;
  }
  port(): DesktopPorts['app'] {
    return {
      platform: this.platform,
      requestSingleInstanceLock: () => this.lockGranted,
      onSecondInstance: (l) => this.on('second-instance', l),
      onBeforeQuit: (l) => this.on('before-quit', l),
      onActivate: (l) => this.on('activate', l),
      onWindowAllClosed: (l) => this.on('window-all-closed', l),
      setAppUserModelId: (id) => (this.appUserModelId = id),
      setLoginItemSettings: (s) => void this.loginItems.push(s),
      wasOpenedAtLogin: () => this.openedAtLogin,
      launchCommand: () => this.launchCommand,
      relaunch: () => void this.relaunches++,
      quit: () => this.quit(),
    };
  }
}

export interface FakeDesktop {
  ports: DesktopPorts;
  app: FakeApp;
  ipc: FakeIpc;
  windows: FakeWindow[];
  tray: FakeTray;
  notifications: FakeNotifications;
  clipboard: string[];
  resume: () => void;
  /** Linux/macOS shut down (powerMonitor 'shutdown'); returns whether the app held it. */
  systemShutdown: () => boolean;
  errors: { title: string; message: string }[];
  folderChoices: (string | null)[];
}

export function fakeDesktop(opts: { platform?: NodeJS.Platform; safeStorage?: FakeSafeStorage } = {}): FakeDesktop {
  const app = new FakeApp(opts.platform);
  const ipc = new FakeIpc();
  const windows: FakeWindow[] = app.windows;
  const tray = new FakeTray();
  const notifications = new FakeNotifications();
  const clipboard: string[] = [];
  const resumeListeners: (() => void)[] = [];
  const shutdownListeners: ((e: { preventDefault(): void }) => void)[] = [];
  const errors: { title: string; message: string }[] = [];
  /** What the folder picker answers next (null: the owner cancels). */
  const folderChoices: (string | null)[] = [];
  const ports: DesktopPorts = {
    app: app.port(),
    ipc,
    createWindow: () => {
      const w = new FakeWindow();
      windows.push(w);
      return w;
    },
    createTray: () => tray,
    notifications,
    clipboard: { writeText: (t) => void clipboard.push(t) },
    powerMonitor: { onResume: (l) => void resumeListeners.push(l), onShutdown: (l) => void shutdownListeners.push(l) },
    safeStorage: opts.safeStorage ?? new FakeSafeStorage(),
    dialog: {
      showError: (title, message) => void errors.push({ title, message }),
      chooseFolder: async () => folderChoices.shift() ?? null,
    },
  };
  const systemShutdown = () => {
    let held = false;
    for (const l of shutdownListeners) l({ preventDefault: () => (held = true) });
    return held;
  };
  return { ports, app, ipc, windows, tray, notifications, clipboard, resume: () => resumeListeners.forEach((l) => l()), systemShutdown, errors, folderChoices };
}
