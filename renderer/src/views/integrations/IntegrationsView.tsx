/** Connected apps: one card per integration, secrets masked, and a real "Send test". */
import { INTEGRATION_LIST } from '../../../../shared/integrations/index.js';
import { useApiQuery } from '../../api/queries.js';
import { Page } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { useScrollToSection } from '../../lib/section-link.js';
import { IntegrationCard } from './IntegrationCard.js';

export function IntegrationsView() {
  const settings = useApiQuery('getSettings', {});
  const health = useApiQuery('listAppHealth', {});
  useScrollToSection(settings.isSuccess);
  return (
    <Page title="Connected apps" intro="Connect the tools you already use. Keys are stored encrypted on this computer and never shown again.">
      <QueryState query={settings} what="Connected apps">
        {(view) => (
          <div className="integration-grid">
            {INTEGRATION_LIST.map((spec) => (
              <IntegrationCard key={spec.name} spec={spec} view={view} health={health.data?.items.find((h) => h.integration === spec.name)} />
            ))}
          </div>
        )}
      </QueryState>
    </Page>
  );
}
