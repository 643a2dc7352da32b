/**
 * Validates raw input against the contract and calls the handler: the one code path both the
 * HTTP bridge and the Electron IPC bridge use.
 */
import { contract, type ApiErrorBody, type ApiHandlers, type MethodName } from '../../../shared/api/contract.js';
import type { Logger } from '../log/logger.js';
import { ApiError, HTTP_STATUS } from './api-error.js';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; status: number; body: ApiErrorBody };

export async function dispatch(handlers: ApiHandlers, method: MethodName, raw: unknown, log: Logger): Promise<DispatchResult> {
  const spec = contract[method];
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
    const err = new ApiError('invalid_input', `invalid input for ${method}: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields);
    return { ok: false, status: 400, body: err.toBody() };
  }
  try {
    const fn = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await fn(parsed.data) };
  } catch (e) {
    if (e instanceof ApiError) {
      return { ok: false, status: HTTP_STATUS[e.code], body: e.toBody() };
    }
    log.error('api handler failed', { method, error: e as Error });
    return { ok: false, status: 500, body: { error: { code: 'internal', message: `${method} failed: ${(e as Error).message}` } } };
  }
}
