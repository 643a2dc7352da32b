/** One error type for both transports: the contract's error code, message and per-field details. */
import { apiError, type ApiErrorBody } from '../../../shared/api/contract.js';

export type ApiErrorCode = ApiErrorBody['error']['code'] | 'network' | 'bad_response';

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiClientError';
  }

  static fromBody(status: number, body: unknown): ApiClientError {
    const parsed = apiError.safeParse(body);
    if (parsed.success) {
      const e = parsed.data.error;
      return new ApiClientError(status, e.code, e.message, e.fields ?? []);
    }
    return new ApiClientError(status, status === 401 ? 'unauthorized' : 'internal', `unexpected answer (HTTP ${status})`);
  }
}

export const isUnavailable = (e: unknown): boolean => e instanceof ApiClientError && e.code === 'unavailable';
export const isUnauthorized = (e: unknown): boolean => e instanceof ApiClientError && e.code === 'unauthorized';
/** The core answered that the thing asked for does not exist (deleted, or a stale or mistyped link). */
export const isNotFound = (e: unknown): boolean => e instanceof ApiClientError && e.code === 'not_found';

export function errorMessage(e: unknown): string {
  if (e instanceof ApiClientError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Field errors keyed by path, for forms; `prefix` strips a section name (e.g. "receiver."). */
export function fieldErrors(e: unknown, prefix = ''): Record<string, string> {
  if (!(e instanceof ApiClientError)) return {};
  const out: Record<string, string> = {};
  for (const f of e.fields) {
    const key = prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    out[key] ??= f.message;
  }
  return out;
}

/** The first error for a field or anything inside it ("allowed_ips" also matches "allowed_ips.2"). */
export function errorFor(errors: Record<string, string>, key: string): string | undefined {
  return errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1];
}
