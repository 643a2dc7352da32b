/**
 * Creates or edits a trigger, checked as you type with the contract's own schema (and by the
 * core on save, whose per-field answers land under the right field), with a dry run over
 * stored events. A new automation starts from its flow's usual events and details.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import type { FlowInfo, Trigger, TriggerDraft } from '../../../../shared/api/models.js';
import { KNOWN_EVENTS } from '../../../../shared/events/catalog.js';
import { useApi } from '../../api/context.js';
import { useApiMutation } from '../../api/queries.js';
import { errorFor, errorMessage, fieldErrors, isUnavailable } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime, pretty } from '../../lib/format.js';
import { eventWords } from '../../lib/labels.js';
import { build, chooseFlow, fillMissingParameters, fromTrigger, matchWords, usesUsual, usualWiring, type FormState } from './trigger-form.js';
import { changedFrom, draftOf, knownLoopsEvents, readDraft, serverErrors, type SettingsDraft } from './flow-settings-form.js';
import { FlowSettingsFields } from './FlowSettingsFields.js';
import { ParameterPicker } from './ParameterPicker.js';

function parametersObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function toDraft(t: Trigger): TriggerDraft {
  const { created_at: _c, updated_at: _u, ...draft } = t;
  return draft;
}

export function TriggerEditor({ initial, flows, onDone }: { initial: Trigger | null; flows: FlowInfo[]; onDone: () => void }) {
  const api = useApi();
  const { push } = useToasts();
  const [f, setF] = useState<FormState>(() => fromTrigger(initial, flows));
  const [touched, setTouched] = useState(false);
  const [advanced, setAdvanced] = useState(() => f.otherEvents.trim() !== '');
  const [dry, setDry] = useState<MethodOutput<'dryRunTrigger'> | null>(null);
  const [dryError, setDryError] = useState<string | null>(null);
  const [dryBusy, setDryBusy] = useState(false);
  const save = useApiMutation('saveTrigger', ['listTriggers']);
  const qc = useQueryClient();
  // The flow's settings are edited here too (one place per automation); they belong to the flow.
  const [settingsDrafts, setSettingsDrafts] = useState<Record<string, SettingsDraft>>({});
  const [settingsServer, setSettingsServer] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const remove = useApiMutation('deleteTrigger', ['listTriggers']);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((s) => ({ ...s, [k]: v }));
  const { draft, errors: local, missing } = build(f, initial?.id, flows);
  const server = fieldErrors(save.error);
  const errors = touched ? { ...server, ...local } : server;
  const valid = Object.keys(local).length === 0;
  const flow = flows.find((x) => x.name === f.flow);
  const settingsDraft = flow ? (settingsDrafts[flow.name] ?? draftOf(flow)) : null;
  const settingsRead = flow && settingsDraft ? readDraft(flow, settingsDraft) : null;
  const settingErrors = { ...settingsServer, ...(touched ? settingsRead?.errors : {}) };
  const setSetting = (key: string, value: SettingsDraft[string]) => {
    if (!flow || !settingsDraft) return;
    setSettingsServer({});
    setSettingsDrafts((d) => ({ ...d, [flow.name]: { ...settingsDraft, [key]: value } }));
  };
  const loopsEvents = knownLoopsEvents(flows);
  const usual = usualWiring(flows, f.flow);
  const onUsual = usesUsual(f, flows);
  const eventsError = errors.expect;
  // The core names a typed event name by its place in the whole list (expect.3).
  const otherEventsError = Object.entries(errors).find(([k]) => k.startsWith('expect.'))?.[1];
  const matchError = errorFor(errors, 'match');

  const check = () => {
    setTouched(true);
    if (local.match) setAdvanced(true);
    return valid;
  };
  /**
   * Nothing saved half: the flow's settings (when changed) go first and are checked by the core;
   * the automation is saved only then, and should the core refuse it, the settings are put back.
   */
  const onSave = async () => {
    const settingsOk = !settingsRead || Object.keys(settingsRead.errors).length === 0;
    if (!check() || !settingsOk) return;
    setSaving(true);
    const before = flow ? { ...flow.settings } : null;
    const settingsChanged = Boolean(flow && settingsRead && changedFrom(flow, settingsRead.values));
    try {
      if (settingsChanged) {
        try {
          await api.updateSettings({ flows: { [flow!.name]: settingsRead!.values } });
        } catch (e) {
          const fields = fieldErrors(e, `flows.${flow!.name}.`);
          setSettingsServer(Object.keys(fields).length ? serverErrors(flow!, settingsDraft!, fields) : { _: errorMessage(e) });
          return;
        }
      }
      try {
        await save.mutateAsync(draft as TriggerDraft);
      } catch (e) {
        if (settingsChanged && before) await api.updateSettings({ flows: { [flow!.name]: before } }).catch(() => undefined);
        if (Object.keys(fieldErrors(e)).some((k) => k.startsWith('match') || k.startsWith('expect.') || k.startsWith('parameters'))) setAdvanced(true);
        return;
      }
      void qc.invalidateQueries({ queryKey: ['listFlows'] });
      void qc.invalidateQueries({ queryKey: ['getSettings'] });
      push({ tone: 'good', title: initial ? 'Automation saved' : 'Automation created' });
      onDone();
    } finally {
      setSaving(false);
    }
  };
  const onDryRun = async () => {
    if (!check()) return;
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
          void onSave();
        }}
        noValidate
      >
        {save.error && !Object.keys(server).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} value={f.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. Welcome new sign-ups" />}
        </Field>
        <Field label="Run this automation" hint={flow?.description} error={errors.flow}>
          {(p) =>
            flows.length ? (
              <select {...p} value={f.flow} onChange={(e) => setF((s) => chooseFlow(s, e.target.value, flows))}>
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
        <fieldset className="field span-2" aria-describedby={eventsError ? 'trigger-events-error' : undefined}>
          <legend>When any of these happen</legend>
          <div className="checks">
            {KNOWN_EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input
                  type="checkbox"
                  checked={!f.anyEvent && f.expect.includes(ev)}
                  disabled={f.anyEvent}
                  onChange={(e) => set('expect', e.target.checked ? [...f.expect, ev] : f.expect.filter((x) => x !== ev))}
                />
                {eventWords(ev)}
              </label>
            ))}
            <label className="check">
              <input type="checkbox" checked={f.anyEvent} onChange={(e) => set('anyEvent', e.target.checked)} />
              Any event
            </label>
          </div>
          {f.anyEvent && (
            <Notice tone="warn" title="Runs on every event">
              Every sign-up, quiz answer, page visit, email open and click{f.match.trim() ? ` about ${matchWords(f.match)}` : ''} will start this automation.
              Tick the events it is for instead, unless that is what you want.
            </Notice>
          )}
          {!onUsual.events && usual && usual.expect.length + usual.otherEvents.length > 0 && (
            <p className="field-hint">
              {flow?.title} usually runs on: {usual.expect.map(eventWords).concat(usual.otherEvents ? [usual.otherEvents] : []).join(', ')}.{' '}
              <Button size="sm" variant="ghost" onClick={() => setF((s) => ({ ...s, anyEvent: false, expect: usual.expect, otherEvents: usual.otherEvents }))}>
                Use these events
              </Button>
            </p>
          )}
          {eventsError && (
            <p className="field-error" id="trigger-events-error" role="alert">
              {eventsError}
            </p>
          )}
        </fieldset>
        <p className="span-2 field-hint" data-testid="only-for">
          Only for: {matchWords(f.match)}
        </p>
        <details className="span-2" open={advanced} onToggle={(e) => setAdvanced(e.currentTarget.open)}>
          <summary>Advanced: other event names, labels and templates (as in Prefect)</summary>
          <div className="form-grid advanced-fields">
            <Field label="Other event names" hint="Comma-separated, * allowed (e.g. order.*)." error={otherEventsError}>
              {(p) => <input {...p} value={f.otherEvents} disabled={f.anyEvent} onChange={(e) => set('otherEvents', e.target.value)} />}
            </Field>
            <Field
              label="Only for (resource labels)"
              hint="One label=value per line; value* matches a prefix, !value excludes. prefect.resource.id=lead.* means leads, visitor.* site visitors, email.* emails."
              error={matchError}
            >
              {(p) => <textarea {...p} rows={3} value={f.match} onChange={(e) => set('match', e.target.value)} placeholder="prefect.resource.id=lead.*" />}
            </Field>
            <Field
              className="span-2"
              label="Details as templates"
              hint="As in Prefect: {{ event.payload.email }} takes a field from the event. The lists above write these for you."
              error={errorFor(errors, 'parameters')}
            >
              {(p) => <textarea {...p} rows={6} className="code" spellCheck={false} value={f.parameters} onChange={(e) => set('parameters', e.target.value)} />}
            </Field>
            {flow && settingsDraft && (
              <FlowSettingsFields flow={flow} draft={settingsDraft} errors={settingErrors} loopsEvents={loopsEvents} onChange={setSetting} advanced />
            )}
          </div>
        </details>
        <ParameterPicker
          flow={flow}
          events={f.anyEvent ? [] : f.expect}
          parameters={parametersObject(f.parameters)}
          error={errorFor(errors, 'parameters')}
          onChange={(next) => set('parameters', JSON.stringify(next, null, 2))}
        />
        {!onUsual.parameters && usual && (
          <div className="span-2">
            <Button size="sm" variant="ghost" onClick={() => setF((s) => ({ ...s, parameters: usual.parameters }))}>
              Use the usual details for {flow?.title}
            </Button>
          </div>
        )}
        {touched && missing.length > 0 && (
          <div className="span-2">
            <Button size="sm" onClick={() => setF((s) => fillMissingParameters(s, flows))}>
              Fill in the usual details
            </Button>
          </div>
        )}
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
        {flow && settingsDraft && (
          <fieldset className="span-2 flow-settings" data-testid="flow-settings">
            <legend>What {flow.title} does</legend>
            <p className="field-hint">These settings belong to {flow.title}: every automation that runs it uses them.</p>
            {settingErrors._ && <Notice tone="bad">{settingErrors._}</Notice>}
            <div className="form-grid">
              <FlowSettingsFields flow={flow} draft={settingsDraft} errors={settingErrors} loopsEvents={loopsEvents} onChange={setSetting} advanced={false} />
            </div>
          </fieldset>
        )}
        <div className="span-2">
          <Switch label="Switched on" checked={f.enabled} onChange={(v) => set('enabled', v)} />
        </div>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={saving}>
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
