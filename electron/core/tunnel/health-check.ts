/**
 * A check through the public URL: GET {url}/health must reach this very process (the receiver
 * answers with its instance id), not a stale tunnel or somebody else's service.
 */
import { z } from 'zod';

/** Without it, loca.lt answers browser-like requests with a reminder page instead of forwarding. */
export const BYPASS_TUNNEL_REMINDER = 'Bypass-Tunnel-Reminder';
/** ngrok's free plan puts the same kind of page in front of browser-like requests. */
export const NGROK_SKIP_BROWSER_WARNING = 'ngrok-skip-browser-warning';

const healthAnswer = z.object({ status: z.literal('ok'), instance: z.string() });

/** Resolves with null when the check passes, or with what went wrong. */
export async function checkThroughTunnel(url: string, instanceId: string, timeoutMs: number, signal: AbortSignal): Promise<string | null> {
  const target = `${url.replace(/\/+$/, '')}/health`;
  try {
    const res = await fetch(target, {
      headers: { [BYPASS_TUNNEL_REMINDER]: '1', [NGROK_SKIP_BROWSER_WARNING]: '1', accept: 'application/json' },
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]),
      redirect: 'manual',
    });
    const text = await res.text();
    if (res.status !== 200) return `${target} answered HTTP ${res.status}`;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${target} did not answer with Leadbell's health check`;
    }
    const parsed = healthAnswer.safeParse(body);
    if (!parsed.success) return `${target} did not answer with Leadbell's health check`;
    if (parsed.data.instance !== instanceId) return `${target} reaches a different Leadbell instance`;
    return null;
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      return `no answer from ${target} within ${formatSeconds(timeoutMs)}`;
    }
    return `could not reach ${target}: ${networkReason(err)}`;
  }
}

/** A short reason for a failed fetch (undici hides the system error in `cause`). */
export function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name does not resolve (is the computer offline?)';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'the network is unreachable';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
