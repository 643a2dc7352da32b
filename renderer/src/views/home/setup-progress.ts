/**
 * The first-run steps and whether each is done, read from real state: a public address in the
 * endpoint listing, a test in the request log, the apps' keys in the secret store, and a request
 * that came from outside (through the public address or the relay).
 */
import type { EndpointListing } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { sectionLink } from '../../lib/section-link.js';
import { PUBLIC_ADDRESS_LINK } from './OutsideAddress.js';

export type SetupStepId = 'public_address' | 'test' | 'email' | 'alerts' | 'form_tool';

export interface SetupStep {
  id: SetupStepId;
  title: string;
  /** What to do, when it is not done yet. */
  todo: string;
  /** What is true, once it is done. */
  done_words: string;
  done: boolean;
  /** Where it is done: a route, or null for a step done on Home itself. */
  link: { to: string; words: string } | null;
}

const EMAIL_SECRETS = ['integration.loops.api_key'];
const ALERT_SECRETS = ['integration.discord.webhook_url', 'integration.slack.webhook_url'];

export function setupSteps(state: {
  publicAddress: boolean;
  tested: boolean;
  secrets: Record<string, { set: boolean }>;
  fromOutside: boolean;
}): SetupStep[] {
  const set = (names: string[]) => names.some((n) => state.secrets[n]?.set);
  return [
    {
      id: 'public_address',
      title: 'Turn on a public address',
      todo: 'So your website and tools can reach this computer.',
      done_words: 'Your tools can reach Leadbell.',
      done: state.publicAddress,
      link: { to: PUBLIC_ADDRESS_LINK, words: 'Open public address settings' },
    },
    {
      id: 'test',
      title: 'Send a test',
      todo: 'A sample lead shows what happens when a real one arrives.',
      done_words: 'A test went through.',
      done: state.tested,
      link: { to: '/test', words: 'Send a test' },
    },
    {
      id: 'email',
      title: 'Connect your email',
      todo: 'Loops sends the welcome and follow-up emails.',
      done_words: 'Loops is connected.',
      done: set(EMAIL_SECRETS),
      link: { to: sectionLink('/apps', 'integration-loops'), words: 'Connect Loops' },
    },
    {
      id: 'alerts',
      title: 'Connect team alerts',
      todo: 'Discord or Slack tells your team about new and hot leads.',
      done_words: 'Team alerts are connected.',
      done: set(ALERT_SECRETS),
      link: { to: sectionLink('/apps', 'integration-discord'), words: 'Connect Discord or Slack' },
    },
    {
      id: 'form_tool',
      title: 'Paste the address into your form tool',
      todo: 'Typeform, Zapier, Make or your own website: the first real lead ticks this.',
      done_words: 'Leads arrive from outside.',
      done: state.fromOutside,
      link: null,
    },
  ];
}

export function useSetupProgress(endpoints: EndpointListing[] | undefined): { steps: SetupStep[]; ready: boolean; allDone: boolean } {
  const settings = useApiQuery('getSettings', {});
  const tests = useApiQuery('listRequests', { limit: 1, offset: 0, via: 'test-fire' });
  const tunnel = useApiQuery('listRequests', { limit: 1, offset: 0, via: 'tunnel', outcome: 'accepted' });
  const relay = useApiQuery('listRequests', { limit: 1, offset: 0, via: 'relay', outcome: 'accepted' });
  const ready = Boolean(endpoints && settings.data && tests.data && tunnel.data && relay.data);
  const steps = setupSteps({
    publicAddress: Boolean(endpoints?.some((e) => e.public_url)),
    tested: (tests.data?.total ?? 0) > 0,
    secrets: settings.data?.secrets ?? {},
    fromOutside: (tunnel.data?.total ?? 0) + (relay.data?.total ?? 0) > 0,
  });
  return { steps, ready, allDone: steps.every((s) => s.done) };
}
