/**
 * The desktop's connection to the relay carries no permessage-deflate (RFC 7692): what the relay
 * sends is sealed, ciphertext does not compress, and compressing it cost the relay's runtime
 * about 18 ms of CPU per MB (`npm run bench -- relay`). A server that would accept compression
 * (the `ws` server's default) is offered none.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { RelayClient } from '../../electron/core/relay/client.js';
import { silentLogger } from '../../electron/core/log/logger.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

it('connects to the relay without offering permessage-deflate', async () => {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => (wss.close(), server.close()));
  const connected = new Promise<{ offered: string | undefined; agreed: string }>((resolve) =>
    wss.on('connection', (ws, req) => resolve({ offered: req.headers['sec-websocket-extensions'], agreed: ws.extensions })),
  );
  const client = new RelayClient({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secret: 's'.repeat(43),
    hello: () => ({ type: 'hello', public_key: {}, allowed_origins: [], thank_you_url: null }),
    unseal: () => Promise.reject(new Error('not used')),
    deliver: () => Promise.reject(new Error('not used')),
    log: silentLogger,
    onStatus: () => {},
  });
  client.start();
  closers.push(() => client.stop());
  expect(await connected).toEqual({ offered: undefined, agreed: '' });
});
