/**
 * "Start Leadbell when I log in", per OS, and whether this launch was that start (then Leadbell
 * stays in the tray until the owner opens it):
 * - Windows: a Run key through app.setLoginItemSettings, with `--hidden` in its arguments
 *   (`args` is Windows-only, docs/api/app.md).
 * - macOS: a login item through app.setLoginItemSettings; it cannot carry arguments, and Electron
 *   44 removed `openAsHidden` (docs/breaking-changes.md, "Removed: Pre-macOS 13 login item
 *   attributes"), so the launch asks getLoginItemSettings().wasOpenedAtLogin instead.
 * - Linux: Electron has no login items; the XDG autostart spec's way is a .desktop file in
 *   $XDG_CONFIG_HOME/autostart, written here with `--hidden` on its Exec line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppPort } from './ports.js';

export const HIDDEN_FLAG = '--hidden';
/** package.json's desktopName: the autostart entry is named like the installed one. */
export const AUTOSTART_FILE = 'leadbell.desktop';

export function autostartDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart');
}

/** Whether this launch is the OS starting Leadbell at login. */
export function startedAtLogin(app: Pick<AppPort, 'platform' | 'wasOpenedAtLogin'>, argv: readonly string[]): boolean {
  if (app.platform === 'darwin') return app.wasOpenedAtLogin();
  return argv.includes(HIDDEN_FLAG);
}

/**
 * One argument of an Exec line: quoted when it holds anything but plain characters, with `"`,
 * `` ` ``, `$` and `\` escaped inside the quotes, then every `\` doubled again because Exec is a
 * string value (Desktop Entry Specification, "The Exec key").
 */
function execArg(arg: string): string {
  const plain = /^[A-Za-z0-9_\-./=+,:@]+$/.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return plain.replace(/\\/g, '\\\\');
}

export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Leadbell',
    'Comment=Receives your leads and rings the bell for hot ones',
    `Exec=${[...command, HIDDEN_FLAG].map(execArg).join(' ')}`,
    'Icon=leadbell',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Turns the login start on or off the way this OS does it. */
export function applyLoginItem(app: AppPort, openAtLogin: boolean, dir: string): void {
  if (app.platform === 'win32') return app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_FLAG] });
  if (app.platform === 'darwin') return app.setLoginItemSettings({ openAtLogin });
  const file = path.join(dir, AUTOSTART_FILE);
  if (!openAtLogin) return fs.rmSync(file, { force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, autostartEntry(app.launchCommand()));
}
