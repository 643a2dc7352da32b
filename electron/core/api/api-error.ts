/** Errors a contract handler throws on purpose; both bridges map them to the same answer. */
import type { ApiErrorBody } from '../../../shared/api/contract.js';

export type ApiErrorCode = ApiErrorBody['error']['code'];

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: { path: string; message: string }[],
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }) } };
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} not found`);
}
