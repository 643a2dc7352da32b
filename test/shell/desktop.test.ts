/**
 * The desktop wiring end to end under Node: the real core (SQLite in a temp folder, receiver and
 * engine on loopback) with Electron's parts faked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract.js';
import type { Status } from '../../shared/api/models.js';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { apiChannel, LIVE_CHANNEL, NAVIGATE_CHANNEL } from '../../shared/api/bridge.js';
import { APP_ID, startDesktop, type Desktop } from '../../electron/shell/desktop.js';
import { post, tempDir } from '../helpers/core.js';
import { appFrame, FakeSafeStorage, fakeDesktop, type FakeDesktop } from './fake-ports.js';

const started: Desktop[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.core.stop();
});

/** The real createCore, with the public tunnel kept off (tests never leave loopback). */
function localCore(seen: CoreOptions[] = []) {
  return (o: CoreOptions): Promise<Core> => {
    seen.push(o);
    return createCore({
      ...o,
      settingsOverride: { apply: (s) => ({ ...s, tunnel: { ...s.tunnel, enabled: false } }), names: [] },
    });
  };
}

async function start(fake: FakeDesktop, seen: CoreOptions[] = [], startHidden = false) {
  const desktop = await startDesktop(fake.ports, {
    dataDir: tempDir('leadbell-desktop-'),
    listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
    log: createLogger({ level: 'error', write: () => undefined }),
    argv: startHidden ? ['/opt/Leadbell/leadbell', '--hidden'] : ['/opt/Leadbell/leadbell'],
    autostartDir: tempDir('leadbell-autostart-'),
    createCore: localCore(seen),
  });
  if (desktop) started.push(desktop);
  return desktop;
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('the desktop app', () => {
  it('runs once: a second launch quits without starting a core', async () => {
    const fake = fakeDesktop();
    fake.app.lockGranted = false;
    const seen: CoreOptions[] = [];
    expect(await start(fake, seen)).toBeNull();
    expect(fake.app.quitCalls).toBe(1);
    expect(seen).toHaveLength(0);
    expect(fake.windows).toHaveLength(0);
  });

  it('starts the core in desktop mode with the keychain cipher, a window, IPC for every method and the tray', async () => {
    const fake = fakeDesktop();
    const seen: CoreOptions[] = [];
    const desktop = (await start(fake, seen))!;
    expect(seen[0]).toMatchObject({ mode: 'desktop' });
    expect(seen[0]!.tunnel).toBeDefined();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.visible).toBe(true);
    for (const m of METHOD_NAMES) expect(fake.ipc.handlers.has(apiChannel(m)), m).toBe(true);

    const win = fake.windows[0]!;
    const answer = (await fake.ipc.invoke(apiChannel('getStatus'), {}, appFrame(win.webContentsId))) as { ok: true; value: Status };
    expect(answer.ok).toBe(true);
    expect(answer.value.mode).toBe('desktop');
    expect(answer.value.secret_backend).toEqual({ name: 'gnome_libsecret', secure: true, protection: expect.stringMatching(/desktop's keyring/), warning: null });

    await settle();
    expect(fake.tray.image).toBe('offline');
    expect(fake.tray.item('Open Leadbell')).toBeDefined();
    expect(fake.app.appUserModelId).toBeNull();
    await desktop.core.stop();
  });

  it('shows the basic_text warning in the status the UI reads', async () => {
    const fake = fakeDesktop({ safeStorage: new FakeSafeStorage('basic_text') });
    const desktop = (await start(fake))!;
    const s = await desktop.core.handlers.getStatus({});
    expect(s.secret_backend.secure).toBe(false);
    expect(s.secret_backend.warning).toMatch(/no keychain/);
  });

  it('sets the app user model id on Windows (needed for notifications there)', async () => {
    const fake = fakeDesktop({ platform: 'win32' });
    await start(fake);
    expect(fake.app.appUserModelId).toBe(APP_ID);
  });

  it('keeps running in the tray when the window closes; a second launch or the tray brings it back', async () => {
    const fake = fakeDesktop();
    await start(fake);
    const win = fake.windows[0]!;
    expect(win.userClose()).toBe(false);
    expect(win.visible).toBe(false);
    expect(fake.app.count('window-all-closed')).toBe(1);

    fake.app.emit('second-instance');
    expect(win.visible).toBe(true);
    win.hide();
    fake.tray.item('Open Leadbell').click!();
    expect(win.visible).toBe(true);
    win.minimized = true;
    fake.tray.click();
    expect(win.minimized).toBe(false);
    expect(fake.windows).toHaveLength(1);
  });

  it('Quit stops the core cleanly, then really quits and lets the window close', async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake))!;
    await settle();
    fake.tray.item('Quit Leadbell').click!();
    await expect.poll(() => fake.app.exited).toBe(true);
    expect(fake.app.quitCalls).toBe(2);
    expect(fake.windows[0]!.destroyed).toBe(true);
    // The core is stopped: its receiver no longer answers.
    await expect(fetch(`http://127.0.0.1:${desktop.core.receiver.port}/health`)).rejects.toThrow();
  });

  it("chooses the backup folder with the system's picker; a restore relaunches the app, which starts on the backup", async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake))!;
    const folder = tempDir('leadbell-usb-');
    fake.folderChoices.push(null, folder);
    expect(await desktop.core.handlers.chooseBackupFolder({})).toEqual({ folder: null });
    expect(desktop.core.stores.settings.get().backup.folder).toBeNull();
    expect(await desktop.core.handlers.chooseBackupFolder({})).toEqual({ folder });
    expect(desktop.core.stores.settings.get().backup.folder).toBe(folder);

    await desktop.core.handlers.setSecret({ name: 'backup.passphrase', value: 'a long enough passphrase' });
    const made = await desktop.core.handlers.backupDatabase({});
    expect(made.path.startsWith(folder)).toBe(true);
    const r = await desktop.core.handlers.restoreBackup({ name: made.name });
    expect(r.restarting).toBe(true);
    await expect.poll(() => fake.app.relaunches).toBe(1);
    await expect.poll(() => fake.app.quitCalls).toBe(2);
  });

  it('an update found at start is offered in the tray and the API; "Restart to update" installs it when nothing is under way', async () => {
    const fake = fakeDesktop();
    const did: string[] = [];
    fake.ports.updater = {
      setChannel: (c) => void did.push(`channel=${c}`),
      check: async () => ({ version: '0.2.0' }),
      download: async () => void did.push('download'),
      install: () => void did.push('install'),
    };
    const desktop = (await start(fake))!;
    await expect.poll(async () => (await desktop.core.handlers.getUpdates({})).state).toBe('ready');
    expect(did).toEqual(['channel=stable', 'download']);
    await expect.poll(() => fake.tray.menu.map((i) => i.label)).toContain('Restart to update (0.2.0)');
    // The owner asks: nothing is being received or run, so it installs.
    await expect.poll(() => desktop.core.busy()).toBe(false);
    fake.tray.item('Restart to update (0.2.0)').click!();
    expect(did).toEqual(['channel=stable', 'download', 'install']);
    expect(await desktop.core.handlers.getUpdates({})).toMatchObject({ state: 'installing', version: '0.2.0' });
  });

  it('without an updater (not installed from an installer) the update methods say why', async () => {
    const desktop = (await start(fakeDesktop()))!;
    expect(await desktop.core.handlers.getUpdates({})).toMatchObject({ available: false, state: 'off' });
    await expect(desktop.core.handlers.checkForUpdates({})).rejects.toThrow(/cannot update itself/);
  });

  it('starts hidden at login and creates the window only when asked', async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake, [], true))!;
    expect(fake.windows).toHaveLength(0);
    desktop.showWindow();
    expect(fake.windows).toHaveLength(1);
  });

  it('forwards live updates to the window and keeps the tray menu current (pause / resume, copy URL)', async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake))!;
    const win = fake.windows[0]!;
    await settle();
    fake.tray.item('Pause receiving').click!();
    await expect.poll(() => desktop.core.stores.settings.get().receiver.paused).toBe(true);
    await expect.poll(() => fake.tray.menu.some((i) => i.label === 'Resume receiving')).toBe(true);
    expect(win.sent.some((m) => m.channel === LIVE_CHANNEL && (m.payload as { topic: string }).topic === 'settings')).toBe(true);
    fake.tray.item('Resume receiving').click!();
    await expect.poll(() => desktop.core.stores.settings.get().receiver.paused).toBe(false);

    fake.tray.item('Copy webhook URL').click!();
    await expect.poll(() => fake.clipboard.length).toBe(1);
    expect(fake.clipboard[0]).toBe(`http://127.0.0.1:${desktop.core.receiver.port}/api/webhooks/lead-optin`);
  });

  it('applies the launch-at-login setting through the OS (Windows: a Run key with --hidden)', async () => {
    const fake = fakeDesktop({ platform: 'win32' });
    const desktop = (await start(fake))!;
    expect(fake.app.loginItems).toEqual([{ openAtLogin: false, args: ['--hidden'] }]);
    const win = fake.windows[0]!;
    await fake.ipc.invoke(apiChannel('updateSettings'), { app: { launch_at_login: true } }, appFrame(win.webContentsId));
    expect(fake.app.loginItems.at(-1)).toEqual({ openAtLogin: true, args: ['--hidden'] });
    await desktop.core.handlers.updateSettings({ app: { theme: 'dark' } });
    expect(fake.app.loginItems).toHaveLength(2);
  });

  it('reconnects the tunnel at once when the computer wakes from sleep', async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake))!;
    const reasons: string[] = [];
    const tunnel = desktop.core.tunnel!;
    const original = tunnel.reconnectNow.bind(tunnel);
    tunnel.reconnectNow = (reason: string) => (reasons.push(reason), original(reason));
    fake.resume();
    expect(reasons).toEqual(['the computer woke from sleep']);
  });

  it('a hot lead through the real receiver and engine calls the notifier; clicking it opens that lead', async () => {
    const fake = fakeDesktop();
    const desktop = (await start(fake))!;
    const win = fake.windows[0]!;
    win.hide();
    const url = (p: string) => `http://127.0.0.1:${desktop.core.receiver.port}/api/webhooks/${p}`;
    expect((await post(url('lead-optin'), { email: 'hana@example.com', first_name: 'Hana' })).status).toBe(202);
    expect(
      (
        await post(url('assessment'), {
          email: 'hana@example.com',
          first_name: 'Hana',
          assessment_data: { marketing: 9, sales: 9, operations: 9, finance: 9, team: 8, customer: 9, product: 9, leadership: 9 },
        })
      ).status,
    ).toBe(202);
    await expect.poll(() => fake.notifications.shown.length, { timeout: 10_000 }).toBe(1);
    expect(fake.notifications.shown[0]!.title).toBe('Hot lead: Hana');
    expect(fake.notifications.shown[0]!.body).toContain('hana@example.com');

    fake.notifications.shown[0]!.click();
    const lead = desktop.core.stores.leads.byEmail('hana@example.com')!;
    expect(win.visible).toBe(true);
    expect(win.sent.filter((m) => m.channel === NAVIGATE_CHANNEL).map((m) => m.payload)).toEqual([`/leads/${lead.id}`]);
    // The UI gets it as a live update too (the in-app alert).
    expect(win.sent.some((m) => m.channel === LIVE_CHANNEL && (m.payload as { topic: string }).topic === 'notification')).toBe(true);
  });

  it('shows a clear error and quits if the core cannot start (e.g. the port is taken)', async () => {
    const fake = fakeDesktop();
    const desktop = await startDesktop(fake.ports, {
      dataDir: tempDir(),
      listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
      log: createLogger({ level: 'error', write: () => undefined }),
      createCore: async () => {
        throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:4747');
      },
    });
    expect(desktop).toBeNull();
    expect(fake.errors).toEqual([{ title: 'Leadbell could not start', message: 'listen EADDRINUSE: address already in use 127.0.0.1:4747' }]);
    expect(fake.app.quitCalls).toBe(1);
  });
});
