/**
 * The public webhook receiver: the only thing the tunnel ever reaches. It serves
 * POST /api/webhooks/{endpoint} and GET /health. Each concern is a Fastify plugin in receiver/:
 * the guard (who, rate gate, allowlist, pause, CORS), the raw body reader, the answers and error
 * handler, the webhook route; the two listeners are in receiver/listeners.ts.
 */
import Fastify from 'fastify';
import { answerClientError } from './client-error.js';
import { RelayedInbound, type RelayedRequest, type RelayedResult, type ReplayedRequest } from './relayed.js';
import { guard } from './receiver/guard.js';
import { ReceiverListeners, type ReceiverListen } from './receiver/listeners.js';
import { rawBody } from './receiver/raw-body.js';
import { createResponses, errorAnswers } from './receiver/responses.js';
import { createScope, type ReceiverDeps } from './receiver/scope.js';
import { webhookRoute } from './receiver/webhook-route.js';
import { resolveLimits } from './server-limits.js';

export { SEND_FOR_REAL_HEADER, TEST_FIRE_HEADER, WEBHOOK_PREFIX, originAllowed, type ReceiverDeps } from './receiver/scope.js';
export { secretFor } from './receiver/webhook-route.js';
export type { ReceiverListen } from './receiver/listeners.js';

const HARD_BODY_CAP = 16 * 1024 * 1024;

export interface Receiver {
  port: number;
  tunnelPort: number;
  /** Feeds a request the relay held through the same pipeline (see relayed.ts). */
  relayed(r: RelayedRequest): Promise<RelayedResult>;
  /** Feeds a stored request the owner replays through the same pipeline, as it is configured now. */
  replayed(r: ReplayedRequest): Promise<RelayedResult>;
  close(): Promise<void>;
}

export async function startReceiver(deps: ReceiverDeps, listen: ReceiverListen): Promise<Receiver> {
  const listeners = new ReceiverListeners(resolveLimits(deps.limits));
  const app = Fastify({
    logger: false,
    bodyLimit: HARD_BODY_CAP,
    trustProxy: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    serverFactory: listeners.serverFactory,
  });
  const scope = createScope(deps);
  const responses = createResponses(scope);
  const relayedInbound = new RelayedInbound();

  await app.register(guard, { scope, responses, relayedInbound });
  await app.register(rawBody, { scope });
  await app.register(errorAnswers, { scope, responses });
  await app.register(webhookRoute, { scope, responses });
  await app.ready();
  const open = await listeners.listen(app, listen, deps.log);
  return {
    port: open.port,
    tunnelPort: open.tunnelPort,
    relayed: (r) => relayedInbound.inject(app, r),
    replayed: (r) => relayedInbound.inject(app, r),
    close: () => open.close(),
  };
}
