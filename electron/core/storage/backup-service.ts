/**
 * Backups as the owner sees them: made on a schedule (daily by default, the last N kept) and on
 * demand, into the folder they chose, with the passphrase from the secret store; listed with
 * date and lead count; restored through a staged swap at the next start.
 */
import path from 'node:path';
import type { BackupSettings } from '../../../shared/settings.js';
import type { Logger } from '../log/logger.js';
import { listBackups, BackupRefused, type ListedBackup } from './backup-folder.js';
import { nextBackupDue } from './backup-schedule.js';
import { stageRestore, RestoreRefused, type StagedRestore } from './backup-restore.js';
import { BACKUP_DIR, makeBackup, type BackupResult } from './backup.js';
import type { Db } from './database.js';
import { ensurePrivateDir } from './private-files.js';

export const BACKUP_PASSPHRASE = 'backup.passphrase';
/** How often the schedule is looked at; a backup is at most this late. */
const CHECK_MS = 10 * 60_000;

export interface BackupServiceDeps {
  db: Db;
  dataDir: string;
  appVersion: string;
  settings: () => BackupSettings;
  passphrase: () => string | null;
  clock: () => number;
  log: Logger;
  /** Told when a scheduled backup fails, once per distinct reason (the bell, through the owner's alert settings). */
  onScheduledFailure: (message: string) => void;
  onChange: () => void;
}

export interface LastAttempt {
  at: string;
  ok: boolean;
  message: string;
}

export class BackupService {
  private running: Promise<BackupResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFailureMs: number | null = null;
  private lastFailureMessage: string | null = null;
  last: LastAttempt | null = null;

  constructor(private readonly d: BackupServiceDeps) {}

  folder(): string {
    return this.d.settings().folder ?? path.join(this.d.dataDir, BACKUP_DIR);
  }

  list(): ListedBackup[] {
    return listBackups(this.folder());
  }

  nextDueMs(): number | null {
    const s = this.d.settings();
    if (!s.scheduled) return null;
    const newest = this.list().find((b) => b.created_at !== null)?.created_at;
    return nextBackupDue({ every_hours: s.every_hours, lastBackupMs: newest ? Date.parse(newest) : null, lastFailureMs: this.lastFailureMs });
  }

  /** One backup at a time: a second request waits for, and gets, the one under way. */
  backupNow(name?: string): Promise<BackupResult> {
    if (this.running && name === undefined) return this.running;
    if (this.running) return Promise.reject(new BackupRefused('A backup is being made right now: try again in a moment.'));
    const s = this.d.settings();
    // The default folder is Leadbell's own (private, like the data folder); a chosen one is the owner's.
    if (s.folder === null) ensurePrivateDir(this.folder());
    const run = makeBackup({
      db: this.d.db,
      dataDir: this.d.dataDir,
      folder: this.folder(),
      passphrase: this.d.passphrase(),
      appVersion: this.d.appVersion,
      now: this.d.clock(),
      keep: s.keep,
      name,
    });
    this.running = run;
    return run
      .then((r) => {
        this.last = { at: r.created_at, ok: true, message: `Saved ${r.name}: ${r.leads.toLocaleString('en')} leads, ${r.events.toLocaleString('en')} events.` };
        this.lastFailureMs = null;
        this.lastFailureMessage = null;
        this.d.log.info('backup made', { leads: r.leads, events: r.events, bytes: r.bytes });
        return r;
      })
      .catch((err: Error) => {
        this.last = { at: new Date(this.d.clock()).toISOString(), ok: false, message: err.message };
        throw err;
      })
      .finally(() => {
        this.running = null;
        this.d.onChange();
      });
  }

  /** Makes the scheduled backup if it is due; a failure is told once and tried again later. */
  async tick(): Promise<'made' | 'not_due' | 'needs_passphrase' | 'failed'> {
    // Not a failure: Settings → Backups says scheduled backups wait for a passphrase.
    if (!this.d.passphrase()) return 'needs_passphrase';
    const due = this.nextDueMs();
    if (due === null || this.d.clock() < due) return 'not_due';
    try {
      await this.backupNow();
      return 'made';
    } catch (err) {
      const message = (err as Error).message;
      this.lastFailureMs = this.d.clock();
      this.d.log.warn('a scheduled backup failed', { reason: message });
      if (message !== this.lastFailureMessage) this.d.onScheduledFailure(message);
      this.lastFailureMessage = message;
      return 'failed';
    }
  }

  async restore(name: string, passphrase: string | null): Promise<StagedRestore> {
    const pass = passphrase ?? this.d.passphrase();
    if (!pass) throw new RestoreRefused('Type the passphrase this backup was made with.');
    const listed = this.list().find((b) => b.name === name);
    if (!listed) throw new RestoreRefused(`There is no backup called ${name} in ${this.folder()}.`);
    return stageRestore({ file: path.join(this.folder(), name), passphrase: pass, dataDir: this.d.dataDir, nowMs: this.d.clock() });
  }

  start(): void {
    const check = () => void this.tick().catch((e: Error) => this.d.log.warn('could not check the backup schedule', { error: e }));
    check();
    this.timer = setInterval(check, CHECK_MS);
    this.timer.unref();
  }

  /** Waits for a backup under way (its partial file would otherwise be left for the next one to remove). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
