/**
 * What the supervisor needs from a tunnel: open one to a local port, learn its public URL and the
 * subdomain it got, close it, and hear when it dies. localtunnel and ngrok implement it.
 */

export interface OpenRequest {
  /** The loopback port to forward to (the receiver's tunnel ingress port, never the admin port). */
  port: number;
  /** The subdomain to ask for; the server may hand out another one. */
  subdomain: string;
  /** The tunnel server, e.g. https://localtunnel.me or a self-hosted one. */
  host: string;
  /** Opening gives up after this long (some clients retry forever on their own). */
  timeoutMs: number;
  /** Aborted when the caller no longer wants the tunnel (stopping, reopening). */
  signal: AbortSignal;
}

export interface OpenTunnel {
  url: string;
  /** The subdomain the server actually assigned. */
  subdomain: string;
  close(): void;
  /** Called at most once, when the tunnel fails on its own (not after close()). */
  onLost(listener: (err: Error) => void): void;
}

/**
 * Where the real client address of a request that came through the tunnel can be read, as far
 * as the provider guarantees it (everything else in the request is the sender's to choose):
 * - 'forwarded-for': the last X-Forwarded-For entry, which the provider's edge appends;
 * - 'header': one header the provider's edge sets, replacing any the sender sent (e.g. a
 *   Cloudflare relay's CF-Connecting-IP);
 * - 'none': the provider passes headers on untouched, so the address is unknown.
 */
export type ClientAddressSource = { kind: 'forwarded-for' } | { kind: 'header'; name: string } | { kind: 'none' };

export interface TunnelProvider {
  readonly name: string;
  open(req: OpenRequest): Promise<OpenTunnel>;
  /** How far this provider, on the tunnel server `host` from the settings, vouches for the client address. */
  clientAddress(host: string): ClientAddressSource;
}

/**
 * Why opening failed. 'unreachable': the tunnel server could not be reached at all (offline, or
 * the server is down); 'refused': it answered with an error; 'timeout': it did not answer in time;
 * 'invalid': its answer made no sense; 'cancelled': the caller aborted.
 */
export type OpenFailure = 'unreachable' | 'refused' | 'timeout' | 'invalid' | 'cancelled';

export class TunnelOpenError extends Error {
  constructor(
    readonly kind: OpenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TunnelOpenError';
  }
}
