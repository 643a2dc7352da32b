/**
 * A Connected apps card's health from the real outcomes of its calls: the badge (Connected only
 * while the last call went through), the last success, the last failure in words (the raw text
 * behind "Details") and the calls waiting with their next try.
 */
import type { AppHealth } from '../../../../shared/api/models.js';
import { nextTryWords } from '../../../../shared/failure-words.js';
import { Badge } from '../../components/Badge.js';
import { formatNumber, formatRelative } from '../../lib/format.js';

export function HealthBadge({ health }: { health: AppHealth | undefined }) {
  switch (health?.state) {
    case 'connected':
      return <Badge tone="good">Connected</Badge>;
    case 'failing':
      return <Badge tone="bad">Failing</Badge>;
    case 'key_refused':
      return <Badge tone="bad">Key refused: update the key</Badge>;
    case 'ready':
      return <Badge tone="info">Set up, not used yet</Badge>;
    case 'off':
      return <Badge tone="neutral">Off</Badge>;
    default:
      return <Badge tone="neutral">Not set up</Badge>;
  }
}

export function AppHealthLines({ health }: { health: AppHealth | undefined }) {
  if (!health || health.state === 'not_set_up' || health.state === 'off') return null;
  const now = Date.now();
  const next = nextTryWords(health.next_try_at, now);
  const failedCount = health.failed.reduce((n, f) => n + f.count, 0);
  return (
    <dl className="app-health" data-testid={`health-${health.integration}`}>
      {health.last_success_at && (
        <>
          <dt>Last went through</dt>
          <dd>{formatRelative(health.last_success_at, now)}</dd>
        </>
      )}
      {health.last_failure_at && health.last_failure && (
        <>
          <dt>Last failure</dt>
          <dd>
            {health.words ?? 'It went through again since'} ({formatRelative(health.last_failure_at, now)})
            {health.last_error && (
              <details>
                <summary>Details</summary>
                <code className="test-detail">{health.last_error}</code>
              </details>
            )}
          </dd>
        </>
      )}
      {health.waiting > 0 && (
        <>
          <dt>Waiting</dt>
          <dd>
            {formatNumber(health.waiting)} {health.waiting === 1 ? 'call' : 'calls'} waiting
            {health.state === 'key_refused' ? ': they go as soon as you save a new key' : next ? ` (${next})` : ''}
          </dd>
        </>
      )}
      {failedCount > 0 && (
        <>
          <dt>Could not be sent</dt>
          <dd>{health.failed.map((f) => `${formatNumber(f.count)} ${f.label}`).join(', ')}</dd>
        </>
      )}
    </dl>
  );
}
