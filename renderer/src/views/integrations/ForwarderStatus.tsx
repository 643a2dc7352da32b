/**
 * How forwarding to Prefect is going, from /api/status: the last answer in words (each failure
 * reads differently and says what to do), and what waits or was refused. Refused events stay in
 * view (with a link to them in Run history) after later events go through: the badge shows only
 * the last answer. Refreshed while shown.
 */
import type { ForwarderState } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import type { Tone } from '../../lib/labels.js';
import { href } from '../../lib/router.js';
import { RUNS_PARAMS } from '../runs/runs-params.js';
import { serializeSearch } from '../../lib/search-params.js';

/** Run history filtered to the forwarding runs Prefect refused (the internal flow is `prefect`). */
const REFUSED_RUNS = `/runs?${serializeSearch(RUNS_PARAMS, { flow: 'prefect', status: 'failed' })}`;

const WORDS: Record<ForwarderState, { tone: Tone; text: string; help?: string }> = {
  off: { tone: 'neutral', text: 'Not sending' },
  ready: { tone: 'neutral', text: 'Ready: nothing sent yet' },
  connected: { tone: 'good', text: 'Sending events' },
  auth_failed: { tone: 'bad', text: 'Stopped: Prefect refused the credentials', help: 'Check the API key or auth string. Events wait here and go out once it is fixed.' },
  wrong_url: { tone: 'bad', text: 'Stopped: no events API at this URL', help: 'Check the server URL (it ends in /api). Events wait here.' },
  rejected: { tone: 'warn', text: 'Prefect refused an event', help: 'That event is marked failed in Run history with Prefect\'s reason; the others were sent.' },
  server_error: { tone: 'warn', text: 'Prefect is answering with errors: retrying', help: 'Events wait here and are sent again with growing pauses.' },
  unreachable: { tone: 'warn', text: 'Prefect cannot be reached: retrying', help: 'Events wait here and are sent again with growing pauses.' },
};

export function ForwarderStatus() {
  const q = useApiQuery('getStatus', {}, { refetchInterval: 2_000 });
  const p = q.data?.prefect;
  if (!p) return null;
  const w = WORDS[p.state];
  return (
    <div className="forwarder-status" role="status" data-testid="prefect-forwarder" data-state={p.state}>
      <Badge tone={w.tone}>{w.text}</Badge>
      {p.detail && <code className="test-detail">{p.detail}</code>}
      {w.help && <p className="muted small">{w.help}</p>}
      {p.backlog.failed > 0 && p.state !== 'rejected' && (
        <p className="small" data-testid="prefect-refused">
          <Badge tone="warn">{refusedWords(p.backlog.failed)}</Badge>{' '}
          <a href={href(REFUSED_RUNS)}>See them in Run history</a>
        </p>
      )}
      <p className="muted small">
        {p.sent.toLocaleString('en-US')} sent since start · {p.backlog.waiting.toLocaleString('en-US')} waiting · {p.backlog.failed.toLocaleString('en-US')} refused
      </p>
    </div>
  );
}

function refusedWords(n: number): string {
  return n === 1 ? 'Prefect refused 1 event' : `Prefect refused ${n.toLocaleString('en-US')} events`;
}
