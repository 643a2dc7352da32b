/** How a failed step attempt is treated: skipped, retried later, or failed for good. */
import { NotConfiguredError, PausedError, PermanentError, RetryableError } from '../integrations/types.js';

export type Failure =
  | { kind: 'not-configured'; reason: string }
  | { kind: 'permanent'; message: string }
  | { kind: 'paused'; message: string }
  | { kind: 'retryable'; message: string; retryAfterMs?: number };

export function classifyFailure(err: unknown): Failure {
  if (err instanceof NotConfiguredError) return { kind: 'not-configured', reason: err.message };
  if (err instanceof PausedError) return { kind: 'paused', message: withStatus(err.message, err.status) };
  if (err instanceof PermanentError) return { kind: 'permanent', message: withStatus(err.message, err.status) };
  if (err instanceof RetryableError) {
    return { kind: 'retryable', message: withStatus(err.message, err.status), retryAfterMs: err.retryAfterMs };
  }
  // Anything else (a dropped connection, a timeout) may well pass on a later attempt.
  return { kind: 'retryable', message: err instanceof Error ? err.message : String(err) };
}

function withStatus(message: string, status: number | undefined): string {
  return status === undefined || message.includes(String(status)) ? message : `${message} (HTTP ${status})`;
}
