import type { MethodOutput } from '../../../../shared/api/contract.js';
import type { Status } from '../../../../shared/api/models.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { CopyField } from '../../components/CopyField.js';
import { Card, Notice } from '../../components/Layout.js';
import { formatBytes } from '../../lib/format.js';

export function DataSection({ status }: { status: Status | undefined }) {
  const backup = useApiMutation('backupDatabase');
  const done: MethodOutput<'backupDatabase'> | undefined = backup.data;
  return (
    <Card title="Your data" subtitle="Everything stays in one file on this computer. Back it up now and then." labelledBy="data-title">
      {status && (
        <div className="stack">
          <span className="field-label">Data folder</span>
          <CopyField value={status.data_dir} label="Copy the data folder path" />
          <span className="field-label">Database file</span>
          <CopyField value={status.storage.path} label="Copy the database file path" />
        </div>
      )}
      <div className="form-actions">
        <Button icon="database" busy={backup.isPending} onClick={() => backup.mutate({})}>
          Back up now
        </Button>
      </div>
      {done && (
        <Notice tone="good" title={`Backup saved (${formatBytes(done.bytes)})`}>
          <code data-testid="backup-path">{done.path}</code>
        </Notice>
      )}
      {backup.error && <Notice tone="bad">{errorMessage(backup.error)}</Notice>}
    </Card>
  );
}
