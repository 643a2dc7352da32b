/**
 * What a flow step gets and how an outbound call reports failure. One mechanism for every
 * vendor: a call either returns, or throws a RetryableError (backoff; Retry-After honoured) or a
 * PermanentError (no retry: bad request, bad credentials, deleted webhook).
 */

export interface CallContext {
  /** Stable across retries and resumes: derived from (run id, step index). */
  idempotencyKey: string;
  attempt: number;
  signal?: AbortSignal;
}

export class RetryableError extends Error {
  constructor(
    message: string,
    /** From the vendor's Retry-After (or body), in milliseconds, when it gave one. */
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class PermanentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Thrown when an integration is not configured: the step is skipped with this reason. */
export class NotConfiguredError extends Error {}

/**
 * The integration refuses every call until something changes (Prefect's 401/403: a wrong key).
 * The step waits and is tried again later without using up its attempts: nothing is dead-lettered
 * while the owner fixes the settings.
 */
export class PausedError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
