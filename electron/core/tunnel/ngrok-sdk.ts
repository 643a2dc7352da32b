/**
 * The part of ngrok's Node SDK (@ngrok/ngrok 1.x, its index.d.ts) that the ngrok provider uses.
 * The provider takes it as a dependency, so tests drive it with a fake that keeps the SDK's
 * documented behaviour and errors. The session API is used rather than `forward()`: `forward()`
 * keeps one process-wide session, so a changed authtoken or a reopen would reuse the old one.
 */

export interface NgrokSdk {
  SessionBuilder: new () => NgrokSessionBuilder;
}

export interface NgrokSessionBuilder {
  authtoken(authtoken: string): this;
  clientInfo(clientType: string, version: string, comments?: string | null): this;
  /**
   * Called each time the session's connection drops (with the address it will redial and the
   * error); returning true lets the SDK reconnect on its own.
   */
  handleDisconnection(handler: (addr: string, error: string) => boolean): this;
  /** Rejects at once when the server is unreachable; errors from ngrok carry `errorCode` (ERR_NGROK_…). */
  connect(): Promise<NgrokSession>;
}

export interface NgrokSession {
  httpEndpoint(): NgrokHttpEndpointBuilder;
  close(): Promise<void>;
}

export interface NgrokHttpEndpointBuilder {
  domain(domain: string): this;
  metadata(metadata: string): this;
  /** `false`: no local socket is bound; forwarding is started with Listener.forward(). */
  listen(bind?: boolean | null): Promise<NgrokListener>;
}

export interface NgrokListener {
  url(): string | null;
  /** Forwards connections to addr ("127.0.0.1:4749"); settles only when forwarding ends. */
  forward(addr: string): Promise<void>;
  close(): Promise<void>;
}

/** The SDK's errors: `code` is napi's (e.g. GenericFailure), `errorCode` ngrok's, when it sent one. */
export interface NgrokSdkError extends Error {
  code?: string;
  errorCode?: string;
}

/**
 * Loads the SDK and its native agent (from the per-platform npm package) on first use, so a
 * computer without a build for its platform gets a status in words instead of a crash at start.
 */
export async function loadNgrokSdk(): Promise<NgrokSdk> {
  const mod = (await import('@ngrok/ngrok')) as typeof import('@ngrok/ngrok') & { default?: typeof import('@ngrok/ngrok') };
  // The real SDK must satisfy the interface above: this line fails to compile if it drifts.
  const sdk: NgrokSdk = mod.default ?? mod;
  return sdk;
}
