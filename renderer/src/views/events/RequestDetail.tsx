/** One request: outcome and reason, what it led to, headers (secrets masked by the core), raw body, and replay. */
import type { InboxRequest } from '../../../../shared/api/models.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage, isUnavailable } from '../../api/errors.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Card, Notice } from '../../components/Layout.js';
import { href } from '../../lib/router.js';
import { mapPath } from '../held/map-path.js';
import { useToasts } from '../../components/Toasts.js';
import { formatBytes, formatDateTime, prettyBody } from '../../lib/format.js';
import { OUTCOME_TONE, OUTCOME_WORDS } from '../../lib/labels.js';
import { WhatHappenedNext } from './WhatHappenedNext.js';

const FROM_WORDS: Record<InboxRequest['via'], string> = {
  'test-fire': 'a test from Leadbell',
  relay: 'the internet, kept by the always-on relay',
  tunnel: 'the internet (public address)',
  direct: 'this network',
  replay: 'a request from this address, replayed by you through today’s settings',
};

export function RequestDetail({ r, title }: { r: InboxRequest; title: string }) {
  const outcome = r.outcome;
  const replay = useApiMutation('replayEvent', ['listEvents', 'listRuns', 'getStats']);
  const { push } = useToasts();
  const onReplay = () =>
    r.event_id &&
    replay.mutate(
      { id: r.event_id },
      {
        onSuccess: () => push({ tone: 'good', title: 'Sent through your automations again' }),
        onError: (e) => push({ tone: 'bad', title: isUnavailable(e) ? 'Replaying is not available yet' : 'Could not replay', body: errorMessage(e) }),
      },
    );
  return (
    <Card
      className="detail"
      title={title}
      labelledBy="request-detail-title"
      subtitle={`${r.method} ${r.path} · ${formatDateTime(r.received_at)}`}
      actions={
        r.event_id && (
          <Button icon="refresh" onClick={onReplay} busy={replay.isPending}>
            Replay
          </Button>
        )
      }
    >
      <dl className="facts">
        <div>
          <dt>Result</dt>
          <dd>
            <Badge tone={OUTCOME_TONE[outcome]}>{OUTCOME_WORDS[outcome]}</Badge> <span className="muted">HTTP {r.status}</span>
          </dd>
        </div>
        {r.reason && (
          <div>
            <dt>Why</dt>
            <dd data-testid="request-reason">{r.reason}</dd>
          </div>
        )}
        <div>
          <dt>From</dt>
          <dd>
            {r.client_ip} · {FROM_WORDS[r.via]}
          </dd>
        </div>
        {r.replayed_event_id && (
          <div>
            <dt>Replayed</dt>
            <dd>A replay of it went through and became an event.</dd>
          </div>
        )}
        <div>
          <dt>Size</dt>
          <dd>
            {formatBytes(r.body_size)}
            {r.body_truncated && ' (only the start was kept)'}
          </dd>
        </div>
      </dl>
      {outcome === 'accepted' && <WhatHappenedNext requestId={r.id} />}
      {outcome === 'held' && r.endpoint && r.shape && (
        <Notice
          tone="warn"
          title="Waiting for you"
          actions={
            <a className="btn btn-primary btn-sm" href={href(mapPath(r.endpoint, r.shape))}>
              Show Leadbell
            </a>
          }
        >
          Leadbell kept this request but could not find the email in it. Show Leadbell which field is the email, and it goes through your automations.
        </Notice>
      )}
      <h3>What was sent</h3>
      <pre className="json-block" tabIndex={0} aria-label="Raw body" data-testid="request-body">
        {prettyBody(r.body) || '(empty)'}
      </pre>
      <details>
        <summary>Headers</summary>
        <table className="kv-table">
          <tbody>
            {Object.entries(r.headers).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Card>
  );
}
