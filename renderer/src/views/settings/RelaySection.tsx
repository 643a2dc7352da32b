import { useState } from 'react';
import type { Status } from '../../../../shared/api/models.js';
import { awayMessage, FREE_PLAN_DAILY, quotaWords, RELAY_TOKEN_PERMISSIONS, RELAY_WORDS } from '../../../../shared/relay.js';
import type { Settings } from '../../../../shared/settings.js';
import { errorFor, errorMessage, fieldErrors } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { CopyField } from '../../components/CopyField.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime } from '../../lib/format.js';

const INVALIDATES = ['getSettings', 'getStatus', 'listEndpoints'] as const;

/** Settings → Public address: the always-on relay on the owner's own Cloudflare account. */
export function RelaySection({ relay, status }: { relay: Settings['relay']; status: Status | undefined }) {
  const [token, setToken] = useState('');
  const [manualUrl, setManualUrl] = useState('');
  const [manualSecret, setManualSecret] = useState('');
  const deploy = useApiMutation('deployRelay', [...INVALIDATES]);
  const connect = useApiMutation('connectRelay', [...INVALIDATES]);
  const remove = useApiMutation('removeRelay', [...INVALIDATES]);
  const { push } = useToasts();
  const r = status?.relay;
  const words = RELAY_WORDS[r?.state ?? 'off'];
  const tokenErrors = fieldErrors(deploy.error);
  const manualErrors = fieldErrors(connect.error);
  const doDeploy = () =>
    deploy.mutate(token.trim() ? { api_token: token.trim() } : {}, {
      onSuccess: (d) => {
        setToken('');
        push({ tone: 'good', title: 'Always-on address ready', body: d.url });
      },
    });

  return (
    <Card
      title="Always-on address (recommended)"
      subtitle="A small relay on your own free Cloudflare account keeps every lead while this computer sleeps or is off, and hands them over when it is back."
      labelledBy="relay-title"
      actions={<Badge tone={words.tone}>{words.text}</Badge>}
    >
      {relay.url && r ? (
        <>
          <CopyField value={relay.url} label="Always-on address" testId="relay-url" />
          <dl className="facts facts-grid">
            <div>
              <dt>Waiting on the relay</dt>
              <dd>{r.backlog ?? '–'}</dd>
            </div>
            <div>
              <dt>Last connected</dt>
              <dd>{r.last_connected_at ? formatDateTime(r.last_connected_at) : <span className="muted">–</span>}</dd>
            </div>
            <div>
              <dt>Delivered since start</dt>
              <dd>{r.delivered}</dd>
            </div>
            {r.usage && (
              <div>
                <dt>Cloudflare free plan today</dt>
                <dd data-testid="relay-usage">
                  {r.usage.words[0]!.toUpperCase() + r.usage.words.slice(1)}
                </dd>
              </div>
            )}
          </dl>
          {r.usage && <p className="muted">{usageDetail(r.usage)}</p>}
          {r.usage?.exceeded_at && <Notice tone="bad">{quotaWords(formatDateTime(nextUtcMidnight(r.usage.exceeded_at)))}</Notice>}
          {r.outdated && (
            <Notice tone="warn">
              Your relay runs an older version that uses more of Cloudflare's free allowance and does not report it. {relay.account_id ? 'Choose Redeploy to upgrade it.' : 'Deploy it again with npx wrangler deploy to upgrade it.'}
            </Notice>
          )}
          {r.arrived_while_away !== null && <Notice tone="good">{awayMessage(r.arrived_while_away)}.</Notice>}
          {r.detail && <Notice tone={r.state === 'auth_failed' ? 'bad' : 'warn'}>{r.detail}</Notice>}
          {deploy.error && <Notice tone="bad">{errorMessage(deploy.error)}</Notice>}
          <div className="form-actions">
            {relay.account_id && (
              <Button icon="refresh" busy={deploy.isPending} onClick={doDeploy}>
                Redeploy (upgrade)
              </Button>
            )}
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(
                  { delete_worker: Boolean(relay.account_id) },
                  {
                    onSuccess: () => push({ tone: 'info', title: 'The always-on address is removed' }),
                    onError: (e) => push({ tone: 'bad', title: 'Could not remove it', body: errorMessage(e) }),
                  },
                )
              }
            >
              Remove
            </Button>
          </div>
        </>
      ) : (
        <form
          className="form-grid"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            doDeploy();
          }}
        >
          <div className="span-2">
            <p>
              Create an API token at dash.cloudflare.com → My Profile → API Tokens → Create Token → Custom token, with these permissions:
            </p>
            <ul>
              {RELAY_TOKEN_PERMISSIONS.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
          {deploy.error && !errorFor(tokenErrors, 'api_token') && <Notice tone="bad">{errorMessage(deploy.error)}</Notice>}
          <Field label="Cloudflare API token" hint="Kept in this computer's secret store; used only to deploy, upgrade or remove the relay." error={errorFor(tokenErrors, 'api_token')} className="span-2">
            {(p) => <input {...p} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />}
          </Field>
          <div className="form-actions span-2">
            <Button type="submit" variant="primary" busy={deploy.isPending} disabled={!token.trim()}>
              Deploy the relay
            </Button>
          </div>
        </form>
      )}
      {!relay.url && (
        <details className="span-2">
          <summary>I deployed the relay myself (npx wrangler deploy)</summary>
          <form
            className="form-grid"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              connect.mutate(
                { url: manualUrl.trim(), secret: manualSecret },
                { onSuccess: () => push({ tone: 'good', title: 'Connecting to your relay' }) },
              );
            }}
          >
            {connect.error && !Object.keys(manualErrors).length && <Notice tone="bad">{errorMessage(connect.error)}</Notice>}
            <Field label="Relay address" hint="The workers.dev address wrangler printed." error={errorFor(manualErrors, 'url')}>
              {(p) => <input {...p} type="url" value={manualUrl} onChange={(e) => setManualUrl(e.target.value)} placeholder="https://leadbell-relay.you.workers.dev" />}
            </Field>
            <Field label="Relay secret" hint="The value you set with npx wrangler secret put RELAY_SECRET (at least 32 characters)." error={errorFor(manualErrors, 'secret')}>
              {(p) => <input {...p} type="password" autoComplete="off" value={manualSecret} onChange={(e) => setManualSecret(e.target.value)} />}
            </Field>
            <div className="form-actions span-2">
              <Button type="submit" busy={connect.isPending}>
                Use this relay
              </Button>
            </div>
          </form>
        </details>
      )}
    </Card>
  );
}

function usageDetail(u: NonNullable<Status['relay']['usage']>): string {
  const n = (v: number) => v.toLocaleString();
  return `This relay today: ${n(u.requests)} of ${n(FREE_PLAN_DAILY.requests)} requests, ${n(u.rows_read)} of ${n(FREE_PLAN_DAILY.rows_read)} rows read, ${n(u.rows_written)} of ${n(FREE_PLAN_DAILY.rows_written)} rows written. The allowance is for the whole Cloudflare account and starts again at 00:00 UTC.`;
}

function nextUtcMidnight(iso: string): string {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).toISOString();
}
