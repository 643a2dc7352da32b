/** Bodies are read as raw bytes (signatures cover the bytes), within the owner's size limit. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { formatBytes, HttpError } from './responses.js';
import type { ReceiverScope } from './scope.js';

export const rawBody = fp(async (app: FastifyInstance, opts: { scope: ReceiverScope }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    const limit = opts.scope.settings().receiver.max_body_bytes;
    const tooLarge = () => new HttpError(413, `the body is over the ${formatBytes(limit)} limit`);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return done(tooLarge(), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        done(tooLarge(), undefined);
      } else chunks.push(c);
    });
    payload.on('end', () => {
      if (size <= limit) {
        req.rawBody = Buffer.concat(chunks);
        done(null, req.rawBody);
      }
    });
    payload.on('error', (e) => done(e, undefined));
  });
});
