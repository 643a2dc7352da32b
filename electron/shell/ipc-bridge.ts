/**
 * The IPC bridge: one handler per contract method, each validating its input with the contract
 * through dispatch() (exactly as the HTTP bridge does) after checking who is asking.
 */
import { METHOD_NAMES, type ApiHandlers } from '../../shared/api/contract.js';
import { dispatch, type DispatchResult } from '../core/api/dispatch.js';
import type { Logger } from '../core/log/logger.js';
import { apiChannel } from '../../shared/api/bridge.js';
import type { IpcInvokeEvent, IpcMainPort } from './ports.js';

const REFUSED: DispatchResult = {
  ok: false,
  status: 403,
  body: { error: { code: 'unauthorized', message: 'this page may not call Leadbell' } },
};

export function registerApiHandlers(
  ipc: IpcMainPort,
  handlers: ApiHandlers,
  trusted: (event: IpcInvokeEvent) => boolean,
  log: Logger,
): () => void {
  for (const method of METHOD_NAMES) {
    ipc.handle(apiChannel(method), async (event, input) => {
      if (!trusted(event)) {
        log.warn('refused an IPC call from a foreign frame', { method, url: event.senderFrame?.url ?? '(none)' });
        return REFUSED;
      }
      return dispatch(handlers, method, input, log);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(apiChannel(method));
  };
}
