import { useState } from 'react';
import type { Status } from '../../../../shared/api/models.js';
import type { Settings } from '../../../../shared/settings.js';
import { useApiMutation } from '../../api/queries.js';
import { errorFor, errorMessage, fieldErrors, isUnavailable } from '../../api/errors.js';
import { TUNNEL_WORDS } from '../../app/TunnelPill.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime } from '../../lib/format.js';
import { SecretField } from '../integrations/SecretField.js';
import { TUNNEL_CHOICES, type TunnelChoice } from './tunnel-choices.js';

/** The secret holding the ngrok authtoken (NGROK_AUTHTOKEN in headless mode). */
const NGROK_AUTHTOKEN = 'tunnel.ngrok.authtoken';

export function TunnelSection({
  tunnel,
  status,
  ngrokToken,
}: {
  tunnel: Settings['tunnel'];
  status: Status | undefined;
  /** Whether the ngrok authtoken is saved (never its value). */
  ngrokToken: { set: boolean; from_env: boolean } | undefined;
}) {
  const [choice, setChoice] = useState<TunnelChoice>(tunnel.enabled ? tunnel.provider : 'off');
  const [host, setHost] = useState(tunnel.host);
  const [subdomain, setSubdomain] = useState(tunnel.subdomain ?? '');
  const [domain, setDomain] = useState(tunnel.ngrok_domain ?? '');
  const save = useApiMutation('updateSettings', ['getSettings', 'getStatus', 'listEndpoints']);
  const restart = useApiMutation('restartTunnel', ['getStatus', 'listEndpoints']);
  const { push } = useToasts();
  const errors = fieldErrors(save.error, 'tunnel.');
  const t = status?.tunnel;
  return (
    <Card
      title="Public address"
      subtitle="Lets your website and tools reach Leadbell on this computer from the internet."
      labelledBy="tunnel-title"
      actions={t && <Badge tone={TUNNEL_WORDS[t.state].tone === 'good' ? 'good' : TUNNEL_WORDS[t.state].tone === 'bad' ? 'bad' : 'neutral'}>{TUNNEL_WORDS[t.state].text}</Badge>}
    >
      {t && (
        <dl className="facts facts-grid">
          <div>
            <dt>Address</dt>
            <dd>{t.url ? <code>{t.url}</code> : <span className="muted">none yet</span>}</dd>
          </div>
          <div>
            <dt>Last check that worked</dt>
            <dd>{t.last_ok_at ? formatDateTime(t.last_ok_at) : <span className="muted">–</span>}</dd>
          </div>
          <div>
            <dt>Reconnects</dt>
            <dd>{t.reconnects}</dd>
          </div>
          {t.last_error && (
            <div>
              <dt>Last problem</dt>
              <dd>{t.last_error}</dd>
            </div>
          )}
        </dl>
      )}
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const provider = choice === 'off' ? {} : { provider: choice };
          save.mutate(
            {
              tunnel: {
                enabled: choice !== 'off',
                ...provider,
                host: host.trim(),
                subdomain: subdomain.trim() || null,
                ngrok_domain: domain.trim() || null,
              },
            },
            { onSuccess: () => push({ tone: 'good', title: 'Public address settings saved' }) },
          );
        }}
      >
        {save.error && !Object.keys(errors).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
        <fieldset className="choices span-2">
          <legend>Live tunnel</legend>
          {TUNNEL_CHOICES.map((c) => (
            <label key={c.value} className="choice">
              <input type="radio" name="tunnel-choice" value={c.value} checked={choice === c.value} onChange={() => setChoice(c.value)} />
              <span className="choice-label">{c.label}</span>
              <span className="choice-hint">{c.goodFor}</span>
            </label>
          ))}
          {(errorFor(errors, 'enabled') ?? errorFor(errors, 'provider')) && (
            <p className="field-error" role="alert">
              This choice {errorFor(errors, 'enabled') ?? errorFor(errors, 'provider')}.
            </p>
          )}
        </fieldset>
        {choice === 'ngrok' && (
          <>
            <div className="span-2">
              <SecretField
                name={NGROK_AUTHTOKEN}
                label="ngrok authtoken"
                hint="From dashboard.ngrok.com → Your Authtoken. Kept in your keychain."
                state={ngrokToken}
              />
            </div>
            <Field
              label="Your ngrok domain"
              hint="From dashboard.ngrok.com → Domains (one is free), e.g. bella-salon.ngrok-free.app. It never changes."
              error={errorFor(errors, 'ngrok_domain')}
            >
              {(p) => <input {...p} value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="bella-salon.ngrok-free.app" />}
            </Field>
          </>
        )}
        {choice === 'localtunnel' && (
          <>
            <Field label="Your address name" hint="4 to 63 lower-case letters, digits or dashes. Keep it: your forms use it." error={errorFor(errors, 'subdomain')}>
              {(p) => <input {...p} value={subdomain} onChange={(e) => setSubdomain(e.target.value)} placeholder="my-salon-leads" />}
            </Field>
            <Field label="Tunnel server" hint="Change only if you run your own localtunnel server." error={errorFor(errors, 'host')}>
              {(p) => <input {...p} type="url" value={host} onChange={(e) => setHost(e.target.value)} />}
            </Field>
          </>
        )}
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save
          </Button>
          <Button
            icon="refresh"
            busy={restart.isPending}
            onClick={() =>
              restart.mutate(
                {},
                {
                  onSuccess: () => push({ tone: 'info', title: 'Reconnecting the public address' }),
                  onError: (e) => push({ tone: 'bad', title: isUnavailable(e) ? 'The public address is not available yet' : 'Could not reconnect', body: errorMessage(e) }),
                },
              )
            }
          >
            Reconnect now
          </Button>
        </div>
      </form>
    </Card>
  );
}
