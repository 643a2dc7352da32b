/**
 * Updates, decided here and done by electron-updater behind UpdaterPort: a check at start and
 * daily, the download in the background, then "Restart to update" offered in the tray and the UI.
 * Leadbell never restarts on its own: the owner asks, and even then the restart waits until no
 * request is being received and no step is in flight. Anything that fails leaves the installed
 * version running and says so.
 */
import type { UpdateStatus } from '../../shared/api/models.js';
import type { Logger } from '../core/log/logger.js';

export type UpdateChannel = 'stable' | 'beta';

/** What electron-updater does for us (updater-port.ts implements it). */
export interface UpdaterPort {
  setChannel(channel: UpdateChannel): void;
  /** The newer version offered on the channel, or null when there is none (older and equal ones included). */
  check(): Promise<{ version: string } | null>;
  /** Downloads the version found last and verifies it (sha512 from the feed). */
  download(): Promise<void>;
  /** Quits, installs the downloaded version and starts it. */
  install(): void;
}

export interface UpdateControllerDeps {
  port: UpdaterPort;
  currentVersion: string;
  channel: () => UpdateChannel;
  /** Whether requests are being received or steps are in flight; a restart waits while it is. */
  busy: () => boolean;
  clock: () => number;
  log: Logger;
  onChange: (s: UpdateStatus) => void;
  /** Timers (tests drive them by hand). */
  every?: (ms: number, fn: () => void) => () => void;
}

export const DAY_MS = 24 * 3_600_000;
/** How often a waiting restart looks again whether the work has finished. */
export const BUSY_RECHECK_MS = 5_000;

const realEvery = (ms: number, fn: () => void) => {
  const t = setInterval(fn, ms);
  t.unref();
  return () => clearInterval(t);
};

/** An update failure in the owner's words; the detail (a URL, an HTTP code) goes to the log only. */
function failureWords(stage: 'check' | 'download'): string {
  return stage === 'check'
    ? 'Leadbell could not check for updates. It will try again tomorrow; this version keeps working.'
    : 'The update could not be downloaded completely, so it was not installed. This version keeps working; Leadbell will try again.';
}

export class UpdateController {
  private status: UpdateStatus;
  private stops: (() => void)[] = [];
  private stopWaiting: (() => void) | null = null;
  private checking: Promise<UpdateStatus> | null = null;

  constructor(private readonly d: UpdateControllerDeps) {
    this.status = { available: true, state: 'idle', current_version: d.currentVersion, version: null, channel: d.channel(), checked_at: null, message: null, waiting_for_work: false };
  }

  get(): UpdateStatus {
    return this.status;
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.status = { ...this.status, ...patch };
    this.d.onChange(this.status);
  }

  start(): void {
    void this.checkNow();
    this.stops.push((this.d.every ?? realEvery)(DAY_MS, () => void this.checkNow()));
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
    this.stopWaiting?.();
  }

  /** Checks, and downloads what it finds; a version already downloaded stays offered. */
  checkNow(): Promise<UpdateStatus> {
    if (this.status.state === 'ready' || this.status.state === 'downloading') return Promise.resolve(this.status);
    this.checking ??= this.run().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async run(): Promise<UpdateStatus> {
    const channel = this.d.channel();
    this.d.port.setChannel(channel);
    this.set({ state: 'checking', channel, message: null });
    let found: { version: string } | null;
    try {
      found = await this.d.port.check();
    } catch (e) {
      this.d.log.warn('could not check for updates', { error: e as Error });
      this.set({ state: 'error', checked_at: new Date(this.d.clock()).toISOString(), message: failureWords('check') });
      return this.status;
    }
    const checked_at = new Date(this.d.clock()).toISOString();
    if (!found) {
      this.set({ state: 'up_to_date', checked_at, version: null });
      return this.status;
    }
    this.set({ state: 'downloading', checked_at, version: found.version });
    try {
      await this.d.port.download();
    } catch (e) {
      this.d.log.warn('could not download the update', { error: e as Error, version: found.version });
      this.set({ state: 'error', message: failureWords('download'), version: null });
      return this.status;
    }
    this.set({ state: 'ready', message: `Version ${found.version} is ready: restart Leadbell to use it.` });
    return this.status;
  }

  /**
   * The owner asked to restart into the update: now if nothing is being received or run,
   * otherwise as soon as that work has finished (the status says it is waiting).
   */
  restartToUpdate(): UpdateStatus {
    if (this.status.state !== 'ready') return this.status;
    if (!this.d.busy()) {
      this.install();
      return this.status;
    }
    if (!this.stopWaiting) {
      this.set({ waiting_for_work: true, message: 'Leadbell restarts to update as soon as the leads arriving and the steps under way are done.' });
      this.stopWaiting = (this.d.every ?? realEvery)(BUSY_RECHECK_MS, () => {
        if (!this.d.busy()) this.install();
      });
    }
    return this.status;
  }

  private install(): void {
    this.stopWaiting?.();
    this.stopWaiting = null;
    this.set({ state: 'installing', waiting_for_work: false, message: null });
    try {
      this.d.port.install();
    } catch (e) {
      this.d.log.warn('could not install the update', { error: e as Error });
      this.set({ state: 'error', message: 'The update could not be installed. This version keeps working; Leadbell will try again.', version: null });
    }
  }
}
