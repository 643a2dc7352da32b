/**
 * A loopback proxy in front of a fake vendor that passes every request on at once (so the vendor
 * acts on it) and holds the answer back for `delayMs`: a slow vendor, with sends in flight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = { ...req.headers };
        delete headers.host;
        delete headers.connection;
        void fetch(`${target}${req.url}`, { method: req.method, headers: headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined })
          .then(async (answer) => {
            const body = Buffer.from(await answer.arrayBuffer());
            await new Promise((r) => setTimeout(r, proxy!.delayMs));
            const out = Object.fromEntries(answer.headers);
            delete out['content-encoding'];
            delete out['transfer-encoding'];
            res.writeHead(answer.status, out);
            res.end(body);
          })
          .catch(() => res.destroy());
      });
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
