/**
 * "Start Leadbell when I log in" on each OS, through the shell's ports, with the real core:
 * Windows a Run key with --hidden, macOS a login item (wasOpenedAtLogin tells the launch), Linux
 * an XDG autostart entry written to a real (temporary) autostart folder.
 * Exec quoting: https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html
 * Autostart folder: https://specifications.freedesktop.org/autostart-spec/latest/
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { startDesktop, type Desktop } from '../../electron/shell/desktop.js';
import { AUTOSTART_FILE, autostartDir, autostartEntry, startedAtLogin } from '../../electron/shell/login-item.js';
import { tempDir } from '../helpers/core.js';
import { fakeDesktop, type FakeDesktop } from './fake-ports.js';

const started: Desktop[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.core.stop();
});

async function start(fake: FakeDesktop, argv: string[], dir = tempDir('leadbell-autostart-')) {
  const desktop = await startDesktop(fake.ports, {
    dataDir: tempDir(),
    listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
    log: createLogger({ level: 'error', write: () => undefined }),
    argv,
    autostartDir: dir,
    createCore: (o) => createCore({ ...o, settingsOverride: { apply: (s) => ({ ...s, tunnel: { ...s.tunnel, enabled: false } }), names: [] } }),
  });
  started.push(desktop!);
  return { desktop: desktop!, dir };
}

const turnOn = (d: Desktop) => d.core.handlers.updateSettings({ app: { launch_at_login: true } });
const turnOff = (d: Desktop) => d.core.handlers.updateSettings({ app: { launch_at_login: false } });

describe('Linux: an autostart entry', () => {
  it('is written with --hidden when turned on and removed when turned off; the OS login items are not used', async () => {
    const fake = fakeDesktop({ platform: 'linux' });
    fake.app.launchCommand = ['/home/owner/Apps/Leadbell 0.1.0.AppImage'];
    const { desktop, dir } = await start(fake, ['/tmp/.mount_Lead/leadbell']);
    const file = path.join(dir, AUTOSTART_FILE);
    expect(fs.existsSync(file)).toBe(false);
    await turnOn(desktop);
    const entry = fs.readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Leadbell\n');
    expect(entry).toContain('\nExec="/home/owner/Apps/Leadbell 0.1.0.AppImage" --hidden\n');
    await turnOff(desktop);
    expect(fs.existsSync(file)).toBe(false);
    expect(fake.app.loginItems).toEqual([]);
  });

  it('starts hidden in the tray when launched with --hidden, with the window only when asked', async () => {
    const fake = fakeDesktop({ platform: 'linux' });
    const { desktop } = await start(fake, ['/opt/Leadbell/leadbell', '--hidden']);
    expect(fake.windows).toHaveLength(0);
    desktop.showWindow();
    expect(fake.windows).toHaveLength(1);
  });

  it('quotes what the Exec line needs quoted, and finds the autostart folder as XDG says', () => {
    expect(autostartEntry(['/opt/Leadbell/leadbell'])).toContain('\nExec=/opt/Leadbell/leadbell --hidden\n');
    // Inside quotes `"`, `$`, `` ` `` and `\` are escaped with `\`; then, a string value, each `\` doubled.
    expect(autostartEntry(['/home/o$car/My "Apps"/leadbell'])).toContain('\nExec="/home/o\\\\$car/My \\\\"Apps\\\\"/leadbell" --hidden\n');
    expect(autostartDir({ XDG_CONFIG_HOME: '/home/owner/.cfg' }, '/home/owner')).toBe('/home/owner/.cfg/autostart');
    expect(autostartDir({}, '/home/owner')).toBe('/home/owner/.config/autostart');
  });
});

describe('macOS: a login item', () => {
  it('is set without arguments or openAsHidden (gone in Electron 44)', async () => {
    const fake = fakeDesktop({ platform: 'darwin' });
    const { desktop } = await start(fake, ['/Applications/Leadbell.app/Contents/MacOS/Leadbell']);
    await turnOn(desktop);
    expect(fake.app.loginItems).toEqual([{ openAtLogin: false }, { openAtLogin: true }]);
    expect(fake.windows).toHaveLength(1);
  });

  it('a launch the OS made at login stays in the tray (wasOpenedAtLogin), with no --hidden to read', async () => {
    const fake = fakeDesktop({ platform: 'darwin' });
    fake.app.openedAtLogin = true;
    await start(fake, ['/Applications/Leadbell.app/Contents/MacOS/Leadbell']);
    expect(fake.windows).toHaveLength(0);
    // --hidden means nothing there: only the OS says whether it was a login start.
    expect(startedAtLogin({ platform: 'darwin', wasOpenedAtLogin: () => false }, ['x', '--hidden'])).toBe(false);
  });
});

describe('Windows: a Run key', () => {
  it('carries --hidden, and a launch with it stays in the tray', async () => {
    const fake = fakeDesktop({ platform: 'win32' });
    const { desktop } = await start(fake, ['C:\\Leadbell\\Leadbell.exe', '--hidden']);
    await turnOn(desktop);
    expect(fake.app.loginItems.at(-1)).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(fake.windows).toHaveLength(0);
  });
});
