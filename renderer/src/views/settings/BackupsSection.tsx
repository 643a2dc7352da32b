/**
 * Settings → Backups: the passphrase, the folder (the system's picker on the desktop, a typed path
 * in the browser), the schedule, "Back up now", and the list of backups, each restorable.
 */
import { useState } from 'react';
import type { BackupItem, BackupsView } from '../../../../shared/api/models.js';
import { useTransport } from '../../api/context.js';
import { errorFor, errorMessage, fieldErrors } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { useToasts } from '../../components/Toasts.js';
import { formatBytes } from '../../lib/format.js';
import { SecretField } from '../integrations/SecretField.js';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function FolderField({ view }: { view: BackupsView }) {
  const { kind } = useTransport();
  const [typed, setTyped] = useState(view.default_folder ? '' : view.folder);
  const save = useApiMutation('updateSettings', ['getSettings', 'getBackups']);
  const choose = useApiMutation('chooseBackupFolder', ['getSettings', 'getBackups']);
  const errors = fieldErrors(save.error, 'backup.');
  if (view.folder_from_env) {
    return (
      <div className="stack">
        <span className="field-label">Backup folder</span>
        <code>{view.folder}</code>
        <Badge tone="info">Set by LEADBELL_BACKUP_DIR</Badge>
      </div>
    );
  }
  if (kind !== 'http') {
    return (
      <div className="stack">
        <span className="field-label">Backup folder</span>
        <code data-testid="backup-folder">{view.folder}</code>
        <div className="form-actions">
          <Button icon="database" busy={choose.isPending} onClick={() => choose.mutate({})}>
            Choose folder…
          </Button>
        </div>
        {choose.error && <Notice tone="bad">{errorMessage(choose.error)}</Notice>}
      </div>
    );
  }
  return (
    <form
      className="form-grid"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ backup: { folder: typed.trim() || null } });
      }}
    >
      <Field
        label="Backup folder"
        className="span-2"
        hint="A full path: a synced folder (Dropbox, iCloud Drive, OneDrive) or a USB disk. Empty: the data folder, on this computer's own disk."
        error={errorFor(errors, 'folder')}
      >
        {(p) => <input {...p} value={typed} spellCheck={false} placeholder={view.folder} onChange={(e) => setTyped(e.target.value)} />}
      </Field>
      <div className="form-actions span-2">
        <Button type="submit" busy={save.isPending}>
          Use this folder
        </Button>
      </div>
    </form>
  );
}

function Schedule({ view }: { view: BackupsView }) {
  const [every, setEvery] = useState(String(view.every_hours));
  const [keep, setKeep] = useState(String(view.keep));
  const save = useApiMutation('updateSettings', ['getSettings', 'getBackups']);
  const errors = fieldErrors(save.error, 'backup.');
  return (
    <>
      <Switch
        label="Back up on a schedule"
        checked={view.scheduled}
        onChange={(scheduled) => save.mutate({ backup: { scheduled } })}
        description={
          !view.passphrase_set
            ? 'Waits for a passphrase.'
            : view.next_due_at
              ? `Next backup ${new Date(view.next_due_at) <= new Date() ? 'in a few minutes' : when(view.next_due_at)}.`
              : undefined
        }
      />
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ backup: { every_hours: Number(every), keep: Number(keep) } });
        }}
      >
        <Field label="Every (hours)" hint="24 is once a day." error={errorFor(errors, 'every_hours')}>
          {(p) => <input {...p} type="number" min={1} value={every} onChange={(e) => setEvery(e.target.value)} />}
        </Field>
        <Field label="Keep the last" hint="Older scheduled backups are deleted." error={errorFor(errors, 'keep')}>
          {(p) => <input {...p} type="number" min={1} value={keep} onChange={(e) => setKeep(e.target.value)} />}
        </Field>
        <div className="form-actions span-2">
          <Button type="submit" busy={save.isPending}>
            Save schedule
          </Button>
        </div>
      </form>
    </>
  );
}

