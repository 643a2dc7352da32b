/**
 * The receiver's two listeners sharing one handler: the direct port, and a loopback port reserved
 * for the tunnel (requests there are marked, so X-Forwarded-For counts). Both carry the same
 * timeouts and connection cap, and refuse CONNECT. The direct port also keeps the last places
 * of its cap for addresses holding little of it; on the tunnel port every socket is the tunnel
 * client's, so the guard does the same per forwarded address, for requests in flight.
 */
import type { FastifyInstance } from 'fastify';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log/logger.js';
import { answerTunnelClientError, refuseConnect } from '../client-error.js';
import { markTunnel } from '../request-meta.js';
import { createLimitedServer, limitPerAddress, type ServerLimits } from '../server-limits.js';

export interface ReceiverListen {
  host: string;
  port: number;
  tunnelPort: number;
}

export interface Listeners {
  port: number;
  tunnelPort: number;
  close(): Promise<void>;
}

export class ReceiverListeners {
  private handler: http.RequestListener | undefined;

  constructor(private readonly limits: ServerLimits) {}

  /** Fastify's serverFactory: builds the direct listener and keeps the handler for the tunnel's. */
  readonly serverFactory = (h: http.RequestListener): http.Server => {
    this.handler = h;
    return limitPerAddress(createLimitedServer(h, this.limits), this.limits).on('connect', refuseConnect);
  };

  async listen(app: FastifyInstance, listen: ReceiverListen, log: Logger): Promise<Listeners> {
    await app.listen({ host: listen.host, port: listen.port });
    const handler = this.handler!;
    const toHandler: http.RequestListener = (req, res) => {
      markTunnel(req);
      handler(req, res);
    };
    const tunnelServer = createLimitedServer(toHandler, this.limits).on('clientError', answerTunnelClientError).on('connect', refuseConnect);
    await new Promise<void>((resolve, reject) => {
      tunnelServer.once('error', reject);
      tunnelServer.listen(listen.tunnelPort, '127.0.0.1', () => resolve());
    });
    const port = (app.server.address() as AddressInfo).port;
    const tunnelPort = (tunnelServer.address() as AddressInfo).port;
    log.info('receiver listening', { host: listen.host, port, tunnel_port: tunnelPort });
    return {
      port,
      tunnelPort,
      async close() {
        tunnelServer.closeAllConnections();
        await new Promise<void>((r) => tunnelServer.close(() => r()));
        await app.close();
      },
    };
  }
}
