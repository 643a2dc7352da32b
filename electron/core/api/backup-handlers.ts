/** The backup methods of the API: back up now, the list, restore, and the desktop's folder picker. */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import { BackupFileError } from '../storage/backup-file.js';
import { BackupRefused, checkFolder } from '../storage/backup-folder.js';
import { RestoreRefused, SCHEMA_VERSION, stagedRestore } from '../storage/backup-restore.js';
import { BACKUP_PASSPHRASE, type BackupService } from '../storage/backup-service.js';
import { BackupExistsError } from '../storage/backup.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../storage/settings-store.js';
import { ApiError } from './api-error.js';

export interface BackupHandlerDeps {
  service: BackupService;
  settings: SettingsStore;
  secrets: SecretStore;
  dataDir: string;
  folderFromEnv: boolean;
  /** Restarts the core on the staged restore; absent: the owner restarts Leadbell. */
  restart?: () => void;
  updateSettings: ApiHandlers['updateSettings'];
  /** The desktop's folder picker; absent in headless mode. */
  chooseFolder?: () => Promise<string | null>;
}

type BackupHandlers = Pick<ApiHandlers, 'backupDatabase' | 'getBackups' | 'restoreBackup' | 'chooseBackupFolder'>;

/** Refusals are the owner's to fix (400 with the words), a name taken is 409; anything else stays a 500. */
function inWords(e: unknown): never {
  if (e instanceof BackupExistsError) throw new ApiError('conflict', e.message);
  if (e instanceof BackupRefused || e instanceof RestoreRefused || e instanceof BackupFileError) throw new ApiError('invalid_input', e.message);
  throw e;
}

/** A chosen folder must be one Leadbell can write to: refused at once, next to the field. */
export function checkedFolder(folder: unknown): void {
  if (typeof folder !== 'string') return;
  try {
    checkFolder(folder);
  } catch (e) {
    if (e instanceof BackupRefused) throw new ApiError('invalid_input', e.message, [{ path: 'backup.folder', message: e.message }]);
    throw e;
  }
}

export function backupHandlers(d: BackupHandlerDeps): BackupHandlers {
  return {
    backupDatabase: async ({ name }) => d.service.backupNow(name).catch(inWords),
    getBackups: async () => {
      const s = d.settings.get().backup;
      const next = d.service.nextDueMs();
      return {
        folder: d.service.folder(),
        default_folder: s.folder === null,
        folder_from_env: d.folderFromEnv,
        passphrase_set: d.secrets.get(BACKUP_PASSPHRASE) !== null,
        scheduled: s.scheduled,
        every_hours: s.every_hours,
        keep: s.keep,
        next_due_at: next === null ? null : new Date(next).toISOString(),
        last: d.service.last,
        restore_pending: stagedRestore(d.dataDir)?.name ?? null,
        items: d.service.list().map((b) => ({
          name: b.name,
          bytes: b.bytes,
          created_at: b.created_at,
          app_version: b.app_version,
          leads: b.leads,
          events: b.events,
          newer: b.schema_version !== null && b.schema_version > SCHEMA_VERSION,
          problem: b.problem,
        })),
      };
    },
    restoreBackup: async ({ name, passphrase }) => {
      const staged = await d.service.restore(name, passphrase ?? null).catch(inWords);
      // Answered first, then restarted: the UI reconnects to the restored data.
      if (d.restart) setImmediate(d.restart);
      return { ...staged, restarting: Boolean(d.restart) };
    },
    chooseBackupFolder: async () => {
      if (!d.chooseFolder) throw new ApiError('unavailable', 'There is no folder picker in headless mode: type the folder path, or set LEADBELL_BACKUP_DIR.');
      const folder = await d.chooseFolder();
      if (folder === null) return { folder: null };
      await d.updateSettings({ backup: { folder } });
      return { folder };
    },
  };
}
