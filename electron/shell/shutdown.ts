/**
 * Quitting, whoever asks: the owner (tray, menu, Cmd+Q), macOS or Linux shutting down
 * (powerMonitor 'shutdown'), or Windows ending the session ('session-end' on a window; Electron
 * does not emit before-quit then, docs/api/app.md). The core is stopped once, for at most
 * STOP_LIMIT_MS: a hung stop still quits. Everything acknowledged is already committed to SQLite,
 * so what a cut-short stop loses is in-flight automation work, which resumes at the next start.
 *
 *   running --(quit asked | OS shutdown | session end)--> stopping --(stopped | time up)--> stopped
 *
 * Only `stopped` lets Electron's quit through; from `stopping` on, the window closes for real
 * instead of hiding in the tray (a close handler that still prevented it would hold up Windows'
 * shutdown, "this app is preventing shutdown").
 */
import type { Logger } from '../core/log/logger.js';

/**
 * Linux gives a shutdown delay lock 5 s (systemd-logind's InhibitDelayMaxSec default, which
 * Electron's powerMonitor takes, shell/browser/lib/power_observer_linux.cc); stay under it.
 */
export const STOP_LIMIT_MS = 4000;

export type ShutdownPhase = 'running' | 'stopping' | 'stopped';

const TRANSITIONS = {
  begin: { from: ['running'], to: 'stopping' },
  finish: { from: ['stopping'], to: 'stopped' },
} as const satisfies Record<string, { from: readonly ShutdownPhase[]; to: ShutdownPhase }>;

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ShutdownDeps {
  stop(): Promise<void>;
  /** app.quit(): asks again once the core is stopped. */
  quit(): void;
  log: Logger;
  clock?: Clock;
  limitMs?: number;
}

export class Shutdown {
  private phase: ShutdownPhase = 'running';
  /** Windows is ending the session: Electron's own quit must go on at once, not wait for the core. */
  private urgent = false;

  constructor(private readonly deps: ShutdownDeps) {}

  get state(): ShutdownPhase {
    return this.phase;
  }

  /** Whether the window should really close rather than hide in the tray. */
  get quitting(): boolean {
    return this.phase !== 'running';
  }

  /** before-quit: held until the core has stopped, then let through. */
  beforeQuit(event: { preventDefault(): void }): void {
    if (this.phase === 'stopped' || this.urgent) return;
    event.preventDefault();
    this.begin('quit');
  }

  /** powerMonitor 'shutdown' (Linux, macOS): hold the shutdown for the stop, then quit. */
  systemShutdown(event: { preventDefault(): void }): void {
    // preventDefault keeps the delay lock Electron took; quit() then releases it (docs/api/power-monitor.md).
    event.preventDefault();
    this.begin('the computer is shutting down');
  }

  /**
   * 'session-end' (Windows): Electron ends the process right after this returns unless a quit
   * has begun (shell/browser/native_window_views_win.cc, WM_ENDSESSION), so the quit starts now
   * and is not held; the stop runs for as long as Electron's own shutdown lasts.
   */
  sessionEnd(): void {
    this.urgent = true;
    this.begin('the Windows session is ending');
    this.deps.quit();
  }

  private move(name: keyof typeof TRANSITIONS): boolean {
    const t = TRANSITIONS[name];
    if (!(t.from as readonly ShutdownPhase[]).includes(this.phase)) return false;
    this.phase = t.to;
    return true;
  }

  private begin(reason: string): void {
    if (!this.move('begin')) return;
    const { clock = systemClock, limitMs = STOP_LIMIT_MS, log } = this.deps;
    this.deps.log.info('stopping', { reason });
    let timer: unknown;
    const timeUp = new Promise<'time up'>((resolve) => (timer = clock.setTimeout(() => resolve('time up'), limitMs)));
    const stopped = this.deps.stop().then(
      () => 'stopped' as const,
      (e: Error) => {
        log.error('stopping failed; quitting anyway', { error: e });
        return 'failed' as const;
      },
    );
    void Promise.race([stopped, timeUp]).then((outcome) => {
      clock.clearTimeout(timer);
      if (outcome === 'time up') log.warn('stopping took too long; quitting anyway', { limit_ms: limitMs, reason });
      this.move('finish');
      this.deps.quit();
    });
  }
}
