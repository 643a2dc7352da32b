/**
 * Each app's health from the real outcomes of its calls: the last success, the last failure and
 * its kind, whether its lane waits for a new key, and failure episodes. An episode begins with
 * the first failure after a success (or ever) and ends with the next success; the owner is told
 * (the bell) at most once per app per episode. Written in the transaction that records the call's
 * outcome, so the card and the steps never disagree.
 */
import { failureKind, type CallFailure } from '../../../shared/failure-words.js';
import type { Db } from './database.js';
import { statement } from './statements.js';

export interface AppHealthRow {
  integration: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure: CallFailure | null;
  /** The raw error text of the last failure (behind "Details"). */
  last_error: string | null;
  /** Since when the lane waits for a new key (null: not paused). */
  key_refused_at: string | null;
}

interface Row {
  integration: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure_kind: string | null;
  last_failure_said: string | null;
  last_failure_error: string | null;
  key_refused_at: string | null;
}

const ENSURE = 'INSERT INTO app_health (integration) VALUES (?) ON CONFLICT (integration) DO NOTHING';

export class AppHealthStore {
  constructor(private readonly db: Db) {}

  private ensure(integration: string): void {
    statement(this.db, ENSURE).run(integration);
  }

  /** A call went through: the episode (if any) is over, and a paused lane runs again. True when it was paused. */
  success(integration: string, at: string): boolean {
    const paused = this.isPaused(integration);
    this.ensure(integration);
    statement(this.db, 'UPDATE app_health SET last_success_at = ?, key_refused_at = NULL WHERE integration = ?').run(at, integration);
    return paused;
  }

  /** A call failed; the first failure since the last success begins a new episode. */
  failure(integration: string, failure: CallFailure, error: string, at: string): void {
    this.ensure(integration);
    statement(
      this.db,
      `UPDATE app_health SET
         episode = episode + (last_failure_at IS NULL OR (last_success_at IS NOT NULL AND last_success_at >= last_failure_at)),
         last_failure_at = @at, last_failure_kind = @kind, last_failure_said = @said, last_failure_error = @error
       WHERE integration = @integration`,
    ).run({ integration, at, kind: failure.kind, said: failure.said, error });
  }

  /** The app refused its key: its lane waits for a new one. */
  pauseForKey(integration: string, at: string): void {
    this.ensure(integration);
    statement(this.db, 'UPDATE app_health SET key_refused_at = coalesce(key_refused_at, ?) WHERE integration = ?').run(at, integration);
  }

  /** A new key (or settings) was saved: the lane runs again. True when it was paused. */
  resume(integration: string): boolean {
    return statement(this.db, 'UPDATE app_health SET key_refused_at = NULL WHERE integration = ? AND key_refused_at IS NOT NULL').run(integration).changes === 1;
  }

  isPaused(integration: string): boolean {
    return statement(this.db, 'SELECT key_refused_at IS NOT NULL FROM app_health WHERE integration = ?').pluck().get(integration) === 1;
  }

  /** True once per episode: the caller tells the owner (the bell, a team message). */
  tellOnce(integration: string): boolean {
    return statement(this.db, 'UPDATE app_health SET told_episode = episode WHERE integration = ? AND told_episode < episode').run(integration).changes === 1;
  }

  all(): AppHealthRow[] {
    return (statement(this.db, 'SELECT * FROM app_health').all() as Row[]).map((r) => {
      const kind = failureKind.safeParse(r.last_failure_kind);
      return {
        integration: r.integration,
        last_success_at: r.last_success_at,
        last_failure_at: r.last_failure_at,
        last_failure: kind.success ? { kind: kind.data, said: r.last_failure_said } : null,
        last_error: r.last_failure_error,
        key_refused_at: r.key_refused_at,
      };
    });
  }
}
