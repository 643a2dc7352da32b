/**
 * ngrok's failures in the owner's words. The SDK rejects with `errorCode` = ERR_NGROK_… when
 * ngrok's server answered, and with a plain message when it was never reached. Server messages
 * can quote the authtoken back ("Your authtoken: …"), so it is masked before anything is kept.
 */
import { TunnelOpenError } from './provider.js';
import type { NgrokSdkError } from './ngrok-sdk.js';

export const WHERE_TO_SET = 'Settings → Public address (headless: NGROK_AUTHTOKEN / NGROK_DOMAIN)';
export const NO_AUTHTOKEN = `ngrok needs your authtoken: paste it in ${WHERE_TO_SET}`;
export const NO_DOMAIN = `ngrok needs your free static domain (e.g. bella-salon.ngrok-free.app): enter it in ${WHERE_TO_SET}`;

/** ngrok's codes for a token it will not accept: malformed, revoked or reset, or missing. */
const BAD_AUTHTOKEN = new Set(['ERR_NGROK_105', 'ERR_NGROK_106', 'ERR_NGROK_107', 'ERR_NGROK_4018']);
/** The endpoint (domain) is already online in another agent session. */
const DOMAIN_IN_USE = 'ERR_NGROK_334';
/** What the SDK says when no TCP/TLS connection to ngrok could be made at all. */
const UNREACHABLE = /failed to establish tcp connection|dns|lookup|resolve|network is unreachable|connection refused|timed out|tls handshake/i;

export function ngrokOpenError(err: unknown, domain: string, authtoken: string): TunnelOpenError {
  const e = err as NgrokSdkError | null;
  const raw = mask(e instanceof Error ? e.message : String(err), authtoken);
  const code = e?.errorCode ?? /ERR_NGROK_\d+/.exec(raw)?.[0];
  if (code && BAD_AUTHTOKEN.has(code)) {
    return new TunnelOpenError('refused', `ngrok did not accept the authtoken (${code}): copy it again from dashboard.ngrok.com and save it in ${WHERE_TO_SET}`);
  }
  if (code === DOMAIN_IN_USE) {
    return new TunnelOpenError(
      'refused',
      `the domain ${domain} is already online in another ngrok agent (${code}): another Leadbell or ngrok on this account holds it; ` +
        'stop that one and Leadbell takes the address back',
    );
  }
  if (code) return new TunnelOpenError('refused', `ngrok refused the tunnel (${code}): ${firstLine(raw)}`);
  if (UNREACHABLE.test(raw)) return new TunnelOpenError('unreachable', `cannot reach ngrok (is the computer offline?): ${firstLine(raw)}`);
  return new TunnelOpenError('invalid', `ngrok failed: ${firstLine(raw)}`);
}

/** Why a running session dropped, as handleDisconnection reports it. */
export function ngrokDropMessage(error: string, authtoken: string): string {
  return `the connection to ngrok dropped: ${firstLine(mask(error, authtoken)) || 'no reason given'}`;
}

function mask(text: string, authtoken: string): string {
  return authtoken ? text.split(authtoken).join('[masked]') : text;
}

/** The server's sentence without its trailing code line and links. */
function firstLine(text: string): string {
  const line = text.replace(/^failed to [a-z ]+: /, '').split(/\r?\n/)[0] ?? '';
  return line.replace(/\s*error_code: ERR_NGROK_\d+\s*$/, '').trim().slice(0, 300);
}
