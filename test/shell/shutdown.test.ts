/**
 * Quitting and the OS ending the session, through the shell's ports: the real core on loopback,
 * Electron's app, windows and powerMonitor faked (fake-ports.ts models Browser::Quit: before-quit,
 * then every window closes, a refusing window cancels the quit), and a clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type CoreOptions } from '../../electron/core/app.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { startDesktop } from '../../electron/shell/desktop.js';
import { STOP_LIMIT_MS, type Clock } from '../../electron/shell/shutdown.js';
import { tempDir } from '../helpers/core.js';
import { fakeDesktop, type FakeDesktop } from './fake-ports.js';

/** Timers that fire only when the test moves time on. */
class ManualClock implements Clock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(id: unknown) {
    this.timers.delete(id as number);
  }
  advance(ms: number) {
    this.now += ms;
    for (const [id, t] of [...this.timers]) {
      if (t.at <= this.now) {
        this.timers.delete(id);
        t.fn();
      }
    }
  }
  get pending() {
    return this.timers.size;
  }
}

const realStops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of realStops.splice(0)) await stop();
});

/** The real core, whose stop() the test can make hang (the real one still runs at cleanup). */
async function start(fake: FakeDesktop, opts: { hang?: boolean; clock?: Clock } = {}) {
  const stops: string[] = [];
  const logs: string[] = [];
  const desktop = await startDesktop(fake.ports, {
    dataDir: tempDir(),
    listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
    log: createLogger({ level: 'info', write: (l) => logs.push(l) }),
    autostartDir: tempDir(),
    clock: opts.clock,
    createCore: async (o: CoreOptions) => {
      const core = await createCore({ ...o, settingsOverride: { apply: (s) => ({ ...s, tunnel: { ...s.tunnel, enabled: false } }), names: [] } });
      const realStop = core.stop.bind(core);
      realStops.push(realStop);
      core.stop = () => {
        stops.push('stop');
        return opts.hang ? new Promise<void>(() => undefined) : realStop();
      };
      return core;
    },
  });
  return { desktop: desktop!, stops, logs };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('quitting', () => {
  it('a hung core.stop() still quits once the time is up', async () => {
    const fake = fakeDesktop();
    const clock = new ManualClock();
    const { stops, logs } = await start(fake, { hang: true, clock });
    fake.tray.item('Quit Leadbell').click!();
    await settle();
    expect(stops).toEqual(['stop']);
    expect(fake.app.exited).toBe(false);
    expect(fake.windows[0]!.destroyed).toBe(false);

    clock.advance(STOP_LIMIT_MS - 1);
    await settle();
    expect(fake.app.exited).toBe(false);
    clock.advance(1);
    await expect.poll(() => fake.app.exited).toBe(true);
    expect(fake.windows[0]!.destroyed).toBe(true);
    expect(stops).toEqual(['stop']);
    expect(logs.some((l) => l.includes('stopping took too long; quitting anyway'))).toBe(true);
  });

  it('a core that stops in time quits at once, and the timer is dropped', async () => {
    const fake = fakeDesktop();
    const clock = new ManualClock();
    const { desktop } = await start(fake, { clock });
    fake.tray.item('Quit Leadbell').click!();
    await expect.poll(() => fake.app.exited).toBe(true);
    expect(clock.pending).toBe(0);
    await expect(fetch(`http://127.0.0.1:${desktop.core.receiver.port}/health`)).rejects.toThrow();
  });
});

describe('the OS ending the session', () => {
  it('Windows session-end: the quit goes through at once (no window holds it) while the core stops', async () => {
    const fake = fakeDesktop({ platform: 'win32' });
    const clock = new ManualClock();
    const { stops } = await start(fake, { hang: true, clock });
    const win = fake.windows[0]!;
    win.endSession();
    // Electron ends the process right after session-end unless a quit has begun, so it must have.
    expect(fake.app.exited).toBe(true);
    expect(win.destroyed).toBe(true);
    expect(stops).toEqual(['stop']);
  });

  it('Linux or macOS shutdown: held for the stop, then quits (and a hung stop does not hold it past the limit)', async () => {
    const fake = fakeDesktop({ platform: 'linux' });
    const clock = new ManualClock();
    const { stops } = await start(fake, { hang: true, clock });
    expect(fake.systemShutdown()).toBe(true);
    await settle();
    expect(stops).toEqual(['stop']);
    expect(fake.app.exited).toBe(false);
    clock.advance(STOP_LIMIT_MS);
    await expect.poll(() => fake.app.exited).toBe(true);
    expect(fake.windows[0]!.destroyed).toBe(true);
  });

  it('after a shutdown began, closing the window closes it rather than hiding it in the tray', async () => {
    const fake = fakeDesktop({ platform: 'linux' });
    const clock = new ManualClock();
    await start(fake, { hang: true, clock });
    const win = fake.windows[0]!;
    expect(win.userClose()).toBe(false);
    win.show();
    fake.systemShutdown();
    expect(win.userClose()).toBe(true);
  });
});
