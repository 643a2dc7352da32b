/** The latest alerts (hot leads, very engaged leads, a changed address), each opening what it is about. */
import type { Notification } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { Icon, type IconName } from '../../components/Icon.js';
import { Card } from '../../components/Layout.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { href } from '../../lib/router.js';

const ICON: Record<Notification['kind'], IconName> = {
  hot_lead: 'flame',
  high_engagement: 'pointer',
  reminder: 'bell',
  failure: 'alert',
  app_problem: 'alert',
  tunnel_url_changed: 'globe',
  info: 'bell',
  quiet_summary: 'moon',
};

export function RecentAlerts() {
  const q = useApiQuery('listNotifications', { limit: 5, offset: 0 });
  // Home stays calm: no alerts (or none in this version) means no card.
  if (!q.data?.items.length) return null;
  return (
    <Card title="Latest alerts" labelledBy="alerts-title">
      <ul className="alert-list">
        {q.data.items.map((n) => (
          <li key={n.id} className={`alert-item alert-${n.kind}`}>
            <span className="alert-icon">
              <Icon name={ICON[n.kind]} />
            </span>
            <a href={href(n.lead_id ? `/leads/${encodeURIComponent(n.lead_id)}` : '/settings')} className="alert-text">
              <strong>{n.title}</strong>
              <span className="muted small">{n.body}</span>
            </a>
            <time className="muted small" dateTime={n.created_at} title={formatDateTime(n.created_at)}>
              {formatRelative(n.created_at)}
            </time>
          </li>
        ))}
      </ul>
    </Card>
  );
}
