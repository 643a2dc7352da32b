/**
 * A loopback proxy in front of a fake vendor that passes every request on at once (so the vendor
 * acts on it) and holds the answer back for `delayMs`: a slow vendor, with sends in flight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardingServer } from '../../helpers/forwarding-server.js';

export class DelayProxy {
  delayMs: number;

  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
    delayMs: number,
  ) {
    this.delayMs = delayMs;
  }

  static async start(target: string, delayMs: number): Promise<DelayProxy> {
    let proxy: DelayProxy | undefined;
    const server = forwardingServer(target, async () => {
      await new Promise((r) => setTimeout(r, proxy!.delayMs));
      return true;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new DelayProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, delayMs);
    return proxy;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
