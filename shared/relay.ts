/** What the UI and the deployment say about the always-on relay. */
import type { RelayStatus } from './api/models.js';

/** The permissions the owner's Cloudflare API token needs, shown before they create it. */
export const RELAY_TOKEN_PERMISSIONS = ['Account · Workers Scripts · Edit', 'Account · Account Settings · Read'];

export const RELAY_WORDS: Record<RelayStatus['state'], { text: string; tone: 'good' | 'warn' | 'bad' | 'neutral' }> = {
  off: { text: 'Not set up', tone: 'neutral' },
  connecting: { text: 'Connecting…', tone: 'warn' },
  connected: { text: 'Connected', tone: 'good' },
  reconnecting: { text: 'Reconnecting…', tone: 'warn' },
  auth_failed: { text: 'Secret refused', tone: 'bad' },
};

export function awayMessage(n: number): string {
  return `${n} ${n === 1 ? 'lead' : 'leads'} arrived while you were away`;
}
