/**
 * Automations <-> Prefect: "Export for Prefect" downloads the triggers as a prefect.yaml; "Import
 * from Prefect" takes a prefect.yaml (or one trigger), shows what it would create, asks which
 * Leadbell flow runs each unknown deployment, and imports all or nothing.
 */
import { useState } from 'react';
import type { FlowInfo, Trigger } from '../../../../shared/api/models.js';
import { useApi } from '../../api/context.js';
import { useApiMutation } from '../../api/queries.js';
import { ApiClientError, errorMessage } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { downloadText } from '../../lib/download.js';

const ASKS_FLOW = /which Leadbell flow runs (?:deployment "(.+)"|these triggers)\?/;

type Preview = (Omit<Trigger, 'created_at' | 'updated_at' | 'id'> & { id: string | null })[];

export function ExportForPrefect() {
  const api = useApi();
  const { push } = useToasts();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { filename, yaml } = await api.exportPrefectYaml({});
      downloadText(filename, yaml, 'application/yaml;charset=utf-8');
      push({ tone: 'good', title: 'Exported for Prefect', body: filename });
    } catch (e) {
      push({ tone: 'bad', title: 'Export failed', body: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon="download" onClick={() => void run()} busy={busy}>
      Export for Prefect
    </Button>
  );
}

export function ImportFromPrefect({ flows, onDone }: { flows: FlowInfo[]; onDone: () => void }) {
  const api = useApi();
  const save = useApiMutation('importPrefectYaml', ['listTriggers']);
  const { push } = useToasts();
  const [yaml, setYaml] = useState('');
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([]);
  const [checking, setChecking] = useState(false);

  // Deployments (or a bare trigger: key "") whose Leadbell flow the core asked for.
  const asked = problems.flatMap((p) => {
    const m = ASKS_FLOW.exec(p.message);
    return m ? [m[1] ?? ''] : [];
  });
  const input = () => {
    const { '': bare, ...named } = chosen;
    return { yaml, flows: named, ...(bare ? { flow: bare } : {}) };
  };
  const fail = (e: unknown) => {
    setPreview(null);
    setProblems(e instanceof ApiClientError && e.fields.length ? e.fields : [{ path: '', message: errorMessage(e) }]);
  };

  const check = async () => {
    setChecking(true);
    try {
      const r = await api.importPrefectYaml({ ...input(), dry_run: true });
      setPreview(r.items);
      setProblems([]);
    } catch (e) {
      fail(e);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Card title="Import from Prefect" labelledBy="prefect-import-title">
      <Field label="prefect.yaml, or one trigger" hint="Paste it, or choose the file. Deployments are matched to flows by name; you are asked for the others.">
        {(p) => <textarea {...p} rows={10} className="code" spellCheck={false} value={yaml} onChange={(e) => (setYaml(e.target.value), setPreview(null))} />}
      </Field>
      <input
        type="file"
        accept=".yaml,.yml"
        aria-label="Choose a prefect.yaml file"
        onChange={(e) => void e.target.files?.[0]?.text().then((t) => (setYaml(t), setPreview(null)))}
      />
      {asked.map((deployment) => (
        <Field key={deployment} label={deployment ? `Leadbell flow for the deployment "${deployment}"` : 'Leadbell flow for these triggers'}>
          {(p) => (
            <select {...p} value={chosen[deployment] ?? ''} onChange={(e) => setChosen({ ...chosen, [deployment]: e.target.value })}>
              <option value="">Choose a flow…</option>
              {flows.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      ))}
      {problems.length > 0 && (
        <Notice tone="bad" title="Nothing can be imported yet">
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}:${p.message}`}>{p.path ? `${p.path}: ${p.message}` : p.message}</li>
            ))}
          </ul>
        </Notice>
      )}
      {preview && (
        <section aria-label="Import preview">
          <h3>
            {preview.length} {preview.length === 1 ? 'automation' : 'automations'} to create or update
          </h3>
          <ul className="dry-list">
            {preview.map((t, i) => (
              <li key={`${t.id ?? 'new'}-${i}`}>
                <strong>{t.name}</strong> <span className="muted small">{t.id ? `updates ${t.id}` : 'new'} · {t.flow}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="form-actions">
        <Button onClick={() => void check()} busy={checking} disabled={!yaml.trim()}>
          Check
        </Button>
        <Button
          variant="primary"
          disabled={!preview?.length}
          busy={save.isPending}
          onClick={() =>
            save.mutate(input(), {
              onSuccess: (r) => {
                push({ tone: 'good', title: `Imported ${r.items.length} ${r.items.length === 1 ? 'automation' : 'automations'}` });
                onDone();
              },
              onError: fail,
            })
          }
        >
          Import
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </Card>
  );
}
