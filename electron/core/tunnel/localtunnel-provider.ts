/**
 * localtunnel (client 2.0.2). The client's own registration step retries every second forever on
 * any error and cannot be stopped, so it is replaced by a single bounded request whose answer is
 * validated; the rest (the pool of raw TCP sockets piped to the local port) is the client's.
 * Every client gets an 'error' listener for its whole life: an unhandled one crashes the process.
 */
import Tunnel from 'localtunnel/lib/Tunnel.js';
import { z } from 'zod';
import { formatSeconds, networkReason } from './health-check.js';
import { TunnelOpenError, type ClientAddressSource, type OpenRequest, type OpenTunnel, type TunnelProvider } from './provider.js';

const serverAnswer = z.object({
  id: z.string().min(1).max(200),
  port: z.number().int().min(1).max(65535),
  url: z.url({ protocol: /^https?$/ }),
  max_conn_count: z.number().int().min(1).max(100).optional(),
  ip: z.string().max(100).optional(),
  cached_url: z.string().max(2000).optional(),
});
const serverMessage = z.object({ message: z.string().max(500) });

/**
 * localtunnel's server (localtunnel/server, lib/Client.js) forwards the public request's headers
 * unchanged: it adds no X-Forwarded-For of its own. The public service runs it behind nginx
 * with `X-Forwarded-For $proxy_add_x_forwarded_for` (the project's devops/nginx config), which
 * appends the connecting address: only there is the last entry the real sender. A self-hosted
 * server gives no such guarantee, so there the address is unknown.
 */
const PUBLIC_SERVICE = /(^|\.)(localtunnel\.me|loca\.lt)$/i;

export function localtunnelClientAddress(host: string): ClientAddressSource {
  let hostname = '';
  try {
    hostname = new URL(host).hostname;
  } catch {
    return { kind: 'none' };
  }
  return PUBLIC_SERVICE.test(hostname) ? { kind: 'forwarded-for' } : { kind: 'none' };
}

export const localtunnelProvider: TunnelProvider = {
  name: 'localtunnel',
  open: (req) => openLocaltunnel(req),
  clientAddress: localtunnelClientAddress,
};

function openLocaltunnel(req: OpenRequest): Promise<OpenTunnel> {
  if (req.signal.aborted) return Promise.reject(new TunnelOpenError('cancelled', 'opening the tunnel was cancelled'));
  const host = req.host.replace(/\/+$/, '');
  const client = new Tunnel({ port: req.port, host, subdomain: req.subdomain, local_host: '127.0.0.1' });
  const registration = new AbortController();
  client._init = (cb) => {
    register(host, req.subdomain, registration.signal).then(
      (answer) => cb(null, client._getInfo(answer)),
      (err: Error) => cb(err),
    );
  };

  let phase: 'registering' | 'connecting' | 'open' | 'closed' = 'registering';
  let lostListener: ((err: Error) => void) | null = null;
  const close = () => {
    if (phase === 'closed') return;
    phase = 'closed';
    registration.abort();
    client.close();
  };

  return new Promise<OpenTunnel>((resolve, reject) => {
    const fail = (err: TunnelOpenError) => {
      if (phase !== 'registering' && phase !== 'connecting') return;
      clearTimeout(timer);
      req.signal.removeEventListener('abort', cancel);
      close();
      reject(err);
    };
    const timer = setTimeout(() => {
      fail(
        phase === 'registering'
          ? new TunnelOpenError('timeout', `the tunnel server at ${host} did not answer within ${formatSeconds(req.timeoutMs)}`)
          : new TunnelOpenError('timeout', `the tunnel server at ${host} gave a port but no connection to it opened within ${formatSeconds(req.timeoutMs)}`),
      );
    }, req.timeoutMs);
    const cancel = () => fail(new TunnelOpenError('cancelled', 'opening the tunnel was cancelled'));
    req.signal.addEventListener('abort', cancel, { once: true });

    client.on('error', (err: Error) => {
      if (phase === 'registering' || phase === 'connecting') {
        fail(new TunnelOpenError('unreachable', `the tunnel server at ${host} did not accept the tunnel connection: ${err.message}`));
      } else if (phase === 'open') {
        const listener = lostListener;
        lostListener = null;
        listener?.(err);
      }
    });

    client.once('url', (url: string) => {
      if (phase !== 'connecting') return;
      phase = 'open';
      clearTimeout(timer);
      req.signal.removeEventListener('abort', cancel);
      resolve({
        url,
        subdomain: client.clientId ?? '',
        close,
        onLost: (listener) => {
          lostListener = listener;
        },
      });
    });

    client.open((err) => {
      if (err) fail(err instanceof TunnelOpenError ? err : new TunnelOpenError('invalid', err.message));
      else if (phase === 'registering') phase = 'connecting';
    });
  });
}

/** GET {host}/{subdomain}: one attempt, aborted by the caller's deadline. */
async function register(host: string, subdomain: string, signal: AbortSignal): Promise<Tunnel.ServerAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${host}/${encodeURIComponent(subdomain)}`, { signal, headers: { accept: 'application/json' } });
    text = await res.text();
  } catch (err) {
    if (signal.aborted) throw new TunnelOpenError('timeout', `the tunnel server at ${host} did not answer`);
    throw new TunnelOpenError('unreachable', `cannot reach the tunnel server at ${host}: ${networkReason(err)}`);
  }
  const json = parseJson(text);
  if (res.status !== 200) {
    const message = serverMessage.safeParse(json);
    throw new TunnelOpenError(
      'refused',
      `the tunnel server at ${host} refused the tunnel (HTTP ${res.status})${message.success ? `: ${message.data.message}` : ''}`,
    );
  }
  const answer = serverAnswer.safeParse(json);
  if (!answer.success) {
    const issue = answer.error.issues[0];
    throw new TunnelOpenError(
      'invalid',
      `the tunnel server at ${host} gave an unexpected answer${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}`,
    );
  }
  return answer.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
