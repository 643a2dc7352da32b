/**
 * Import a CSV of existing leads: pick the file, check which column fills which field in the
 * preview, see every row that cannot be imported and why, then import the rest together.
 */
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { IMPORT_FIELDS, type ColumnMapping, type ImportField } from '../../../../shared/import/column-mapping.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { formatNumber } from '../../lib/format.js';

const FIELD_WORDS: Record<ImportField, string> = {
  email: 'Email (required)',
  first_name: 'First name',
  last_name: 'Last name',
  phone: 'Phone',
  segment: 'Segment',
  source: 'Came from',
  tags: 'Tags',
  owner_stage: 'Your stage',
};

function Problems({ errors }: { errors: MethodOutput<'previewLeadImport'>['errors'] }) {
  if (!errors.length) return null;
  return (
    <details open={errors.length <= 20}>
      <summary>
        {formatNumber(errors.length)} {errors.length === 1 ? 'row' : 'rows'} cannot be imported
      </summary>
      <ul className="import-errors" aria-label="Rows that cannot be imported">
        {errors.slice(0, 500).map((e) => (
          <li key={`${e.row}-${e.field}`}>
            Row {e.row}: {FIELD_WORDS[e.field as ImportField] ?? e.field} {e.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function ImportLeads({ onClose }: { onClose: () => void }) {
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [mapping, setMapping] = useState<ColumnMapping | undefined>(undefined);
  const [runAutomations, setRunAutomations] = useState(false);
  const preview = useApiMutation('previewLeadImport');
  const run = useApiMutation('importLeads', ['listLeads', 'getStats']);
  const look = (text: string, m?: ColumnMapping) => preview.mutate({ csv: text, ...(m && { mapping: m }) }, { onSuccess: (p) => setMapping(p.mapping) });
  const p = preview.data;
  return (
    <Card title="Import leads from a CSV file" labelledBy="import-title" subtitle="A list exported from a spreadsheet or another tool, with the column names in the first row.">
      <label className="inline-field">
        <span>Choose the file</span>
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            const text = await file.text();
            setFileName(file.name);
            setCsv(text);
            run.reset();
            look(text);
          }}
        />
      </label>
      {preview.isPending && <p className="muted">Reading {fileName}…</p>}
      {preview.error && <p className="field-error">{errorMessage(preview.error)}</p>}
      {p && csv && !run.data && (
        <div className="import-preview" data-testid="import-preview">
          <fieldset className="import-mapping">
            <legend>Which column holds what</legend>
            {IMPORT_FIELDS.map((f) => (
              <label key={f} className="inline-field">
                <span>{FIELD_WORDS[f]}</span>
                <select
                  value={mapping?.[f] ?? ''}
                  onChange={(e) => {
                    const next = { ...mapping, [f]: e.target.value || undefined };
                    setMapping(next);
                    look(csv, next);
                  }}
                >
                  <option value="">Not imported</option>
                  {p.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <p>
            {formatNumber(p.total)} rows: <strong>{formatNumber(p.new_leads)} new leads</strong>
            {p.already_leads > 0 && `, ${formatNumber(p.already_leads)} already in your leads (left as they are)`}.
          </p>
          {p.sample.length > 0 && (
            <div className="table-scroll">
              <table className="simple-table" aria-label="The first rows as leads">
                <thead>
                  <tr>
                    <th>Row</th>
                    <th>Email</th>
                    <th>Name</th>
                    <th>Phone</th>
                  </tr>
                </thead>
                <tbody>
                  {p.sample.map((s) => (
                    <tr key={String(s.row)}>
                      <td>{String(s.row)}</td>
                      <td>{String(s.email)}</td>
                      <td>{[s.first_name, s.last_name].filter(Boolean).join(' ')}</td>
                      <td>{s.phone ? String(s.phone) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Problems errors={p.errors} />
          <Switch
            label="Send them the welcome emails"
            checked={runAutomations}
            onChange={setRunAutomations}
            description={runAutomations ? 'The sign-up automations run for every new lead.' : 'Off: they are added quietly; nothing is sent.'}
          />
          <div className="form-actions">
            <Button variant="primary" busy={run.isPending} disabled={!p.new_leads} onClick={() => run.mutate({ csv, ...(mapping && { mapping }), run_automations: runAutomations })}>
              Import {formatNumber(p.new_leads)} leads
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
          {run.isPending && (
            <p role="status" className="muted">
              Importing {formatNumber(p.new_leads)} leads…
            </p>
          )}
          {run.error && <p className="field-error">{errorMessage(run.error)} Nothing was imported.</p>}
        </div>
      )}
      {run.data && (
        <>
          <Notice tone="good" title={`${formatNumber(run.data.imported)} leads imported`} actions={<Button onClick={onClose}>Done</Button>}>
            {run.data.already_leads > 0 && `${formatNumber(run.data.already_leads)} were already your leads and were left as they were.`}
          </Notice>
          <Problems errors={run.data.errors} />
        </>
      )}
    </Card>
  );
}
