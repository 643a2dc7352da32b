/** What the UI and the deployment say about the always-on relay. */
import type { RelayStatus, RelayUsage } from './api/models.js';
import type { WireUsage } from './relay-wire.js';

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

/**
 * The Workers Free plan's daily limits the relay counts against: requests to Workers and to
 * Durable Objects (100,000 each) and SQLite rows read and written by Durable Objects. They are
 * per account and reset at 00:00 UTC; past one, further operations of that kind fail.
 * https://developers.cloudflare.com/workers/platform/pricing/#workers
 * https://developers.cloudflare.com/durable-objects/platform/pricing/
 */
export const FREE_PLAN_DAILY = { requests: 100_000, rows_read: 5_000_000, rows_written: 100_000 } as const;

/** Requests a day the Free plan carries at the given rows per request (the tightest limit wins). */
export function dailyCapacity(rowsReadPerRequest: number, rowsWrittenPerRequest: number): number {
  return Math.floor(
    Math.min(FREE_PLAN_DAILY.requests, FREE_PLAN_DAILY.rows_read / Math.max(rowsReadPerRequest, 1e-9), FREE_PLAN_DAILY.rows_written / Math.max(rowsWrittenPerRequest, 1e-9)),
  );
}

export function relayUsage(u: WireUsage): RelayUsage {
  const share = Math.max(u.requests / FREE_PLAN_DAILY.requests, u.rows_read / FREE_PLAN_DAILY.rows_read, u.rows_written / FREE_PLAN_DAILY.rows_written);
  return { day: u.day, requests: Math.round(u.requests), rows_read: u.rows_read, rows_written: u.rows_written, share, words: usageWords(share, u.exceeded_at), exceeded_at: u.exceeded_at };
}

export function usageWords(share: number, exceededAt: string | null): string {
  if (exceededAt || share >= 1) return "today's free allowance is used up";
  const pct = share * 100;
  if (pct < 1) return "less than 1% of today's free allowance used";
  return `about ${Math.round(pct)}% of today's free allowance used`;
}

/** What the owner reads when Cloudflare refused the relay's storage for the rest of the day. */
export function quotaWords(resetsAt: string): string {
  return `Cloudflare's free allowance for today is used up, so the relay answers new requests "busy, send again later" until it resets at ${resetsAt}. Requests it already holds are kept. Most form and booking tools send again by themselves; to avoid this, upgrade the Cloudflare account to Workers Paid.`;
}