function RestoreForm({ item, onDone }: { item: BackupItem; onDone: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const restore = useApiMutation('restoreBackup', []);
  const { push } = useToasts();
  return (
    <form
      className="restore-form stack"
      aria-label={`Restore the backup of ${item.created_at ? when(item.created_at) : item.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        restore.mutate(
          { name: item.name, ...(passphrase && { passphrase }) },
          {
            onSuccess: (r) => {
              push({
                tone: 'good',
                title: `Restored ${count(r.leads, 'lead', 'leads')} from ${when(r.created_at)}`,
                body: r.restarting ? 'Leadbell restarted on the backup.' : 'Restart Leadbell to finish.',
              });
              onDone();
            },
          },
        );
      }}
    >
      <p>
        Leadbell will use this backup instead of what it holds now. What it holds now is kept as a safety copy in the data folder, then
        Leadbell restarts.
      </p>
      <Field label="Passphrase of this backup" hint="Leave empty to use the passphrase saved on this computer.">
        {(p) => <input {...p} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
      </Field>
      {restore.error && <Notice tone="bad">{errorMessage(restore.error)}</Notice>}
      <div className="form-actions">
        <Button type="submit" variant="danger" busy={restore.isPending}>
          Restore and restart
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function BackupList({ items }: { items: BackupItem[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (!items.length) return <p className="muted">No backups in this folder yet.</p>;
  return (
    <ul className="backup-list" aria-label="Backups">
      {items.map((b) => (
        <li key={b.name} className="backup-row">
          <div className="backup-facts">
            <strong>{b.created_at ? when(b.created_at) : b.name}</strong>
            <span className="muted">
              {b.problem ?? `${count(b.leads ?? 0, 'lead', 'leads')}, ${count(b.events ?? 0, 'event', 'events')} · ${formatBytes(b.bytes)}`}
            </span>
            {b.newer && <Badge tone="warn">{`From a newer Leadbell (${b.app_version}): update to restore it`}</Badge>}
          </div>
          {!b.problem && !b.newer && open !== b.name && (
            <Button size="sm" onClick={() => setOpen(b.name)} aria-label={`Restore the backup of ${b.created_at ? when(b.created_at) : b.name}`}>
              Restore…
            </Button>
          )}
          {open === b.name && <RestoreForm item={b} onDone={() => setOpen(null)} />}
        </li>
      ))}
    </ul>
  );
}

export function BackupsSection({ passphrase }: { passphrase: { set: boolean; from_env: boolean } | undefined }) {
  const backups = useApiQuery('getBackups', {});
  const now = useApiMutation('backupDatabase', ['getBackups']);
  return (
    <Card
      title="Backups"
      subtitle="Encrypted copies of everything Leadbell holds, made on a schedule into a folder you choose. Keep the passphrase somewhere safe: without it a backup cannot be opened."
      labelledBy="backups-title"
    >
      <SecretField
        name="backup.passphrase"
        label="Backup passphrase"
        title="backup passphrase"
        hint="At least 8 characters. Saved in this computer's keychain. Backups made before a change still need the passphrase they were made with."
        state={passphrase}
      />
      <QueryState query={backups} what="Backups">
        {(view) => (
          <div className="stack">
            <FolderField key={view.folder} view={view} />
            {view.default_folder && (
              <Notice tone="warn" title="Backups are on this computer's own disk">
                If this disk fails, they go with it. Choose a synced folder or a USB disk.
              </Notice>
            )}
            <Schedule key={`${view.every_hours}-${view.keep}`} view={view} />
            <div className="form-actions">
              <Button icon="database" variant="primary" busy={now.isPending} disabled={!view.passphrase_set} onClick={() => now.mutate({})}>
                Back up now
              </Button>
            </div>
            {now.data && (
              <Notice tone="good" title={`Backup saved: ${count(now.data.leads, 'lead', 'leads')} (${formatBytes(now.data.bytes)})`}>
                <code data-testid="backup-path">{now.data.path}</code>
              </Notice>
            )}
            {now.error && <Notice tone="bad">{errorMessage(now.error)}</Notice>}
            {!now.data && !now.error && view.last && !view.last.ok && (
              <Notice tone="bad" title={`The last backup (${when(view.last.at)}) was not made`}>
                {view.last.message}
              </Notice>
            )}
            {view.restore_pending && <Notice tone="info">{`The backup ${view.restore_pending} is unpacked: restart Leadbell to use it.`}</Notice>}
            <h3 className="field-label">In the backup folder</h3>
            <BackupList items={view.items} />
          </div>
        )}
      </QueryState>
    </Card>
  );
}
