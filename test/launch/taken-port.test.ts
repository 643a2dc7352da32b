/**
 * A port already taken when Leadbell starts, in the desktop app and in headless mode: a default
 * (or remembered) port gives way to a free one, kept in settings and announced in words; a port
 * the owner set is refused, saying what holds it and what to do. The ports are really occupied
 * on loopback, by a plain server or by another Leadbell.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { listenFromEnv, parseEnv } from '../../electron/core/config/env.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { startDesktop, type Desktop } from '../../electron/shell/desktop.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { fakeDesktop } from '../shell/fake-ports.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A plain TCP server holding a port on loopback (not Leadbell). */
async function occupy(): Promise<number> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as net.AddressInfo).port;
}

const quietLog = () => createLogger({ level: 'error', write: () => undefined });
const offline = (o: CoreOptions) => createCore({ ...o, settingsOverride: { apply: (s) => ({ ...s, tunnel: { ...s.tunnel, enabled: false } }), names: [] } });

async function desktop(dataDir: string, listen: CoreOptions['listen']) {
  const fake = fakeDesktop();
  const d = await startDesktop(fake.ports, { dataDir, listen, log: quietLog(), createCore: offline });
  if (d) cleanups.push(() => d.core.stop());
  return { fake, desktop: d as Desktop | null };
}

describe('the desktop app with its default port taken', () => {
  it('listens on a free port, keeps it for next time, and tells the owner which address changed and why', async () => {
    const taken = await occupy();
    const dataDir = tempDir();
    const { fake, desktop: d } = await desktop(dataDir, { host: '127.0.0.1', port: taken, tunnelPort: 0, movable: { port: true, tunnelPort: true } });
    const core = d!.core;
    expect(core.receiver.port).not.toBe(taken);
    expect((await fetch(`http://127.0.0.1:${core.receiver.port}/health`)).status).toBe(200);
    expect(core.stores.settings.get().receiver.port).toBe(core.receiver.port);

    const words = `Port ${taken} was in use by another program, so Leadbell receives webhooks at http://127.0.0.1:${core.receiver.port}/api/webhooks/… instead (kept for next time). Your public address is unchanged.`;
    await expect.poll(() => fake.notifications.shown.map((n) => `${n.title}: ${n.body}`)).toEqual([`Leadbell moved to a free port: ${words}`]);
    expect((await core.handlers.getStatus({})).receiver.port_notice).toBe(words);
    expect(fake.errors).toEqual([]);

    // Next start: the remembered port is used, with nothing to announce.
    const kept = core.receiver.port;
    await core.stop();
    const again = await desktop(dataDir, { host: '127.0.0.1', port: taken, tunnelPort: 0, movable: { port: true, tunnelPort: true } });
    expect(again.desktop!.core.receiver.port).toBe(kept);
    expect((await again.desktop!.core.handlers.getStatus({})).receiver.port_notice).toBeNull();
    expect(again.fake.notifications.shown).toEqual([]);
  });

  it('names another Leadbell holding the port', async () => {
    const other: TestCore = await startTestCore();
    cleanups.push(() => other.stop());
    const { desktop: d } = await desktop(tempDir(), { host: '127.0.0.1', port: other.core.receiver.port, tunnelPort: 0, movable: { port: true } });
    expect((await d!.core.handlers.getStatus({})).receiver.port_notice).toMatch(
      new RegExp(`^Port ${other.core.receiver.port} was in use by another Leadbell \\(the desktop app or the background service\\), so`),
    );
  });

  it('refuses a port the owner set (LEADBELL_PORT), saying what holds it and what to do, and quits', async () => {
    const taken = await occupy();
    const env = { LEADBELL_PORT: String(taken), LEADBELL_TUNNEL_PORT: '0' };
    const listen = listenFromEnv(env, parseEnv(env));
    expect(listen.movable).toEqual({ port: false, tunnelPort: false });
    const { fake, desktop: d } = await desktop(tempDir(), listen);
    expect(d).toBeNull();
    expect(fake.errors).toEqual([
      {
        title: 'Leadbell could not start',
        message: `Port ${taken} (for webhooks) is already in use by another program, and it was set for Leadbell by LEADBELL_PORT. Quit the program using it, or set LEADBELL_PORT to another port (or remove it to let Leadbell pick a free one).`,
      },
    ]);
    expect(fake.app.quitCalls).toBe(1);
  });
});

describe('headless mode with a port taken', () => {
  const entry = path.join(import.meta.dirname, '../helpers/headless-entry.ts');
  const run = (env: Record<string, string>) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, LEADBELL_TUNNEL: 'off', LEADBELL_ADMIN_TOKEN: 'headless-token-0123456789', ...env } });
    const out = { stdout: '', stderr: '' };
    proc.stdout.on('data', (d) => (out.stdout += d));
    proc.stderr.on('data', (d) => (out.stderr += d));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    cleanups.push(async () => {
      proc.kill('SIGTERM');
      await exited;
    });
    return { proc, out, exited };
  };

  it('moves off a taken remembered port and says so on the terminal and in its log', async () => {
    const taken = await occupy();
    const dataDir = tempDir();
    // An earlier run remembered a port that another program holds now.
    const first: Core = await createCore({ dataDir, mode: 'headless', listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 } });
    first.stores.settings.update({ receiver: { port: taken } });
    await first.stop();

    const { out } = run({ LEADBELL_DATA_DIR: dataDir, LEADBELL_ADMIN_PORT: '0', LEADBELL_TUNNEL_PORT: '0' });
    await expect.poll(() => out.stderr, { timeout: 20_000 }).toContain('Leadbell is running');
    const port = Number(/Webhooks: +http:\/\/127\.0\.0\.1:(\d+)\//.exec(out.stderr)![1]);
    expect(port).not.toBe(taken);
    expect(out.stderr).toContain(
      `Note:          Port ${taken} was in use by another program, so Leadbell receives webhooks at http://127.0.0.1:${port}/api/webhooks/… instead (kept for next time).`,
    );
    // Whole lines only: the last one may still be on its way.
    const logged = () => out.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l) as { msg: string; kind?: string; lead_id?: string | null; moves?: unknown });
    await expect.poll(() => logged().find((l) => l.msg === 'a port was taken: listening on a free one')?.moves).toEqual([{ role: 'webhooks', wanted: taken, port }]);
    // Notifications are logged by id and kind, never by their words (a lead's can name the person).
    await expect.poll(() => logged().some((l) => l.msg === 'notification' && l.kind === 'info' && l.lead_id === null)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it('refuses a LEADBELL_PORT that is taken, and exits saying what to do', async () => {
    const taken = await occupy();
    const { out, exited } = run({ LEADBELL_DATA_DIR: tempDir(), LEADBELL_PORT: String(taken), LEADBELL_ADMIN_PORT: '0', LEADBELL_TUNNEL_PORT: '0' });
    expect(await exited).toBe(1);
    expect(out.stderr).toContain(`Leadbell could not start: Port ${taken} (for webhooks) is already in use by another program, and it was set for Leadbell by LEADBELL_PORT.`);
  });
});
