/** Settings: receiving rules, the public address, each webhook address, the request log, alerts, the app, your data and its backups. */
import type { Status } from '../../../../shared/api/models.js';
import { useTransport } from '../../api/context.js';
import { useApiQuery } from '../../api/queries.js';
import { Card, Notice, Page } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { useScrollToSection } from '../../lib/section-link.js';
import { AlertsSection } from './AlertsSection.js';
import { AppSection } from './AppSection.js';
import { BackupsSection } from './BackupsSection.js';
import { DataSection } from './DataSection.js';
import { EndpointsSection } from './EndpointsSection.js';
import { InboxSection } from './InboxSection.js';
import { NamedEndpointsSection } from './NamedEndpointsSection.js';
import { ReceivingSection } from './ReceivingSection.js';
import { RelaySection } from './RelaySection.js';
import { TunnelSection } from './TunnelSection.js';
import { UpdatesSection } from './UpdatesSection.js';

function Facts({ status }: { status: Status }) {
  const { kind } = useTransport();
  const rows: [string, string][] = [
    ['Webhook port', `${status.receiver.host}:${status.receiver.port}`],
    ['Public address port (internal)', `127.0.0.1:${status.receiver.tunnel_port}`],
    ['Public base address', status.receiver.public_base_url],
    ...(kind === 'http' ? ([['This page', window.location.origin]] as [string, string][]) : []),
    ['Running as', status.mode === 'desktop' ? 'Desktop app' : 'Background service (headless)'],
    ['Version', status.version],
  ];
  return (
    <dl className="facts facts-grid" data-testid="ports">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <code>{v}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function SettingsView() {
  const status = useApiQuery('getStatus', {});
  const settings = useApiQuery('getSettings', {});
  useScrollToSection(settings.isSuccess);
  return (
    <Page title="Settings" intro="How Leadbell receives leads, keeps them safe, and runs on this computer.">
      {status.data && status.data.env_overrides.length > 0 && (
        <Notice tone="info" title="Some settings come from environment variables">
          {status.data.env_overrides.join(', ')} override what is saved here.
        </Notice>
      )}
      {status.data && (
        <Notice tone={status.data.secret_backend.secure ? 'info' : 'warn'} title="How your passwords and keys are protected">
          {[status.data.secret_backend.protection, status.data.secret_backend.warning].filter(Boolean).join(' ')}
        </Notice>
      )}
      <Card title="Addresses and ports" labelledBy="ports-title">
        <QueryState query={status} what="Status">
          {(s) => (
            <>
              {s.receiver.port_notice && (
                <Notice tone="info" title="Leadbell moved to a free port">
                  {s.receiver.port_notice}
                </Notice>
              )}
              <Facts status={s} />
            </>
          )}
        </QueryState>
      </Card>
      <QueryState query={settings} what="Settings">
        {(view) => (
          <>
            <ReceivingSection key={JSON.stringify(view.settings.receiver)} receiver={view.settings.receiver} />
            <RelaySection relay={view.settings.relay} status={status.data} />
            <TunnelSection
              key={JSON.stringify(view.settings.tunnel)}
              tunnel={view.settings.tunnel}
              status={status.data}
              ngrokToken={view.secrets['tunnel.ngrok.authtoken']}
            />
            <EndpointsSection view={view} />
            <NamedEndpointsSection view={view} />
            <InboxSection key={JSON.stringify(view.settings.inbox)} inbox={view.settings.inbox} />
            <AlertsSection key={`${view.settings.alerts.quiet_from}-${view.settings.alerts.quiet_until}`} alerts={view.settings.alerts} />
            <AppSection app={view.settings.app} desktop={status.data?.mode === 'desktop'} />
            <UpdatesSection updates={view.settings.updates} />
            <DataSection status={status.data} />
            <BackupsSection passphrase={view.secrets['backup.passphrase']} />
          </>
        )}
      </QueryState>
    </Page>
  );
}
