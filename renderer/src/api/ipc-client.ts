/** The Electron transport: the preload's narrow functions, unwrapped into the same ApiClient. */
import { contract, METHOD_NAMES, type ApiClient, type MethodName } from '../../../shared/api/contract.js';
import type { LeadbellBridge } from '../../../shared/api/bridge.js';
import { ApiClientError } from './errors.js';

export function createIpcClient(bridge: LeadbellBridge): ApiClient {
  const call = async (name: MethodName, input: unknown): Promise<unknown> => {
    const fn = bridge.api[name] as (input: unknown) => Promise<unknown>;
    const result = (await fn(input ?? {})) as { ok: boolean; value?: unknown; status?: number; body?: unknown };
    if (!result.ok) throw ApiClientError.fromBody(result.status ?? 500, result.body);
    const parsed = contract[name].output.safeParse(result.value);
    if (!parsed.success) throw new ApiClientError(500, 'bad_response', `${name} answered in an unexpected shape`);
    return parsed.data;
  };
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, (input: unknown) => call(name, input)])) as ApiClient;
}
