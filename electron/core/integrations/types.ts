/**
 * What a flow step gets and how an outbound call reports failure. One mechanism for every
 * vendor: a call either returns, or throws a RetryableError (backoff; Retry-After honoured) or a
 * PermanentError (no retry: bad request, bad credentials, deleted webhook).
 */
import type { FailureKind } from '../../../shared/failure-words.js';

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
    /** The vendor's own explanation, secrets masked (see shared/failure-words.ts). */
    readonly said?: string,
    /** What the vendor's answer means, when it was read with the app's catalog entry (httpCall). */
    readonly failureKind?: FailureKind,
  ) {
    super(message);
  }
}

export class PermanentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The vendor's own explanation, secrets masked (see shared/failure-words.ts). */
    readonly said?: string,
    /** What the vendor's answer means, when it was read with the app's catalog entry (httpCall). */
    readonly failureKind?: FailureKind,
  ) {
    super(message);
  }
}

/**
 * The app's lane is paused because it refused its key: the call was not sent. Its step waits for
 * a new key like the call that was refused, without spending an attempt.
 */
export class LanePausedError extends Error {}

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
