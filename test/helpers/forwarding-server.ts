/**
 * A loopback HTTP server that forwards every request to `target` (so the vendor fake acts on it)
 * and then asks `passBack` whether the caller gets the answer: the one mechanism behind the
 * slow, withholding and flapping vendor proxies of the tests.
 */
import http from 'node:http';

/** Resolves true to send the vendor's answer to the caller, false to leave the caller waiting. */
export type PassBack = (req: http.IncomingMessage) => boolean | Promise<boolean>;

export function forwardingServer(target: string, passBack: PassBack = () => true): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      void fetch(`${target}${req.url}`, {
        method: req.method,
        headers: headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer());
          if (!(await passBack(req))) return;
          // fetch has already decoded the body.
          const out = Object.fromEntries(answer.headers);
          delete out['content-encoding'];
          delete out['transfer-encoding'];
          res.writeHead(answer.status, out);
          res.end(body);
        })
        .catch(() => res.destroy());
    });
  });
}
