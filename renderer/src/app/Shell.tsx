/** The frame around every view: navigation, connection state, theme, live updates. */
import { useEffect, useRef } from 'react';
import type { Status } from '../../../shared/api/models.js';
import { useTransport } from '../api/context.js';
import { logout } from '../api/http-client.js';
import { useApiMutation, useApiQuery } from '../api/queries.js';
import { OfflineBanner } from './OfflineBanner.js';
import { Button } from '../components/Button.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { Icon, type IconName } from '../components/Icon.js';
import { Notice, Page } from '../components/Layout.js';
import { NotFound } from '../components/QueryState.js';
import { href, useRoute, type Route } from '../lib/router.js';
import { AutomationsView } from '../views/automations/AutomationsView.js';
import { HomeView } from '../views/home/HomeView.js';
import { EventsView } from '../views/events/EventsView.js';
import { MapSenderView } from '../views/held/MapSenderView.js';
import { IntegrationsView } from '../views/integrations/IntegrationsView.js';
import { LeadView } from '../views/lead/LeadView.js';
import { LeadsView } from '../views/leads/LeadsView.js';
import { RunsView } from '../views/runs/RunsView.js';
import { SettingsView } from '../views/settings/SettingsView.js';
import { TestFireView } from '../views/test-fire/TestFireView.js';
import { NEXT_THEME, THEME_WORDS, useAppliedTheme, type ThemeChoice } from './theme.js';
import { useLiveUpdates } from './useLiveUpdates.js';
import { useMenuCollapsed } from './useMenuCollapsed.js';
import { TunnelPill } from './TunnelPill.js';

const NAV: { path: string; label: string; icon: IconName; matches: Route['name'][] }[] = [
  { path: '/', label: 'Home', icon: 'home', matches: ['home'] },
  { path: '/leads', label: 'Leads', icon: 'users', matches: ['leads', 'lead'] },
  { path: '/events', label: 'Events', icon: 'inbox', matches: ['events', 'held'] },
  { path: '/automations', label: 'Automations', icon: 'zap', matches: ['automations'] },
  { path: '/runs', label: 'Run history', icon: 'history', matches: ['runs'] },
  { path: '/apps', label: 'Connected apps', icon: 'plug', matches: ['apps'] },
  { path: '/test', label: 'Send a test', icon: 'send', matches: ['test'] },
  { path: '/settings', label: 'Settings', icon: 'settings', matches: ['settings'] },
];

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomeView />;
    case 'leads':
      return <LeadsView />;
    case 'lead':
      return <LeadView id={route.id} />;
    case 'events':
      return <EventsView />;
    case 'held':
      return <MapSenderView endpoint={route.endpoint} shape={route.shape} />;
    case 'runs':
      return <RunsView selected={route.id} />;
    case 'automations':
      return <AutomationsView />;
    case 'apps':
      return <IntegrationsView />;
    case 'test':
      return <TestFireView />;
    case 'settings':
      return <SettingsView />;
    case 'notfound':
      return (
        <Page title="Page not found">
          <NotFound title="There is no page at this address">
            The link may be mistyped or out of date. <a href={href('/')}>Go to Home</a>
          </NotFound>
        </Page>
      );
  }
}

export function Shell({ status }: { status: Status }) {
  useLiveUpdates();
  const route = useRoute();
  const transport = useTransport();
  const settings = useApiQuery('getSettings', {});
  const saveSettings = useApiMutation('updateSettings', ['getSettings']);
  const choice: ThemeChoice = settings.data?.settings.app.theme ?? 'system';
  const applied = useAppliedTheme(choice);
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  // Moving to another view puts focus on its title, so keyboard and screen-reader users land there.
  // Choosing a run in Run history stays on the same view (the list keeps its place); another lead is another page.
  const page = route.name === 'lead' ? `lead/${route.id}` : route.name === 'held' ? `held/${route.endpoint}/${route.shape}` : route.name;
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('[data-page-title]')?.focus();
    main.current?.scrollTo?.({ top: 0 });
  }, [page]);

  const nextTheme = NEXT_THEME[choice];
  const [collapsed, toggleMenu] = useMenuCollapsed();
  return (
    <div className={collapsed ? 'app menu-collapsed' : 'app'}>
      {/* Hash routes own the URL fragment, so the skip link moves focus itself. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">
            <Icon name="bell" size={20} />
          </span>
          <span className="brand-name">Leadbell</span>
        </div>
        <button
          type="button"
          className="sidebar-button menu-toggle"
          aria-expanded={!collapsed}
          aria-controls="main-nav"
          onClick={toggleMenu}
          title={collapsed ? 'Show the menu names' : 'Show icons only'}
        >
          <Icon name={collapsed ? 'menu-open' : 'menu-close'} />
          <span>{collapsed ? 'Show the menu names' : 'Icons only'}</span>
        </button>
        <nav aria-label="Main" id="main-nav">
          <ul className="nav-list">
            {NAV.map((item) => {
              const current = item.matches.includes(route.name);
              return (
                <li key={item.path}>
                  <a className="nav-link" href={href(item.path)} aria-current={current ? 'page' : undefined} title={collapsed ? item.label : undefined}>
                    <Icon name={item.icon} />
                    <span>{item.label}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <TunnelPill status={status} />
          <button
            type="button"
            className="sidebar-button"
            onClick={() => saveSettings.mutate({ app: { theme: nextTheme } })}
            aria-label={`Theme: ${THEME_WORDS[choice]}. Switch to ${THEME_WORDS[nextTheme]}`}
          >
            <Icon name={choice === 'system' ? 'monitor' : applied === 'dark' ? 'moon' : 'sun'} />
            <span>{THEME_WORDS[choice]}</span>
          </button>
          {transport.kind === 'http' && (
            <button type="button" className="sidebar-button" onClick={() => void logout().then(() => window.location.reload())}>
              <Icon name="logout" />
              <span>Sign out</span>
            </button>
          )}
        </div>
      </aside>
      <main id="main" ref={main} className="main" tabIndex={-1}>
        <OfflineBanner />
        {!status.storage.ok && (
          <Notice tone="bad" title="Leadbell cannot save right now">
            {status.storage.error} New webhooks are being refused until this is fixed, so senders will try again later.
          </Notice>
        )}
        {status.receiver.paused && <PausedBanner />}
        {/* Another page clears a crashed view; a filter, a list page or a chosen run keeps the view mounted. */}
        <ErrorBoundary key={page}>
          <View route={route} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function PausedBanner() {
  const save = useApiMutation('updateSettings', ['getSettings', 'getStatus']);
  return (
    <Notice
      tone="warn"
      title="Receiving is paused"
      actions={
        <Button size="sm" variant="primary" busy={save.isPending} onClick={() => save.mutate({ receiver: { paused: false } })}>
          Resume
        </Button>
      }
    >
      New sign-ups are turned away until you resume; senders will retry later.
    </Notice>
  );
}
