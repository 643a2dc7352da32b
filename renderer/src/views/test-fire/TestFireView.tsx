/**
 * Send a test: sample events through the real receiver (optionally through the public
 * address, which proves it works from outside), and a JSON editor checked as you type with the
 * same rules the receiver uses.
 */
import { useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { ENDPOINTS, ENDPOINT_INFO, type EndpointName } from '../../../../shared/events/catalog.js';
import { normalise } from '../../../../shared/events/normalize.js';
import { SAMPLES, type Sample } from '../../../../shared/events/samples.js';
import { useApi } from '../../api/context.js';
import { useApiQuery } from '../../api/queries.js';
import { errorMessage } from '../../api/errors.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { SendForRealSwitch } from './SendForRealSwitch.js';
import { Icon, type IconName } from '../../components/Icon.js';
import { Card, Page } from '../../components/Layout.js';
import { eventWords } from '../../lib/labels.js';
import { FireSummary } from './FireSummary.js';

type FireResult = MethodOutput<'testFire'>;
type Outcome = { title: string; result?: FireResult; error?: string };

const SAMPLE_ICON: Record<string, IconName> = {
  optin: 'users',
  'assessment-hot': 'flame',
  'assessment-warm': 'check',
  'assessment-cold': 'check',
  'sales-page-visit': 'eye',
  'email-open': 'mail',
  'email-click': 'pointer',
};

const SAMPLE_HINT: Record<string, string> = {
  optin: 'Someone signs up on your landing page.',
  'assessment-hot': 'Scores 85: should ring the bell.',
  'assessment-warm': 'Scores 55: a warm lead.',
  'assessment-cold': 'Scores 25: a cold lead.',
  'sales-page-visit': 'A visitor reads your pricing page for 45 s.',
  'email-open': 'The test lead opens your first email.',
  'email-click': 'The test lead clicks the booking link.',
};

export function TestFireView() {
  const api = useApi();
  const status = useApiQuery('getStatus', {});
  const online = status.data?.tunnel.state === 'online';
  const [viaTunnel, setViaTunnel] = useState(false);
  const [forReal, setForReal] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const via = viaTunnel && online ? 'tunnel' : 'direct';

  const fire = async (key: string, title: string, input: Parameters<typeof api.testFire>[0]) => {
    setBusy(key);
    try {
      setOutcome({ title, result: await api.testFire({ ...input, via, send_for_real: forReal }) });
    } catch (e) {
      setOutcome({ title, error: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title="Send a test" intro="See exactly what happens when a lead arrives, without waiting for a real one.">
      <Card
        title="Try a sample"
        labelledBy="samples-title"
        subtitle="Each button sends a realistic example to your own webhook address."
        actions={
          <>
            <Switch
              label="Send through the public address"
              checked={viaTunnel && online}
              disabled={!online}
              onChange={setViaTunnel}
              description={online ? 'Proves your address works from the internet.' : 'Available when the public address is online.'}
            />
            <SendForRealSwitch checked={forReal} onChange={setForReal} />
          </>
        }
      >
        <div className="sample-grid">
          {SAMPLES.map((s: Sample) => (
            <button
              key={s.id}
              type="button"
              className="sample-button"
              aria-busy={busy === s.id || undefined}
              disabled={busy !== null}
              onClick={() => void fire(s.id, s.title, { sample: s.id })}
            >
              <span className="sample-icon">{busy === s.id ? <span className="spinner" aria-hidden="true" /> : <Icon name={SAMPLE_ICON[s.id] ?? 'send'} />}</span>
              <span className="sample-text">
                <strong>{s.title}</strong>
                <span className="muted small">{SAMPLE_HINT[s.id] ?? ENDPOINT_INFO[s.endpoint].title}</span>
              </span>
            </button>
          ))}
        </div>
        {outcome && <FireSummary {...outcome} />}
      </Card>
      <JsonEditor busy={busy === 'custom'} onSend={(endpoint, body) => void fire('custom', 'Your test', { endpoint, body })} />
    </Page>
  );
}

function JsonEditor({ busy, onSend }: { busy: boolean; onSend: (endpoint: EndpointName, body: Record<string, unknown>) => void }) {
  const [endpoint, setEndpoint] = useState<EndpointName>('lead-optin');
  const [text, setText] = useState(() => JSON.stringify(SAMPLES.find((s) => s.endpoint === 'lead-optin')?.body ?? {}, null, 2));
  const check = useMemo(() => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return { ok: false as const, errors: [{ path: '(JSON)', message: (e as Error).message }] };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false as const, errors: [{ path: '(body)', message: 'must be a JSON object { … }' }] };
    }
    const body = parsed as Record<string, unknown>;
    const r = normalise(endpoint, body);
    if (r.ok) return { ok: true as const, event: r.value.event, body };
    const message = r.held !== undefined ? `would be kept and held: ${r.held}` : `would be acknowledged and ignored: ${r.ignored}`;
    return { ok: false as const, errors: r.errors ?? [{ path: '(body)', message }] };
  }, [text, endpoint]);

  return (
    <Card title="Write your own" subtitle="Checked as you type, with the same rules as the real address." labelledBy="json-editor-title">
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (check.ok) onSend(endpoint, check.body);
        }}
      >
        <Field label="Send to" hint={ENDPOINT_INFO[endpoint].description}>
          {(p) => (
            <select
              {...p}
              value={endpoint}
              onChange={(e) => {
                const next = e.target.value as EndpointName;
                setEndpoint(next);
                const sample = SAMPLES.find((s) => s.endpoint === next);
                if (sample) setText(JSON.stringify(sample.body, null, 2));
              }}
            >
              {ENDPOINTS.map((e) => (
                <option key={e} value={e}>
                  {ENDPOINT_INFO[e].title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Body (JSON)" className="span-2" error={check.ok ? undefined : check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}>
          {(p) => <textarea {...p} className="code" rows={12} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" icon="send" busy={busy} disabled={!check.ok}>
            Send
          </Button>
          {check.ok ? (
            <Badge tone="good">Looks good: arrives as “{eventWords(check.event)}”</Badge>
          ) : (
            <Badge tone="bad">
              {check.errors.length} {check.errors.length === 1 ? 'problem' : 'problems'} to fix
            </Badge>
          )}
        </div>
      </form>
    </Card>
  );
}
