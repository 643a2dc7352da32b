/**
 * A loopback proxy in front of a fake vendor that is, for part of every cycle, not listening at
 * all: connections made then are refused (ECONNREFUSED), as when a vendor's host is down. Open
 * connections are cut when it goes down, so a client's pooled sockets cannot hide the outage.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardingServer } from '../../helpers/forwarding-server.js';

export class FlappingProxy {
  /** Down periods so far. */
  downPeriods = 0;
  private server: http.Server | null = null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly target: string,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Up for `upMs`, then down (refusing) for `downMs`, repeatedly. */
  static async start(target: string, upMs: number, downMs: number): Promise<FlappingProxy> {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const proxy = new FlappingProxy(target, port);
    await proxy.up();
    const cycle = () => {
      proxy.timer = setTimeout(async () => {
        proxy.down();
        proxy.timer = setTimeout(async () => {
          await proxy.up();
          cycle();
        }, downMs);
      }, upMs);
    };
    cycle();
    return proxy;
  }

  private async up(): Promise<void> {
    const server = forwardingServer(this.target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  private down(): void {
    this.downPeriods++;
    this.server?.close();
    this.server?.closeAllConnections();
    this.server = null;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.down();
  }
}
