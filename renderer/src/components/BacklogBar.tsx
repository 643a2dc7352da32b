/**
 * Vendor calls still waiting for their turn ("Sending 1,840 welcome emails, about 3 min left"),
 * with a progress bar each. Shown only while there is a backlog; refreshed every two seconds then.
 */
import type { BacklogItem, Status } from '../../../shared/api/models.js';
import { useApiQuery } from '../api/queries.js';

function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'working out how long';
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `about ${minutes} min left` : `about ${Math.round(minutes / 60)} h left`;
}

export function backlogSentence(b: BacklogItem): string {
  return `Sending ${b.waiting.toLocaleString('en-US')} ${b.label}, ${timeLeft(b.eta_seconds)}`;
}

/** Events for Prefect that wait outside the outbox (forwarding stopped, or retrying after an error). */
function prefectWaiting(status: Status | undefined, items: BacklogItem[]): string | null {
  const p = status?.prefect;
  if (!p || !p.backlog.waiting || items.some((b) => b.integration === 'prefect')) return null;
  const why = p.state === 'auth_failed' || p.state === 'wrong_url' ? 'forwarding is stopped (see Connected apps)' : p.state === 'server_error' || p.state === 'unreachable' ? 'retrying' : 'queued';
  return `${p.backlog.waiting.toLocaleString('en-US')} events wait for Prefect: ${why}`;
}

export function BacklogBar() {
  const q = useApiQuery('getBacklog', {}, { refetchInterval: (query) => (query.state.data?.items.length ? 2_000 : 10_000) });
  const status = useApiQuery('getStatus', {}, { refetchInterval: (query) => (query.state.data?.prefect.backlog.waiting ? 2_000 : 10_000) });
  const items = q.data?.items ?? [];
  const prefect = prefectWaiting(status.data, items);
  if (!items.length && !prefect) return null;
  return (
    <section className="backlog" aria-label="Waiting to be sent">
      {prefect && (
        <div className="backlog-item" data-testid="prefect-backlog">
          <span className="backlog-text">{prefect}</span>
        </div>
      )}
      {items.map((b) => (
        <div key={`${b.integration}-${b.label}`} className="backlog-item">
          <span className="backlog-text">{backlogSentence(b)}</span>
          <progress max={b.sent + b.waiting} value={b.sent} aria-label={`${b.label} sent`} />
        </div>
      ))}
    </section>
  );
}
