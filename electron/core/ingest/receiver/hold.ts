/**
 * Holding a request Leadbell cannot read: it is answered 2xx only once it is stored whole, and
 * refused with a 503 (try again later) when it cannot be: the disk failed, or the held requests
 * already fill the inbox's size limit (they are never pruned, so a stranger cannot fill the disk).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptedStatus } from '../../../../shared/senders/index.js';
import { unstored, type Responses } from './responses.js';
import type { ReceiverScope } from './scope.js';

export async function hold(
  scope: ReceiverScope,
  responses: Responses,
  req: FastifyRequest,
  reply: FastifyReply,
  reason: string,
  shape: string,
): Promise<FastifyReply> {
  const bytes = req.rawBody?.length ?? 0;
  if (scope.deps.held && !scope.deps.held.roomToHold(bytes)) {
    await scope.record(req, 503, 'rejected', 'too many requests are waiting for you to map them: map or delete some');
    return unstored(reply, 'too many requests from new senders are waiting to be mapped');
  }
  if (!(await scope.record(req, acceptedStatus(req.headers['user-agent']), 'held', reason, undefined, shape))) return unstored(reply, 'the disk could not store it');
  return responses.held(req, reply);
}
