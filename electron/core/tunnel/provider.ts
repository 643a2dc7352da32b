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

export interface TunnelProvider {
  readonly name: string;
  /**
   * The tunnel server appends the sender's address to X-Forwarded-For: its last entry may be
   * trusted on the tunnel-only port (never on the public receiver port).
   */
  readonly setsForwardedFor: boolean;
  open(req: OpenRequest): Promise<OpenTunnel>;
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
