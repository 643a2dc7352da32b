import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { INTEGRATION_SECRETS, type IntegrationEntry, type OptionField } from '../../../../shared/integrations/index.js';
import { useApi } from '../../api/context.js';
import { useApiMutation } from '../../api/queries.js';
import { errorFor, errorMessage, fieldErrors, isUnavailable } from '../../api/errors.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import type { AppHealth } from '../../../../shared/api/models.js';
import { AppHealthLines, HealthBadge } from './AppHealthLines.js';
import { CatchUpOffer } from './CatchUpOffer.js';
import { ForwarderStatus } from './ForwarderStatus.js';
import { SecretField } from './SecretField.js';

type SettingsView = MethodOutput<'getSettings'>;
type TestAnswer = MethodOutput<'testIntegration'>;

/** What happened, in the words of the heading: an error answer is not the same as no answer. */
function answerHeading(title: string, a: TestAnswer): string {
  switch (a.outcome) {
    case 'accepted':
      return `${title} accepted the test`;
    case 'refused':
      return `${title} refused the test`;
    case 'unreachable':
      return `${title} could not be reached`;
    case 'not_sent':
      return 'The test was not sent';
  }
}

function optionText(spec: OptionField, value: unknown): string {
  if (spec.kind === 'mapping') {
    return Object.entries((value as Record<string, unknown> | undefined) ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n');
  }
  if (spec.kind === 'list') return Array.isArray(value) ? value.join(', ') : '';
  if (spec.kind === 'choice') return typeof value === 'string' ? value : (spec.choices?.[0]?.value ?? '');
  return typeof value === 'string' ? value : '';
}

function optionValue(spec: OptionField, text: string): unknown {
  if (spec.kind === 'mapping') {
    return Object.fromEntries(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const eq = l.indexOf('=');
          return eq < 0 ? [l, ''] : [l.slice(0, eq).trim(), l.slice(eq + 1).trim()];
        }),
    );
  }
  if (spec.kind === 'list') return text.split(',').map((x) => x.trim()).filter(Boolean);
  // An emptied optional field is removed rather than saved as "".
  return text.trim() === '' ? undefined : text.trim();
}

function Options({ spec, stored }: { spec: IntegrationEntry; stored: Record<string, unknown> }) {
  const [texts, setTexts] = useState(() => Object.fromEntries(spec.fields.map((o) => [o.key, optionText(o, stored[o.key])])));
  const save = useApiMutation('updateSettings', ['getSettings']);
  const { push } = useToasts();
  const errors = fieldErrors(save.error, `integrations.${spec.name}.`);
  if (!spec.fields.length) return null;
  return (
    <form
      className="options-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const values: Record<string, unknown> = { ...stored };
        for (const o of spec.fields) {
          const v = optionValue(o, texts[o.key] ?? '');
          if (v === undefined) delete values[o.key];
          else values[o.key] = v;
        }
        save.mutate({ integrations: { [spec.name]: values } }, { onSuccess: () => push({ tone: 'good', title: `${spec.title}: saved` }) });
      }}
    >
      {spec.fields.map((o) => (
        <Field key={o.key} label={o.label} hint={o.hint} error={errorFor(errors, o.key)}>
          {(p) =>
            o.kind === 'choice' ? (
              <select {...p} value={texts[o.key]} onChange={(e) => setTexts((s) => ({ ...s, [o.key]: e.target.value }))}>
                {o.choices?.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            ) : o.kind === 'mapping' ? (
              <textarea {...p} rows={3} className="code" spellCheck={false} placeholder={o.placeholder} value={texts[o.key]} onChange={(e) => setTexts((s) => ({ ...s, [o.key]: e.target.value }))} />
            ) : (
              <input {...p} spellCheck={false} placeholder={o.placeholder} value={texts[o.key]} onChange={(e) => setTexts((s) => ({ ...s, [o.key]: e.target.value }))} />
            )
          }
        </Field>
      ))}
      {save.error && !Object.keys(errors).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
      <div className="form-actions">
        <Button type="submit" size="sm" busy={save.isPending} aria-label={`Save options for ${spec.title}`}>
          Save options
        </Button>
      </div>
    </form>
  );
}

export function IntegrationCard({ spec, view, health }: { spec: IntegrationEntry; view: SettingsView; health?: AppHealth }) {
  const api = useApi();
  const stored = view.settings.integrations[spec.name] ?? {};
  const enabled = stored.enabled !== false;
  const toggle = useApiMutation('updateSettings', ['getSettings']);
  const [testing, setTesting] = useState(false);
  const secrets = INTEGRATION_SECRETS.filter((s) => s.integration === spec.name);
  const configured = spec.configuredBy ? typeof stored[spec.configuredBy] === 'string' : secrets.every((s) => view.secrets[s.name]?.set);
  // A test answer is about the set-up it was sent with. Saving a secret here bumps `changes` (a
  // replaced secret still reads "set"); anything else (removed, options, the switch, or a change
  // from another window) shows in the settings. Either way, the old answer is no longer shown.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  const setup = JSON.stringify([changes, stored, secrets.map((s) => view.secrets[s.name] ?? null)]);
  const [answer, setAnswer] = useState<{ setup: string; result: TestAnswer | { error: string } } | null>(null);
  const shown = answer?.setup === setup ? answer.result : null;
  const sendTest = async () => {
    const sentWith = setup;
    setTesting(true);
    setAnswer(null);
    try {
      setAnswer({ setup: sentWith, result: await api.testIntegration({ name: spec.name }) });
    } catch (e) {
      setAnswer({ setup: sentWith, result: { error: isUnavailable(e) ? 'Test messages are not available in this version yet.' : errorMessage(e) } });
    } finally {
      setTesting(false);
    }
  };
  const headingId = `integration-${spec.name}`;
  return (
    <Card
      title={spec.title}
      labelledBy={headingId}
      subtitle={spec.blurb}
      className="integration"
      actions={!enabled ? <Badge tone="neutral">Off</Badge> : configured ? <HealthBadge health={health} /> : <Badge tone="neutral">Not set up</Badge>}
    >
      <div className="integration-body">
        <AppHealthLines health={health} />
        {secrets.map((s) => (
          <SecretField key={s.key} name={s.name} label={s.label} title={s.title} hint={s.hint} state={view.secrets[s.name]} onChanged={changed} />
        ))}
        <Options spec={spec} stored={stored} />
        {spec.name === 'prefect' && configured && enabled && <ForwarderStatus />}
        {configured && enabled && health?.state !== 'key_refused' && <CatchUpOffer integration={spec.name} appLabel={spec.title} />}
        <div className="integration-footer">
          <Switch
            label={`Use ${spec.title}`}
            checked={enabled}
            disabled={toggle.isPending}
            onChange={(v) => toggle.mutate({ integrations: { [spec.name]: { ...stored, enabled: v } } })}
          />
          <Button icon="send" onClick={() => void sendTest()} busy={testing} disabled={!configured} aria-label={`Send test to ${spec.title}`}>
            Send test
          </Button>
        </div>
        {shown && (
          <div
            className={`test-answer ${'error' in shown ? 'bad' : shown.ok ? 'good' : shown.outcome === 'not_sent' ? 'warn' : 'bad'}`}
            role="status"
            data-testid={`test-answer-${spec.name}`}
          >
            {'error' in shown ? (
              shown.error
            ) : (
              <>
                <strong>
                  {shown.words ?? answerHeading(spec.title, shown)}
                  {shown.status !== null && ` (HTTP ${shown.status})`}
                </strong>
                <code className="test-detail">{shown.detail}</code>
              </>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
