/**
 * Creates or edits a trigger, checked as you type with the contract's own schema (and by the
 * core on save, whose per-field answers land under the right field), with a dry run over
 * stored events.
 */
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { triggerDraft, type FlowInfo, type Trigger, type TriggerDraft } from '../../../../shared/api/models.js';
import { KNOWN_EVENTS } from '../../../../shared/events/catalog.js';
import { useApi } from '../../api/context.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage, fieldErrors, isUnavailable } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime, pretty } from '../../lib/format.js';
import { eventWords } from '../../lib/labels.js';

export function toDraft(t: Trigger): TriggerDraft {
  const { created_at: _c, updated_at: _u, ...draft } = t;
  return draft;
}

interface FormState {
  name: string;
  flow: string;
  enabled: boolean;
  expect: string[];
  otherEvents: string;
  match: string;
  parameters: string;
  thresholdOn: boolean;
  count: string;
  withinHours: string;
  delayMinutes: string;
  runOn: Trigger['run_on'];
}

function fromTrigger(t: Trigger | null, flows: FlowInfo[]): FormState {
  const known = new Set<string>(KNOWN_EVENTS);
  return {
    name: t?.name ?? '',
    flow: t?.flow ?? flows[0]?.name ?? '',
    enabled: t?.enabled ?? true,
    expect: t?.expect.filter((e) => known.has(e)) ?? [],
    otherEvents: t?.expect.filter((e) => !known.has(e)).join(', ') ?? '',
    match: Object.entries(t?.match ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
      .join('\n'),
    parameters: JSON.stringify(t?.parameters ?? {}, null, 2),
    thresholdOn: Boolean(t?.threshold),
    count: String(t?.threshold?.count ?? 3),
    withinHours: String((t?.threshold?.within_seconds ?? 7 * 86_400) / 3600),
    delayMinutes: String((t?.schedule_after_seconds ?? 0) / 60),
    runOn: t?.run_on ?? 'here',
  };
}

type Built = { draft: unknown; errors: Record<string, string> };

/** Turns the form into a draft; anything that cannot even be read becomes a field error. */
function build(f: FormState, id: string | undefined): Built {
  const errors: Record<string, string> = {};
  let parameters: unknown = {};
  try {
    parameters = JSON.parse(f.parameters || '{}');
  } catch (e) {
    errors.parameters = `is not valid JSON: ${(e as Error).message}`;
  }
  const match: Record<string, string | string[]> = {};
  f.match
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        errors.match = `line ${i + 1} should look like label=value`;
        return;
      }
      const values = line.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean);
      match[line.slice(0, eq).trim()] = values.length === 1 ? values[0]! : values;
    });
  const others = f.otherEvents.split(',').map((s) => s.trim()).filter(Boolean);
  const draft = {
    ...(id && { id }),
    name: f.name.trim(),
    flow: f.flow,
    enabled: f.enabled,
    expect: [...f.expect, ...others],
    match,
    parameters,
    threshold: f.thresholdOn ? { count: Number(f.count), within_seconds: Math.round(Number(f.withinHours) * 3600) } : null,
    schedule_after_seconds: Math.round(Number(f.delayMinutes || 0) * 60),
    run_on: f.runOn,
  };
  const parsed = triggerDraft.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === 'threshold' ? 'threshold' : String(issue.path[0] ?? 'name');
      errors[key] ??= issue.message;
    }
  }
  return { draft, errors };
}

