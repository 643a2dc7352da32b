/**
 * Updates against a local server laid out as electron-updater's generic provider expects: the
 * channel file (`latest-linux.yml`, `beta-linux.yml` on Linux: Provider.getCustomChannelName
 * adds the platform) next to the files it names, each with its sha512 (base64) and size, which
 * electron-updater checks while downloading (builder-util-runtime's DigestTransform). The updater is
 * electron-updater's real AppImageUpdater; only Electron's app object and network stack are
 * stood in for (an AppAdapter, and Node's http under its HttpExecutor), since no Electron binary
 * runs here. Format: https://www.electron.build/auto-update (generic provider, latest.yml).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http, { type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HttpExecutor } from 'builder-util-runtime';
import type { RequestOptions } from 'node:http';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { AppImageUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/api/models.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { appUpdaterPort } from '../../electron/shell/updater-port.js';
import { BUSY_RECHECK_MS, UpdateController, type UpdateChannel, type UpdaterPort } from '../../electron/shell/updater.js';
import { TrayController, type TrayActions } from '../../electron/shell/tray.js';
import { tempDir } from '../helpers/core.js';
import { FakeTray } from './fake-ports.js';

/** electron-updater's own executor (download, digest checks), with Node's http in place of Electron's net. */
class NodeHttp extends ElectronHttpExecutor {
  // Electron's net.ClientRequest and Node's differ only in members the generic download never uses.
  override createRequest(options: RequestOptions, callback: (response: unknown) => void): never {
    return http.request(options, callback) as never;
  }
}

/** The release server: channel files and installers, and a log of what was asked for. */
class ReleaseServer {
  readonly files = new Map<string, Buffer | string>();
  readonly asked: string[] = [];
  private server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url!, 'http://x').pathname.slice(1));
    this.asked.push(name);
    const body = this.files.get(name);
    if (body === undefined) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }
  stop() {
    return new Promise((r) => this.server.close(r));
  }
  /** Publishes a version as electron-builder would: the installer and the channel file naming it. */
  publish(channel: 'latest' | 'beta', version: string, opts: { corruptAfterHashing?: boolean } = {}) {
    const file = `Leadbell-${version}.AppImage`;
    const bytes = Buffer.from(`an AppImage of Leadbell ${version} `.repeat(4096));
    const sha512 = createHash('sha512').update(bytes).digest('base64');
    const served = opts.corruptAfterHashing ? Buffer.concat([bytes.subarray(0, 1000), Buffer.from('X'), bytes.subarray(1001)]) : bytes;
    this.files.set(file, served);
    this.files.set(
      `${channel}-linux.yml`,
      `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${sha512}\n    size: ${bytes.length}\npath: ${file}\nsha512: ${sha512}\nreleaseDate: '2026-12-01T10:00:00.000Z'\n`,
    );
    return { file, bytes };
  }
}

