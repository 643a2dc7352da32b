/**
 * How the receiver answers: JSON for machines, a small HTML page (or a redirect to the thank-you
 * page) for a browser posting a form, and the wording of each refusal. Every refusal is recorded
 * in the inbox before it is sent. The error handler turns thrown errors into the same answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { FieldError } from '../../../../shared/events/normalize.js';
import { formReturnUrl } from '../../../../shared/form-return.js';
import { acceptedStatus } from '../../../../shared/senders/index.js';
import { bodyKind } from '../body.js';
import type { ReceiverScope } from './scope.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Responses {
  reject(req: FastifyRequest, reply: FastifyReply, status: number, reason: string, headers?: Record<string, string>): Promise<FastifyReply>;
  invalid(req: FastifyRequest, reply: FastifyReply, errors: FieldError[]): Promise<FastifyReply>;
  /** 202, or 200 for a duplicate and for WordPress (`acceptedStatus`). */
  accepted(req: FastifyRequest, reply: FastifyReply, eventId: string, duplicate: boolean): FastifyReply;
  /** Stored whole, waiting for the owner to map its sender: 202 (200 for WordPress), so the sender does not retry it; a visitor is thanked. */
  held(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Stored, but a sender's event Leadbell makes nothing of: 200, so the sender does not retry it. */
  ignored(req: FastifyRequest, reply: FastifyReply, reason: string): FastifyReply;
}

export function createResponses(scope: ReceiverScope): Responses {
  const { record } = scope;
  const thanks = (req: FastifyRequest, reply: FastifyReply) => {
    const target = scope.settings().receiver.thank_you_url ?? formReturnUrl(req.headers.referer);
    if (target) return reply.code(303).header('location', target).send();
    return reply.code(200).type('text/html; charset=utf-8').send(htmlPage('Thank you!', ['We got your details.']));
  };
  return {
    async reject(req, reply, status, reason, headers = {}) {
      await record(req, status, 'rejected', reason);
      reply.code(status).headers(headers);
      if (wantsHtml(req) && status < 500) return reply.type('text/html; charset=utf-8').send(htmlPage('Something went wrong', [reason]));
      return reply.send({ status: 'rejected', error: reason });
    },
    async invalid(req, reply, errors) {
      await record(req, 422, 'rejected', errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      if (wantsHtml(req)) {
        return reply
          .code(422)
          .type('text/html; charset=utf-8')
          .send(htmlPage('Please check the form', errors.map((e) => `${e.path.replace(/_/g, ' ')} ${e.message}`)));
      }
      return reply.code(422).send({ status: 'invalid', errors });
    },
    accepted(req, reply, eventId, duplicate) {
      if (wantsHtml(req)) return thanks(req, reply);
      return duplicate
        ? reply.code(200).send({ status: 'duplicate', event_id: eventId })
        : reply.code(acceptedStatus(req.headers['user-agent'])).send({ status: 'accepted', event_id: eventId });
    },
    held(req, reply) {
      if (wantsHtml(req)) return thanks(req, reply);
      return reply.code(acceptedStatus(req.headers['user-agent'])).send({ status: 'held' });
    },
    ignored(_req, reply, reason) {
      return reply.code(200).send({ status: 'ignored', reason });
    },
  };
}

/** Nothing may be acknowledged that is not stored: the sender is asked to try again. */
export function unstored(reply: FastifyReply, why: string) {
  return reply.code(503).header('retry-after', '30').send({ status: 'unavailable', error: `the request was not stored: ${why}` });
}

/** Errors thrown anywhere (a 413 from the body reader, a bad request) answered like refusals; no internals leak. */
export const errorAnswers = fp(async (app: FastifyInstance, opts: { scope: ReceiverScope; responses: Responses }) => {
  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) opts.scope.deps.log.error('receiver error', { error: err });
    const reason = status === 500 ? 'internal error' : err.message;
    if (req.leadbell?.endpoint !== undefined && status !== 500) return opts.responses.reject(req, reply, status, reason);
    return reply.code(status).send({ status: 'rejected', error: reason });
  });
});

const wantsHtml = (req: FastifyRequest) =>
  ['form', 'multipart'].includes(bodyKind(req.headers['content-type']) ?? '') && /text\/html/.test(req.headers.accept ?? '');


export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(n / 1024)} KB`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(title: string, lines: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p><a href="javascript:history.back()">Back</a></p></body></html>`;
}