export function TriggerEditor({ initial, flows, onDone }: { initial: Trigger | null; flows: FlowInfo[]; onDone: () => void }) {
  const api = useApi();
  const { push } = useToasts();
  const [f, setF] = useState<FormState>(() => fromTrigger(initial, flows));
  const [touched, setTouched] = useState(false);
  const [dry, setDry] = useState<MethodOutput<'dryRunTrigger'> | null>(null);
  const [dryError, setDryError] = useState<string | null>(null);
  const [dryBusy, setDryBusy] = useState(false);
  const save = useApiMutation('saveTrigger', ['listTriggers']);
  const remove = useApiMutation('deleteTrigger', ['listTriggers']);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((s) => ({ ...s, [k]: v }));
  const { draft, errors: local } = build(f, initial?.id);
  const server = fieldErrors(save.error);
  const errors = touched ? { ...server, ...local } : server;
  const valid = Object.keys(local).length === 0;

  const onSave = () => {
    setTouched(true);
    if (!valid) return;
    save.mutate(draft as TriggerDraft, {
      onSuccess: () => {
        push({ tone: 'good', title: initial ? 'Automation saved' : 'Automation created' });
        onDone();
      },
    });
  };
  const onDryRun = async () => {
    setTouched(true);
    if (!valid) return;
    setDryBusy(true);
    setDryError(null);
    try {
      setDry(await api.dryRunTrigger({ trigger: draft as TriggerDraft, limit: 100 }));
    } catch (e) {
      setDry(null);
      setDryError(isUnavailable(e) ? 'Dry runs are not available yet.' : errorMessage(e));
    } finally {
      setDryBusy(false);
    }
  };

  return (
    <Card title={initial ? `Edit "${initial.name}"` : 'New automation'} labelledBy="trigger-editor-title" className="editor">
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
        noValidate
      >
        {save.error && !Object.keys(server).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} value={f.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. Welcome new sign-ups" />}
        </Field>
        <Field label="Run this automation" error={errors.flow}>
          {(p) =>
            flows.length ? (
              <select {...p} value={f.flow} onChange={(e) => set('flow', e.target.value)}>
                {flows.map((fl) => (
                  <option key={fl.name} value={fl.name}>
                    {fl.title}
                  </option>
                ))}
              </select>
            ) : (
              <input {...p} value={f.flow} onChange={(e) => set('flow', e.target.value)} />
            )
          }
        </Field>
        <Field label="Where it runs" hint="On Prefect, the event is sent to your Prefect server and its deployment trigger runs the flow there." error={errors.run_on}>
          {(p) => (
            <select {...p} value={f.runOn} onChange={(e) => set('runOn', e.target.value as Trigger['run_on'])}>
              <option value="here">Here, on this computer</option>
              <option value="prefect">Send the event to Prefect</option>
              <option value="both">Both</option>
            </select>
          )}
        </Field>
        <fieldset className="field span-2">
          <legend>When any of these happen</legend>
          <div className="checks">
            {KNOWN_EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input
                  type="checkbox"
                  checked={f.expect.includes(ev)}
                  onChange={(e) => set('expect', e.target.checked ? [...f.expect, ev] : f.expect.filter((x) => x !== ev))}
                />
                {eventWords(ev)}
              </label>
            ))}
          </div>
          {errors.expect && (
            <p className="field-error" role="alert">
              {errors.expect}
            </p>
          )}
        </fieldset>
        <Field label="Other event names" hint="Comma-separated, * allowed (e.g. order.*). Leave everything empty to run on any event.">
          {(p) => <input {...p} value={f.otherEvents} onChange={(e) => set('otherEvents', e.target.value)} />}
        </Field>
        <Field label="Only for" hint="One label=value per line; value* matches a prefix, !value excludes." error={errors.match}>
          {(p) => <textarea {...p} rows={3} value={f.match} onChange={(e) => set('match', e.target.value)} placeholder="prefect.resource.id=lead.*" />}
        </Field>
        <Field
          className="span-2"
          label="Details passed to the automation"
          hint={'JSON; {{ event.payload.email }} takes a value from the event.'}
          error={errors.parameters}
        >
          {(p) => <textarea {...p} rows={6} className="code" spellCheck={false} value={f.parameters} onChange={(e) => set('parameters', e.target.value)} />}
        </Field>
        <div className="span-2 threshold">
          <Switch label="Only after it happens several times" checked={f.thresholdOn} onChange={(v) => set('thresholdOn', v)} />
          {f.thresholdOn && (
            <div className="inline-fields">
              <Field label="Times" error={errors.threshold}>
                {(p) => <input {...p} type="number" min={1} value={f.count} onChange={(e) => set('count', e.target.value)} />}
              </Field>
              <Field label="Within hours">
                {(p) => <input {...p} type="number" min={0.01} step="any" value={f.withinHours} onChange={(e) => set('withinHours', e.target.value)} />}
              </Field>
            </div>
          )}
        </div>
        <Field label="Wait before running (minutes)" error={errors.schedule_after_seconds}>
          {(p) => <input {...p} type="number" min={0} value={f.delayMinutes} onChange={(e) => set('delayMinutes', e.target.value)} />}
        </Field>
        <div className="span-2">
          <Switch label="Switched on" checked={f.enabled} onChange={(v) => set('enabled', v)} />
        </div>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save
          </Button>
          <Button icon="play" onClick={() => void onDryRun()} busy={dryBusy}>
            Try on past events
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
          {initial && (
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the automation "${initial.name}"?`)) remove.mutate({ id: initial.id }, { onSuccess: onDone });
              }}
            >
              Delete
            </Button>
          )}
        </div>
      </form>
      {dryError && <Notice tone="bad">{dryError}</Notice>}
      {dry && (
        <section className="dry-run" aria-label="Dry run result">
          <h3>
            Would have run {dry.matches.length} {dry.matches.length === 1 ? 'time' : 'times'} for the last {dry.examined} events
          </h3>
          <ul className="dry-list">
            {dry.matches.map((m) => (
              <li key={m.event_id}>
                <strong>{eventWords(m.event)}</strong> <span className="muted small">{formatDateTime(m.occurred)}</span>
                <pre className="json-block small">{pretty(m.parameters)}</pre>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Card>
  );
}
