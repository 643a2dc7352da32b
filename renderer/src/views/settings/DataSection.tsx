import type { Status } from '../../../../shared/api/models.js';
import { CopyField } from '../../components/CopyField.js';
import { Card } from '../../components/Layout.js';

/** Where Leadbell keeps its data; backing it up is the Backups card's job. */
export function DataSection({ status }: { status: Status | undefined }) {
  return (
    <Card title="Your data" subtitle="Everything stays in one file on this computer. Backups below keep encrypted copies elsewhere." labelledBy="data-title">
      {status && (
        <div className="stack">
          <span className="field-label">Data folder</span>
          <CopyField value={status.data_dir} label="Copy the data folder path" />
          <span className="field-label">Database file</span>
          <CopyField value={status.storage.path} label="Copy the database file path" />
        </div>
      )}
    </Card>
  );
}
