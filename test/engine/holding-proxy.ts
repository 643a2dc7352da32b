/**
 * A loopback proxy in front of a fake vendor. While holding, it forwards each request (so the
 * vendor acts on it) but never passes the answer back: the caller is left waiting, as when a
 * process dies between a vendor accepting a send and hearing that it did.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardingServer } from '../helpers/forwarding-server.js';

export class HoldingProxy {
  holding = true;
  /** Requests forwarded while holding whose answers were withheld. */
  withheld = 0;

  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
  ) {}

  static async start(target: string): Promise<HoldingProxy> {
    let proxy: HoldingProxy | undefined;
    const server = forwardingServer(target, () => {
      if (!proxy!.holding) return true;
      proxy!.withheld++;
      return false; // the vendor acted; the caller never hears
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new HoldingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
