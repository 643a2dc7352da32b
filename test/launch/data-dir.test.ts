/**
 * One data folder for both modes: headless mode's default and Electron's userData
 * (<appData>/<productName>, test/packaging/metadata.test.ts) are the same "Leadbell" folder, and
 * whoever has the desktop app's old "leadbell" folder is moved over, or told, never losing data.
 * Real SQLite files in temporary folders; headless mode as a real process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app.js';
import { settleDataDir } from '../../electron/core/config/data-dir.js';
import { defaultDataDir } from '../../electron/core/config/env.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { startDesktop } from '../../electron/shell/desktop.js';
import { tempDir } from '../helpers/core.js';
import { fakeDesktop } from '../shell/fake-ports.js';

/** A data folder holding one lead, as a Leadbell run left it. */
async function withLead(dir: string, email: string) {
  const core = await createCore({ dataDir: dir, mode: 'desktop', listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 } });
  core.stores.leads.upsert(email, {});
  await core.stop();
}

async function leadsIn(dir: string): Promise<string[]> {
  const core = await createCore({ dataDir: dir, mode: 'desktop', listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 } });
  try {
    return [...core.stores.leads.all({})].map((l) => l.email);
  } finally {
    await core.stop();
  }
}

describe('the data folder', () => {
  it("moves the desktop app's old folder to the shared name when only it holds data", async () => {
    const appData = tempDir();
    const old = path.join(appData, 'leadbell');
    await withLead(old, 'old@example.com');
    const dir = path.join(appData, 'Leadbell');
    const outcome = settleDataDir(dir);
    expect(outcome).toEqual({ dir, action: 'moved', note: `Leadbell's data moved from ${old} to ${dir}, the one folder the desktop app and the background service (npm run serve) now share.` });
    expect(fs.existsSync(old)).toBe(false);
    expect(await leadsIn(dir)).toEqual(['old@example.com']);
    // Once moved, nothing more happens.
    expect(settleDataDir(dir).action).toBe('none');
  });

  it('moves into a new folder that holds none of its data, leaving behind only names already there', async () => {
    const appData = tempDir();
    const old = path.join(appData, 'leadbell');
    await withLead(old, 'old@example.com');
    fs.mkdirSync(path.join(old, 'Local Storage'));
    const dir = path.join(appData, 'Leadbell');
    fs.mkdirSync(path.join(dir, 'Local Storage'), { recursive: true });
    expect(settleDataDir(dir).action).toBe('moved');
    expect(fs.readdirSync(old)).toEqual(['Local Storage']);
    expect(await leadsIn(dir)).toEqual(['old@example.com']);
  });

  it('with data in both, moves and merges nothing, uses the shared one, and says where the other is and how to switch', async () => {
    const appData = tempDir();
    const old = path.join(appData, 'leadbell');
    const dir = path.join(appData, 'Leadbell');
    await withLead(old, 'desktop@example.com');
    await withLead(dir, 'service@example.com');
    const outcome = settleDataDir(dir);
    expect(outcome.action).toBe('both');
    expect(outcome.note).toBe(
      `Two Leadbell data folders were found: ${dir} and ${old} (the desktop app's before this version). Leadbell now uses ${dir} in the desktop app and the background service alike; ${old} was left as it was. To use the leads in ${old} instead, quit Leadbell, move ${dir} somewhere else, and rename ${old} to Leadbell.`,
    );
    expect(await leadsIn(dir)).toEqual(['service@example.com']);
    expect(await leadsIn(old)).toEqual(['desktop@example.com']);
  });

  it('leaves alone an old name that is the same folder (case-insensitive disks) or holds no data', async () => {
    const appData = tempDir();
    const dir = path.join(appData, 'Leadbell');
    await withLead(dir, 'one@example.com');
    fs.symlinkSync(dir, path.join(appData, 'leadbell'));
    expect(settleDataDir(dir)).toEqual({ dir, action: 'none', note: null });

    const other = tempDir();
    fs.mkdirSync(path.join(other, 'leadbell', 'GPUCache'), { recursive: true });
    expect(settleDataDir(path.join(other, 'Leadbell')).action).toBe('none');
    expect(fs.existsSync(path.join(other, 'leadbell', 'GPUCache'))).toBe(true);
  });

  it('headless mode with no LEADBELL_DATA_DIR uses the shared folder, moving the old one and saying so', async () => {
    const config = tempDir();
    const old = path.join(config, 'leadbell');
    await withLead(old, 'old@example.com');
    const dir = defaultDataDir('linux', { XDG_CONFIG_HOME: config }, '/nonexistent');
    expect(dir).toBe(path.join(config, 'Leadbell'));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: config, LEADBELL_TUNNEL: 'off', LEADBELL_PORT: '0', LEADBELL_TUNNEL_PORT: '0', LEADBELL_ADMIN_PORT: '0' };
    delete env.LEADBELL_DATA_DIR;
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/headless-entry.ts')], { env });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((r) => proc.on('exit', r));
    try {
      await expect.poll(() => stderr, { timeout: 20_000 }).toContain('Leadbell is running');
      expect(stderr).toContain(`Data folder:   ${dir}\n`);
      expect(stderr).toContain(`Note:          Leadbell's data moved from ${old} to ${dir}`);
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
    expect(await leadsIn(dir)).toEqual(['old@example.com']);
  });

  it('the desktop app tells the owner what was done, as a notification', async () => {
    const appData = tempDir();
    await withLead(path.join(appData, 'leadbell'), 'old@example.com');
    const settled = settleDataDir(path.join(appData, 'Leadbell'));
    const fake = fakeDesktop();
    const desktop = await startDesktop(fake.ports, {
      dataDir: settled.dir,
      listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
      log: createLogger({ level: 'error', write: () => undefined }),
      autostartDir: tempDir(),
      startupNotices: [{ title: 'Leadbell data folder', body: settled.note! }],
      createCore: (o) => createCore({ ...o, settingsOverride: { apply: (s) => ({ ...s, tunnel: { ...s.tunnel, enabled: false } }), names: [] } }),
    });
    try {
      await expect.poll(() => fake.notifications.shown.map((n) => n.title)).toEqual(['Leadbell data folder']);
      expect(fake.notifications.shown[0]!.body).toBe(settled.note);
      expect([...desktop!.core.stores.leads.all({})].map((l) => l.email)).toEqual(['old@example.com']);
    } finally {
      await desktop!.core.stop();
    }
  });
});
