/**
 * Types for localtunnel 2.0.2's Tunnel class (lib/Tunnel.js), which the provider drives directly:
 * its published entry point starts a registration loop that retries forever and cannot be stopped.
 */
declare module 'localtunnel/lib/Tunnel.js' {
  import { EventEmitter } from 'node:events';

  namespace Tunnel {
    interface Options {
      port: number;
      host: string;
      subdomain?: string;
      local_host?: string;
    }
    /** The server's answer to GET /{subdomain} (or /?new). */
    interface ServerAnswer {
      id: string;
      port: number;
      url: string;
      max_conn_count?: number;
      ip?: string;
      cached_url?: string;
    }
    /** Connection details the client derives from the answer; opaque to callers. */
    interface Info {
      readonly name: string;
      readonly url: string;
    }
  }

  class Tunnel extends EventEmitter {
    constructor(opts: Tunnel.Options);
    clientId?: string;
    url?: string;
    closed: boolean;
    /** Registers with the server; the stock version retries every second, forever. */
    _init(cb: (err: Error | null, info?: Tunnel.Info) => void): void;
    _getInfo(body: Tunnel.ServerAnswer): Tunnel.Info;
    open(cb: (err?: Error) => void): void;
    close(): void;
  }

  export = Tunnel;
}