/** electron-updater's AppImageUpdater on a stand-in app, reading app-update.yml as a packaged app does. */
function realUpdater(feedUrl: string, currentVersion: string) {
  const dir = tempDir('leadbell-updater-');
  const appUpdateConfigPath = path.join(dir, 'app-update.yml');
  fs.writeFileSync(appUpdateConfigPath, `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: leadbell-updater\n`);
  const app: AppAdapter = {
    version: currentVersion,
    name: 'Leadbell',
    isPackaged: true,
    appUpdateConfigPath,
    userDataPath: path.join(dir, 'userData'),
    baseCachePath: path.join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  fs.mkdirSync(app.userDataPath, { recursive: true });
  // The running AppImage being replaced (AppImageUpdater reads APPIMAGE).
  process.env.APPIMAGE = path.join(dir, 'Leadbell-current.AppImage');
  fs.writeFileSync(process.env.APPIMAGE, 'the installed version');
  const updater = new AppImageUpdater(undefined, app);
  (updater as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttp() as unknown as HttpExecutor<ClientRequest>;
  updater.logger = null;
  return { updater, cacheDir: path.join(app.baseCachePath, 'leadbell-updater') };
}

/** The real port with install() recorded instead of replacing this test's process. */
function recordedInstall(port: UpdaterPort) {
  const installs: number[] = [];
  return { port: { ...port, install: () => void installs.push(Date.now()) }, installs };
}

class ManualTimers {
  private fns = new Map<number, () => void>();
  every = (ms: number, fn: () => void) => {
    this.fns.set(ms, fn);
    return () => this.fns.delete(ms);
  };
  fire(ms: number) {
    this.fns.get(ms)?.();
  }
}

let server: ReleaseServer;
beforeAll(async () => {
  server = new ReleaseServer();
  await server.start();
});
afterAll(() => server.stop());
afterEach(() => {
  server.files.clear();
  server.asked.length = 0;
  delete process.env.APPIMAGE;
});

function controller(port: UpdaterPort, opts: { channel?: UpdateChannel; busy?: () => boolean; timers?: ManualTimers } = {}) {
  return new UpdateController({
    port,
    currentVersion: '0.1.0',
    channel: () => opts.channel ?? 'stable',
    busy: opts.busy ?? (() => false),
    clock: () => Date.parse('2026-12-08T09:00:00.000Z'),
    log: createLogger({ level: 'warn', write: (l) => process.env.DEBUG_UPD && process.stderr.write(l + '\n') }),
    onChange: () => undefined,
    every: (opts.timers ?? new ManualTimers()).every,
  });
}

describe('updates from a generic-provider feed', () => {
  it('a newer version is found, downloaded and verified in the background, then offered', async () => {
    const { file, bytes } = server.publish('latest', '0.2.0');
    const { updater, cacheDir } = realUpdater(server.url, '0.1.0');
    const { port, installs } = recordedInstall(appUpdaterPort(updater));
    const c = controller(port);

    const s = await c.checkNow();
    expect(s).toMatchObject({ state: 'ready', version: '0.2.0', message: 'Version 0.2.0 is ready: restart Leadbell to use it.' });
    expect(server.asked).toContain('latest-linux.yml');
    expect(server.asked).toContain(file);
    const downloaded = fs.readdirSync(cacheDir, { recursive: true }).map(String).find((f) => f.endsWith('.AppImage'));
    expect(downloaded).toBeDefined();
    expect(fs.readFileSync(path.join(cacheDir, downloaded!)).equals(bytes)).toBe(true);
    // The installed version is untouched until the owner restarts.
    expect(fs.readFileSync(process.env.APPIMAGE!, 'utf8')).toBe('the installed version');

    const tray = new FakeTray();
    const did: string[] = [];
    const actions: TrayActions = { open() {}, copyWebhookUrl() {}, setPaused() {}, quit() {}, restartToUpdate: () => did.push('update') };
    new TrayController(tray, actions).update(trayStatus(), c.get());
    tray.item('Restart to update (0.2.0)').click!();
    expect(did).toEqual(['update']);

    c.restartToUpdate();
    expect(installs).toHaveLength(1);
  });

  it('an older or equal version is not offered, and nothing is downloaded', async () => {
    for (const version of ['0.0.9', '0.1.0']) {
      server.publish('latest', version);
      const { updater } = realUpdater(server.url, '0.1.0');
      const c = controller(recordedInstall(appUpdaterPort(updater)).port);
      expect(await c.checkNow(), version).toMatchObject({ state: 'up_to_date', version: null });
      expect(server.asked.filter((a) => a.endsWith('.AppImage')), version).toEqual([]);
    }
  });

  it('the beta channel never offers an older version either (electron-updater allows downgrades once a channel is set)', async () => {
    server.publish('beta', '0.0.5-beta.1');
    const { updater } = realUpdater(server.url, '0.1.0');
    const c = controller(recordedInstall(appUpdaterPort(updater)).port, { channel: 'beta' });
    expect(await c.checkNow()).toMatchObject({ state: 'up_to_date' });
    expect(server.asked).toEqual(['beta-linux.yml']);
  });

  it('the beta channel offers a beta the stable channel does not see', async () => {
    server.publish('latest', '0.1.0');
    server.publish('beta', '0.3.0-beta.1');
    const { updater } = realUpdater(server.url, '0.1.0');
    const port = recordedInstall(appUpdaterPort(updater)).port;
    expect(await controller(port, { channel: 'stable' }).checkNow()).toMatchObject({ state: 'up_to_date' });
    expect(await controller(port, { channel: 'beta' }).checkNow()).toMatchObject({ state: 'ready', version: '0.3.0-beta.1', channel: 'beta' });
  });

  it('a broken latest.yml offers nothing and says so in words; the installed version keeps working', async () => {
    for (const broken of ['version: [not, a, version\nfiles: {', 'files: []\npath: x\n', 'version: banana\nfiles:\n  - url: x.AppImage\n    sha512: abc\n']) {
      server.files.set('latest-linux.yml', broken);
      const { updater } = realUpdater(server.url, '0.1.0');
      const { port, installs } = recordedInstall(appUpdaterPort(updater));
      const c = controller(port);
      const s = await c.checkNow();
      expect(s, broken).toMatchObject({ state: 'error', version: null, message: 'Leadbell could not check for updates. It will try again tomorrow; this version keeps working.' });
      c.restartToUpdate();
      expect(installs).toEqual([]);
      expect(fs.readFileSync(process.env.APPIMAGE!, 'utf8')).toBe('the installed version');
    }
  });

  it('a download that does not match its sha512 is thrown away, not offered', async () => {
    server.publish('latest', '0.2.0', { corruptAfterHashing: true });
    const { updater } = realUpdater(server.url, '0.1.0');
    const { port, installs } = recordedInstall(appUpdaterPort(updater));
    const c = controller(port);
    expect(await c.checkNow()).toMatchObject({
      state: 'error',
      version: null,
      message: 'The update could not be downloaded completely, so it was not installed. This version keeps working; Leadbell will try again.',
    });
    c.restartToUpdate();
    expect(installs).toEqual([]);
  });

  it('never restarts while requests are being received or steps are in flight; restarts once they are done', async () => {
    server.publish('latest', '0.2.0');
    const { updater } = realUpdater(server.url, '0.1.0');
    const { port, installs } = recordedInstall(appUpdaterPort(updater));
    let busy = true;
    const timers = new ManualTimers();
    const c = controller(port, { busy: () => busy, timers });
    await c.checkNow();
    expect(c.restartToUpdate()).toMatchObject({ state: 'ready', waiting_for_work: true });
    timers.fire(BUSY_RECHECK_MS);
    timers.fire(BUSY_RECHECK_MS);
    expect(installs).toEqual([]);
    busy = false;
    timers.fire(BUSY_RECHECK_MS);
    expect(installs).toHaveLength(1);
    expect(c.get()).toMatchObject({ state: 'installing', waiting_for_work: false });
    timers.fire(BUSY_RECHECK_MS);
    expect(installs).toHaveLength(1);
  });

  it('checks at start and then daily', async () => {
    server.publish('latest', '0.1.0');
    const { updater } = realUpdater(server.url, '0.1.0');
    const timers = new ManualTimers();
    const c = controller(recordedInstall(appUpdaterPort(updater)).port, { timers });
    c.start();
    await expect.poll(() => c.get().state).toBe('up_to_date');
    expect(server.asked.filter((a) => a === 'latest-linux.yml')).toHaveLength(1);
    timers.fire(24 * 3_600_000);
    await expect.poll(() => server.asked.filter((a) => a === 'latest-linux.yml').length).toBe(2);
    c.stop();
  });
});

function trayStatus(): Status {
  return {
    receiver: { paused: false },
    relay: { state: 'off' },
    tunnel: { state: 'online' },
  } as unknown as Status;
}
