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
    private readonly upMs: number,
    private readonly downMs: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Up for `upMs`, then down (refusing) for `downMs`, repeatedly. With `startDown` it refuses
   * from the start until `flap()`, so a test can make sure a refusal happened before it flaps.
   */
  static async start(target: string, upMs: number, downMs: number, { startDown = false } = {}): Promise<FlappingProxy> {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const proxy = new FlappingProxy(target, port, upMs, downMs);
    if (startDown) proxy.downPeriods++;
    else await proxy.flap();
    return proxy;
  }

  /** Comes up and starts the up/down cycle. */
  async flap(): Promise<void> {
    await this.up();
    const cycle = () => {
      this.timer = setTimeout(() => {
        this.down();
        this.timer = setTimeout(async () => {
          await this.up();
          cycle();
        }, this.downMs);
      }, this.upMs);
    };
    cycle();
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
