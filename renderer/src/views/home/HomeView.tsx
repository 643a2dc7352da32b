/** Home: is it working, where to send leads, and how today is going. */
import { awayMessage, RELAY_WORDS } from '../../../../shared/relay.js';
import { useApiQuery } from '../../api/queries.js';
import { TUNNEL_WORDS } from '../../app/TunnelPill.js';
import { BacklogBar } from '../../components/BacklogBar.js';
import { Page, Notice } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { FailureBanner } from './FailureBanner.js';
import { HeldNotice } from '../held/HeldNotice.js';
import { RecentAlerts } from './RecentAlerts.js';
import { StatsSection } from './StatsSection.js';
import { SetupSection } from './SetupSection.js';
import { FirstRunChecklist } from './FirstRunChecklist.js';
import { useSetupProgress } from './setup-progress.js';
import { WebhookAddresses } from './WebhookAddresses.js';

function greeting(now = new Date()): string {
  const h = now.getHours();
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening';
}

export function HomeView() {
  const status = useApiQuery('getStatus', {});
  const endpoints = useApiQuery('listEndpoints', {});
  const s = status.data;
  const setup = useSetupProgress(endpoints.data?.items);
  return (
    <Page title={greeting()} windowTitle="Home" intro="Here is where your leads come in, and how today is going.">
      {s && !s.secret_backend.secure && (
        <Notice tone="warn" title="Your passwords and keys are not strongly protected">
          {[s.secret_backend.protection, s.secret_backend.warning].filter(Boolean).join(' ')}
        </Notice>
      )}
      {s && s.relay.state !== 'off' && s.relay.state !== 'connected' && (
        <Notice tone={s.relay.state === 'auth_failed' ? 'bad' : 'warn'} title={`Always-on address: ${RELAY_WORDS[s.relay.state].text}`}>
          {s.relay.detail ?? 'Leads are kept on the relay meanwhile; Leadbell keeps trying in the background.'}
          {s.relay.backlog ? ` ${s.relay.backlog} waiting on the relay.` : ''}
        </Notice>
      )}
      {s?.relay.arrived_while_away ? <Notice tone="good" title={awayMessage(s.relay.arrived_while_away)}>The relay kept them while this computer was away.</Notice> : null}
      {s && s.relay.state === 'off' && s.tunnel.state !== 'online' && s.tunnel.state !== 'disabled' && (
        <Notice tone={s.tunnel.state === 'reconnecting' || s.tunnel.state === 'connecting' ? 'warn' : 'bad'} title={`Public address: ${TUNNEL_WORDS[s.tunnel.state].text}`}>
          {s.tunnel.last_error ?? 'Leadbell keeps trying in the background. Your address stays the same.'}
        </Notice>
      )}
      {s?.tunnel.url_changed && (
        <Notice tone="bad" title="Your public address changed">
          The old address was taken. Paste the new address below into your forms and tools.
        </Notice>
      )}
      <FailureBanner />
      <HeldNotice />
      <FirstRunChecklist {...setup} endpoints={endpoints.data?.items ?? []} />
      <QueryState query={endpoints} what="Webhook addresses">
        {(data) => <WebhookAddresses endpoints={data.items} status={s} />}
      </QueryState>
      <BacklogBar />
      <StatsSection />
      <RecentAlerts />
      {setup.ready && setup.allDone && <SetupSection endpoints={endpoints.data?.items ?? []} />}
    </Page>
  );
}
