/**
 * How a failed step attempt is treated: skipped, waiting for a new key, retried later, or failed
 * for good; and what kind of failure it was (shared/failure-words.ts), stored with the step.
 */
import { failureOfStatus, type CallFailure } from '../../../shared/failure-words.js';
import { LanePausedError, NotConfiguredError, PausedError, PermanentError, RetryableError } from '../integrations/types.js';

export type Failure =
  | { kind: 'not-configured'; reason: string }
  /** The app refuses its key (401/403, or its catalog entry's `keyRefused` answer), or its lane is paused for that: wait for a new key, no attempt spent. */
  | { kind: 'key-refused'; message: string; failure: CallFailure; notSent?: boolean }
  | { kind: 'permanent'; message: string; failure: CallFailure }
  | { kind: 'paused'; message: string; failure: CallFailure }
  | { kind: 'retryable'; message: string; retryAfterMs?: number; failure: CallFailure };

export function classifyFailure(err: unknown): Failure {
  if (err instanceof NotConfiguredError) return { kind: 'not-configured', reason: err.message };
  if (err instanceof LanePausedError) return { kind: 'key-refused', message: err.message, failure: { kind: 'key_refused', said: null }, notSent: true };
  if (err instanceof PausedError || err instanceof PermanentError || err instanceof RetryableError) {
    const message = withStatus(err.message, err.status);
    const kind = 'failureKind' in err && err.failureKind ? err.failureKind : err.status === undefined && !(err instanceof RetryableError) ? 'refused' : failureOfStatus(err.status);
    const failure: CallFailure = { kind, said: said(err) };
    if (failure.kind === 'key_refused') return { kind: 'key-refused', message, failure };
    if (err instanceof PausedError) return { kind: 'paused', message, failure };
    if (err instanceof PermanentError) return { kind: 'permanent', message, failure };
    return { kind: 'retryable', message, retryAfterMs: err.retryAfterMs, failure };
  }
  // Anything else (a dropped connection, a timeout) may well pass on a later attempt.
  return { kind: 'retryable', message: err instanceof Error ? err.message : String(err), failure: { kind: 'unreachable', said: null } };
}

/** The vendor's own words, or, for a refusal Leadbell made itself (bad settings), its message. */
function said(err: PausedError | PermanentError | RetryableError): string | null {
  if ('said' in err && err.said) return err.said;
  return err.status === undefined && err instanceof PermanentError ? err.message : null;
}

function withStatus(message: string, status: number | undefined): string {
  return status === undefined || message.includes(String(status)) ? message : `${message} (HTTP ${status})`;
}
