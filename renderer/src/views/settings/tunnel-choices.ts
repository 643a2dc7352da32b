/**
 * The choices under Settings → Public address, each with one line on what it is good for.
 * The relay (the always-on address, the one a browser form on a landing page needs) is its own
 * section; its choice goes first in this list when it lands.
 */
import type { TunnelProviderName } from '../../../../shared/settings.js';

export type TunnelChoice = TunnelProviderName | 'off';

export const TUNNEL_CHOICES: { value: TunnelChoice; label: string; goodFor: string }[] = [
  {
    value: 'ngrok',
    label: 'ngrok',
    goodFor:
      'A steady address on your free ngrok domain, for Typeform, Tally, Zapier and Make. Needs a free ngrok account; browsers see an ngrok notice page first.',
  },
  {
    value: 'localtunnel',
    label: 'localtunnel',
    goodFor:
      'No account needed; fine for Typeform, Tally, Zapier and Make, but the free public server has outages and browsers see a reminder page first.',
  },
  {
    value: 'off',
    label: 'Off',
    goodFor: 'Nothing on the internet can reach Leadbell; only this computer (and your network, if you allowed it) can send to it.',
  },
];
