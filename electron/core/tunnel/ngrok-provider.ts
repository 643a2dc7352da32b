/**
 * ngrok through its Node SDK. Each open starts its own agent session with the authtoken from the
 * secret store and asks for the account's static domain, so the URL is the same on every open.
 * The SDK's own reconnects are not relied upon: a dropped session (handleDisconnection) or an
 * ended forward is reported as lost, and the supervisor reopens with the same backoff and
 * same-URL checks as for localtunnel.
 */
import { formatSeconds } from './health-check.js';
import { NO_AUTHTOKEN, NO_DOMAIN, ngrokDropMessage, ngrokOpenError } from './ngrok-errors.js';
import type { NgrokListener, NgrokSdk, NgrokSession } from './ngrok-sdk.js';
import { TunnelOpenError, type OpenRequest, type OpenTunnel, type TunnelProvider } from './provider.js';

export interface NgrokProviderDeps {
  /** The SDK, loaded on first use (a fake in tests). */
  sdk: () => Promise<NgrokSdk>;
  /** Read on every open, so a token saved while retrying is used on the next try. */
  authtoken: () => string | null;
  /** Leadbell's version, shown in the ngrok dashboard beside the session. */
  version: string;
}

/** In OpenRequest, `subdomain` carries the static domain; `host` is not used. */
export function ngrokProvider(d: NgrokProviderDeps): TunnelProvider {
  // ngrok adds the visitor's address to X-Forwarded-For, like localtunnel's server.
  return {
    name: 'ngrok',
    // ngrok's edge appends the address it saw to X-Forwarded-For (read on the tunnel-only port only).
    clientAddress: () => ({ kind: 'forwarded-for' }),
    open: (req) => openNgrok(d, req),
  };
}

function openNgrok(d: NgrokProviderDeps, req: OpenRequest): Promise<OpenTunnel> {
  const cancelled = () => new TunnelOpenError('cancelled', 'opening the tunnel was cancelled');
  if (req.signal.aborted) return Promise.reject(cancelled());
  const token = d.authtoken()?.trim() ?? '';
  if (!token) return Promise.reject(new TunnelOpenError('refused', NO_AUTHTOKEN));
  const domain = req.subdomain;
  if (!domain) return Promise.reject(new TunnelOpenError('refused', NO_DOMAIN));

  let phase: 'opening' | 'open' | 'closed' = 'opening';
  let session: NgrokSession | null = null;
  let listener: NgrokListener | null = null;
  let lostListener: ((err: Error) => void) | null = null;
  const close = () => {
    if (phase === 'closed') return;
    phase = 'closed';
    shutDown(listener, session);
  };
  // A function, so the check after each await is not narrowed away by the compiler.
  const isClosed = () => phase === 'closed';
  const lost = (err: Error) => {
    if (phase !== 'open') return;
    const l = lostListener;
    lostListener = null;
    l?.(err);
  };

  const work = async (): Promise<string> => {
    const sdk = await d.sdk().catch((err: Error) => {
      throw new TunnelOpenError('invalid', `the ngrok agent cannot run on this computer: ${err.message}`);
    });
    if (isClosed()) throw cancelled();
    const s = await new sdk.SessionBuilder()
      .authtoken(token)
      .clientInfo('leadbell', d.version)
      .handleDisconnection((_addr, error) => {
        lost(new Error(ngrokDropMessage(error, token)));
        return true;
      })
      .connect()
      .catch((err: unknown) => {
        throw ngrokOpenError(err, domain, token);
      });
    session = s;
    if (isClosed()) {
      shutDown(null, s);
      throw cancelled();
    }
    const l = await s
      .httpEndpoint()
      .domain(domain)
      .metadata('leadbell')
      .listen(false)
      .catch((err: unknown) => {
        throw ngrokOpenError(err, domain, token);
      });
    listener = l;
    if (isClosed()) {
      shutDown(l, s);
      throw cancelled();
    }
    const url = publicUrl(l.url());
    if (!url) throw new TunnelOpenError('invalid', `ngrok opened the tunnel but gave no web address (got ${JSON.stringify(l.url())})`);
    l.forward(`127.0.0.1:${req.port}`).then(
      () => lost(new Error('ngrok stopped forwarding to Leadbell')),
      (err: Error) => lost(new Error(`ngrok stopped forwarding to Leadbell: ${err.message}`)),
    );
    return url;
  };

  return new Promise<OpenTunnel>((resolve, reject) => {
    let finished = false;
    const finish = (err: TunnelOpenError | null, url?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      if (err || url === undefined) {
        close();
        reject(err ?? new TunnelOpenError('invalid', 'ngrok gave no address'));
        return;
      }
      phase = 'open';
      resolve({
        url,
        // listen() with a domain binds exactly that domain or is refused (334 when it is taken).
        subdomain: domain,
        close,
        onLost: (listenerFn) => {
          lostListener = listenerFn;
        },
      });
    };
    const timer = setTimeout(
      () => finish(new TunnelOpenError('timeout', `ngrok did not open the tunnel within ${formatSeconds(req.timeoutMs)}`)),
      req.timeoutMs,
    );
    const onAbort = () => finish(cancelled());
    req.signal.addEventListener('abort', onAbort, { once: true });
    work().then(
      (url) => finish(null, url),
      (err: unknown) => finish(err instanceof TunnelOpenError ? err : ngrokOpenError(err, domain, token)),
    );
  });
}

/** The listener's URL (https://{domain} from ngrok) without a trailing slash, if it is a web address. */
function publicUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname && !u.search && !u.hash ? raw.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/** Closes the listener, then the session; closing is best effort (the session may already be gone). */
function shutDown(listener: NgrokListener | null, session: NgrokSession | null): void {
  void (async () => {
    await listener?.close().catch(() => undefined);
    await session?.close().catch(() => undefined);
  })();
}
