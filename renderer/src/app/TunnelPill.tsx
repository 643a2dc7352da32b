import type { Status } from '../../../shared/api/models.js';
import { RELAY_WORDS } from '../../../shared/relay.js';

const WORDS: Record<Status['tunnel']['state'], { text: string; tone: string }> = {
  online: { text: 'Online', tone: 'good' },
  connecting: { text: 'Connecting…', tone: 'warn' },
  reconnecting: { text: 'Reconnecting…', tone: 'warn' },
  offline: { text: 'Offline', tone: 'bad' },
  error: { text: 'Not connected', tone: 'bad' },
  disabled: { text: 'This computer only', tone: 'neutral' },
};

/** The public address's state in a word and a colour: the relay's when it is set up, else the tunnel's. */
export function TunnelPill({ status }: { status: Status }) {
  const w = status.relay.state !== 'off' ? RELAY_WORDS[status.relay.state] : WORDS[status.tunnel.state];
  return (
    <div className={`pill pill-${w.tone}`} role="status" aria-label={`Public address: ${w.text}`} data-testid="tunnel-pill">
      <span className="pill-dot" aria-hidden="true" />
      <span>
        <span className="pill-caption">Public address</span>
        <span className="pill-text">{w.text}</span>
      </span>
    </div>
  );
}

export const TUNNEL_WORDS = WORDS;
