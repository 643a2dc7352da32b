/**
 * Finding 3: request timeouts were not applied. Fastify ignores requestTimeout when it is given a
 * server, and the tunnel port's server had Node's defaults, so a half-sent body stayed open for
 * minutes on both ports, and through the tunnel it held one of its few pooled sockets the whole
 * time. Now both listeners cut a slow client off in time (408), and connections are capped.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';
import { online, startTunnelCore, waitForTunnel } from '../tunnel/helpers.js';

/** Short limits so the test runs in seconds; the defaults are 30 s and 10 s. */
const LIMITS = { requestTimeoutMs: 1_000, headersTimeoutMs: 600 };
/** The limit, Node's checking interval and scheduling noise on a busy machine. */
const CUT_OFF_WITHIN_MS = 5_000;

let t: TestCore | undefined;
let server: FakeLocaltunnelServer | undefined;
afterEach(async () => {
  await t?.stop();
  await server?.close();
  t = server = undefined;
});

/** Opens a raw connection, writes `head`, then nothing more; resolves with what came back and when it closed. */
function slowClient(port: number, head: string): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = net.connect(port, '127.0.0.1', () => sock.write(head));
    let answer = '';
    sock.on('data', (c: Buffer) => (answer += c.toString()));
    sock.on('error', () => {});
    sock.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      sock.destroy();
      reject(new Error(`still open after ${CUT_OFF_WITHIN_MS * 2} ms; received: ${answer.slice(0, 200)}`));
    }, CUT_OFF_WITHIN_MS * 2).unref();
  });
}

const halfBody = (path: string) =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"slow`;
const halfHeaders = 'POST /api/webhooks/lead-optin HTTP/1.1\r\nHost: x\r\nContent-Type: appl';

describe('a slow client is cut off in time', () => {
  it('on the public port and on the tunnel port: a half-sent body gets 408, half-sent headers are closed', async () => {
    t = await startTestCore({ receiverLimits: LIMITS });
    for (const [where, port] of [['public', t.core.receiver.port], ['tunnel', t.core.receiver.tunnelPort]] as const) {
      const body = await slowClient(port, halfBody('/api/webhooks/lead-optin'));
      expect(body.answer, where).toMatch(/^HTTP\/1\.1 408/);
      expect(body.closedAfterMs, where).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 100);
      expect(body.closedAfterMs, where).toBeLessThan(CUT_OFF_WITHIN_MS);
      const headers = await slowClient(port, halfHeaders);
      expect(headers.closedAfterMs, where).toBeLessThan(CUT_OFF_WITHIN_MS);
    }
  });

  it("slow senders through the tunnel do not starve its socket pool: a real lead still gets through", async () => {
    server = await FakeLocaltunnelServer.start({ maxConnCount: 2, forwardTimeoutMs: 15_000 });
    t = await startTunnelCore(server, { core: { receiverLimits: LIMITS } });
    const url = new URL((await waitForTunnel(t, online)).url!);
    // Two slow senders take both pooled sockets.
    const slow = [0, 1].map(() => slowClient(Number(url.port), halfBody(`${url.pathname}/api/webhooks/lead-optin`)));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const res = await fetch(`${url.href}/api/webhooks/lead-optin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'bypass-tunnel-reminder': '1' },
      body: JSON.stringify({ email: 'real-lead@example.com' }),
    });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(CUT_OFF_WITHIN_MS + 2_000);
    for (const s of await Promise.all(slow)) expect(s.answer).toMatch(/408/);
  });
});

describe('idle connections are not slow clients', () => {
  it("the tunnel port keeps a connection that has sent nothing yet open past the limits: the tunnel's pooled sockets wait for requests", async () => {
    // The localtunnel client opens its local sockets as soon as the tunnel connects, long before a
    // request comes; a 408 written into one is read by the tunnel server as the next request's answer.
    t = await startTestCore({ receiverLimits: LIMITS });
    const sock = net.connect(t.core.receiver.tunnelPort, '127.0.0.1');
    sock.on('error', () => {});
    let answer = '';
    sock.on('data', (c: Buffer) => (answer += c.toString()));
    await new Promise((r) => setTimeout(r, LIMITS.requestTimeoutMs * 3));
    expect(answer).toBe('');
    const body = JSON.stringify({ email: 'after-quiet@example.com' });
    sock.write(`POST /api/webhooks/lead-optin HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await until('an answer', () => answer.includes('\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 202/);
    sock.destroy();
  });

  it('on the public port an idle connection that never sent a byte is closed without an answer', async () => {
    t = await startTestCore({ receiverLimits: LIMITS });
    const idle = await slowClient(t.core.receiver.port, '');
    expect(idle.answer).toBe('');
    expect(idle.closedAfterMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });
});

describe('connections are capped', () => {
  it('past the cap a new connection is dropped at once, and served again once others close', async () => {
    t = await startTestCore({ receiverLimits: { ...LIMITS, maxConnections: 3 } });
    const port = t.core.receiver.port;
    const held = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(port, '127.0.0.1', () => resolve(s));
            s.on('error', () => {});
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    const refused = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 'dropped',
    );
    expect(refused).toBe('dropped');
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});
