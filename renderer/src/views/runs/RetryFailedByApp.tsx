/**
 * Run history's bulk retry: for each app with calls that could not be sent, one line and "Retry
 * all failed", which retries every failed or given-up step of that app (and changes nothing, saying
 * why, while the app still refuses its key).
 */
import { INTEGRATIONS, isIntegrationName } from '../../../../shared/integrations/index.js';
import { useApiQuery } from '../../api/queries.js';
import { RetryAppButton } from '../../components/RetryAppButton.js';
import { formatNumber } from '../../lib/format.js';

export function RetryFailedByApp() {
  const health = useApiQuery('listAppHealth', {});
  const apps = (health.data?.items ?? []).filter((h) => h.failed.length > 0);
  if (!apps.length) return null;
  return (
    <section className="retry-by-app" aria-label="Calls that could not be sent" data-testid="retry-by-app">
      {apps.map((h) => {
        const app = isIntegrationName(h.integration) ? INTEGRATIONS[h.integration].label : h.integration;
        const n = h.failed.reduce((a, f) => a + f.count, 0);
        return (
          <div key={h.integration} className="retry-by-app-row">
            <span>
              {formatNumber(n)} {n === 1 ? 'call' : 'calls'} to {app} could not be sent{h.words ? `: ${h.words}` : ''}
            </span>
            <RetryAppButton integration={h.integration} appLabel={app} label="Retry all failed" />
          </div>
        );
      })}
    </section>
  );
}
