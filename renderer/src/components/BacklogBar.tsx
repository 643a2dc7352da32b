/**
 * Vendor calls still waiting for their turn ("Sending 1,840 welcome emails, about 3 min left"),
 * with a progress bar each. Shown only while there is a backlog; refreshed every two seconds then.
 */
import type { BacklogItem } from '../../../shared/api/models.js';
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

export function BacklogBar() {
  const q = useApiQuery('getBacklog', {}, { refetchInterval: (query) => (query.state.data?.items.length ? 2_000 : 10_000) });
  const items = q.data?.items ?? [];
  if (!items.length) return null;
  return (
    <section className="backlog" aria-label="Waiting to be sent">
      {items.map((b) => (
        <div key={`${b.integration}-${b.label}`} className="backlog-item">
          <span className="backlog-text">{backlogSentence(b)}</span>
          <progress max={b.sent + b.waiting} value={b.sent} aria-label={`${b.label} sent`} />
        </div>
      ))}
    </section>
  );
}
