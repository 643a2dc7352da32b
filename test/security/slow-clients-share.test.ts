/**
 * Slow clients held the public port: the connection cap was shared by every client, and the rate
 * limit never saw requests that did not finish. 300 sockets from one address sending half a
 * request and nothing more made a /health from another address fail. Now the last places of the
 * connection cap are kept for addresses holding fewer than their share (of the requests in flight,
 * on the tunnel port, where every socket comes from the tunnel client and the address is the one
 * the tunnel vouches for).
 *
 * Other addresses are other loopback addresses (127.0.0.2, ...): Linux routes all of 127/8 to
 * the loopback interface, so a socket bound to one reaches the receiver from that address.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_LIMITS } from '../../electron/core/ingest/server-limits.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

let t: TestCore | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await t?.stop();
  t = undefined;
});

interface Held {
  socket: net.Socket;
  closed: boolean;
  answer: string;
}

/** Opens a socket from `from`, writes `head` and then nothing more. */
function hold(port: number, from: string, head: string): Promise<Held> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    const h: Held = { socket, closed: false, answer: '' };
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('data', (c: Buffer) => (h.answer += c.toString()));
    socket.on('close', () => (h.closed = true));
    socket.on('connect', () => socket.write(head, () => resolve(h)));
    socket.on('close', () => resolve(h));
  });
}

/** A plain HTTP request over a socket bound to `from`; resolves with the status line. */
function request(port: number, from: string, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from }, () => socket.write(raw));
    let answer = '';
    socket.on('data', (c: Buffer) => {
      answer += c.toString();
      if (answer.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without an answer (${answer})`)));
  });
}

const HALF_HEADERS = 'POST /api/webhooks/lead-optin HTTP/1.1\r\nHost: x\r\n';
const HEALTH = 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
const slowBody = (forwardedFor: string) =>
  `POST /api/webhooks/lead-optin HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${forwardedFor}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"sl`;
const lead = (forwardedFor: string, email: string) => {
  const body = JSON.stringify({ email });
  return `POST /api/webhooks/lead-optin HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${forwardedFor}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
};

describe('one address cannot hold the receiver', () => {
  it('public port: 300 half-sent requests from one address, and /health from another still answers', async () => {
    // The default limits: the holds last the whole test (the headers deadline is 10 s).
    t = await startTestCore();
    const port = t.core.receiver.port;
    const held = await Promise.all(Array.from({ length: 300 }, () => hold(port, '127.0.0.1', HALF_HEADERS)));
    expect(await request(port, '127.0.0.2', HEALTH)).toBe('HTTP/1.1 200 OK');
    // The address got all but the kept places: the rest were closed on arrival.
    const { maxConnections, perAddress } = DEFAULT_SERVER_LIMITS;
    await until('the surplus closed', () => held.filter((h) => h.closed).length >= 300 - (maxConnections - perAddress));
    expect(held.filter((h) => !h.closed)).toHaveLength(maxConnections - perAddress);
  });

  it('tunnel port: 300 slow bodies from one forwarded address, and a lead from another still gets through', async () => {
    t = await startTestCore();
    // Without a rate limit, so the share is what holds the address back.
    expect((await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 0 } })).status).toBe(200);
    const port = t.core.receiver.tunnelPort;
    const held = await Promise.all(Array.from({ length: 300 }, () => hold(port, '127.0.0.1', slowBody('198.51.100.66'))));
    // Past its share the address is told to come back later, and not left holding the socket.
    const { maxConnections, perAddress } = DEFAULT_SERVER_LIMITS;
    await until('the surplus answered', () => held.filter((h) => h.closed).length >= 300 - (maxConnections - perAddress));
    const told = held.filter((h) => h.answer !== '');
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((h) => h.answer.startsWith('HTTP/1.1 429'))).toBe(true);
    expect(told[0]!.answer).toMatch(/too many requests at once from 198\.51\.100\.66 while the receiver is busy/);
    expect(await request(port, '127.0.0.1', lead('203.0.113.9', 'other-sender@example.com'))).toBe('HTTP/1.1 202 Accepted');
  });
});

describe('what counts as one address', () => {
  it('IPv4 as it is (also when mapped into IPv6); IPv6 per /64, however it is written', async () => {
    const { addressShareKey } = await import('../../electron/core/ingest/address-slots.js');
    expect(addressShareKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressShareKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    const block = ['2001:db8:0:1::1', '2001:db8:0:1:ffff:ffff:ffff:ffff', '2001:0DB8:0000:0001:0:0:0:2'].map(addressShareKey);
    expect(new Set(block)).toEqual(new Set(['2001:db8:0:1::/64']));
    expect(addressShareKey('2001:db8:0:2::1')).not.toBe(block[0]);
    expect(addressShareKey('::1')).toBe('0:0:0:0::/64');
  });
});
