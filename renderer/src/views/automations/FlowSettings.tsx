/**
 * Per-flow settings (thresholds, points, email ids, audiences, segment mapping), as a form
 * generated from each flow's current values; the core validates and answers per field.
 */
import { useState } from 'react';
import type { FlowInfo } from '../../../../shared/api/models.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage, fieldErrors } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { humanize } from '../../lib/labels.js';

type Kind = 'number' | 'boolean' | 'text' | 'list' | 'json';

function kindOf(v: unknown): Kind {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string' || v === null) return 'text';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return 'list';
  return 'json';
}

function toText(v: unknown, kind: Kind): string {
  if (kind === 'list') return (v as string[]).join(', ');
  if (kind === 'json') return JSON.stringify(v, null, 2);
  if (v === null || v === undefined) return '';
  return String(v);
}

function fromText(text: string, kind: Kind): { value?: unknown; error?: string } {
  switch (kind) {
    case 'number': {
      const n = Number(text);
      return text.trim() === '' || !Number.isFinite(n) ? { error: 'must be a number' } : { value: n };
    }
    case 'list':
      return { value: text.split(',').map((s) => s.trim()).filter(Boolean) };
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch (e) {
        return { error: `is not valid JSON: ${(e as Error).message}` };
      }
    default:
      return { value: text };
  }
}

function FlowForm({ flow }: { flow: FlowInfo }) {
  const initial = { ...flow.defaults, ...flow.settings };
  const keys = Object.keys(initial);
  const kinds = Object.fromEntries(keys.map((k) => [k, kindOf(initial[k] ?? flow.defaults[k])])) as Record<string, Kind>;
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(keys.map((k) => [k, toText(initial[k], kinds[k]!)])));
  const [flags, setFlags] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(keys.filter((k) => kinds[k] === 'boolean').map((k) => [k, Boolean(initial[k])])),
  );
  const save = useApiMutation('updateSettings', ['listFlows', 'getSettings']);
  const { push } = useToasts();

  const local: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const k of keys) {
    if (kinds[k] === 'boolean') {
      values[k] = flags[k];
      continue;
    }
    const r = fromText(texts[k] ?? '', kinds[k]!);
    if (r.error) local[k] = r.error;
    else values[k] = r.value;
  }
  const server = fieldErrors(save.error, `flows.${flow.name}.`);
  const errors = { ...server, ...local };

  if (!keys.length) return <p className="muted small">This automation has no settings.</p>;
  return (
    <form
      className="form-grid"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(local).length) return;
        save.mutate({ flows: { [flow.name]: values } }, { onSuccess: () => push({ tone: 'good', title: `${flow.title}: settings saved` }) });
      }}
    >
      {save.error && !Object.keys(server).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
      {keys.map((k) =>
        kinds[k] === 'boolean' ? (
          <div key={k} className="span-2">
            <Switch label={humanize(k)} checked={flags[k] ?? false} onChange={(v) => setFlags((s) => ({ ...s, [k]: v }))} />
          </div>
        ) : (
          <Field
            key={k}
            label={humanize(k)}
            error={errors[k]}
            className={kinds[k] === 'json' ? 'span-2' : undefined}
            hint={kinds[k] === 'list' ? 'Comma-separated' : flow.defaults[k] !== undefined ? `Default: ${toText(flow.defaults[k], kinds[k]!)}` : undefined}
          >
            {(p) =>
              kinds[k] === 'json' ? (
                <textarea {...p} className="code" rows={5} spellCheck={false} value={texts[k]} onChange={(e) => setTexts((s) => ({ ...s, [k]: e.target.value }))} />
              ) : (
                <input
                  {...p}
                  type={kinds[k] === 'number' ? 'number' : 'text'}
                  value={texts[k]}
                  onChange={(e) => setTexts((s) => ({ ...s, [k]: e.target.value }))}
                />
              )
            }
          </Field>
        ),
      )}
      <div className="form-actions span-2">
        <Button type="submit" variant="primary" busy={save.isPending} disabled={Object.keys(local).length > 0}>
          Save settings
        </Button>
      </div>
    </form>
  );
}

export function FlowSettings({ flows }: { flows: FlowInfo[] }) {
  return (
    <Card title="Automation settings" subtitle="Scores, points, email ids and audiences each automation uses." labelledBy="flow-settings-title">
      <div className="accordion">
        {flows.map((f) => (
          <details key={f.name} className="accordion-item">
            <summary>
              <strong>{f.title}</strong>
              <span className="muted small">{f.description}</span>
            </summary>
            <FlowForm flow={f} />
          </details>
        ))}
      </div>
    </Card>
  );
}
