/**
 * Connected apps' health and what the owner can do about failures: each app's state from the
 * real outcomes of its calls (Send test included), the calls waiting and failed, and retrying all
 * of one app's failed steps at once.
 */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import type { AppHealth, AppState } from '../../../shared/api/models.js';
import { appFailureWords, failureOfStatus, type CallFailure } from '../../../shared/failure-words.js';
import { INTEGRATION_LIST, INTEGRATIONS, isIntegrationName, type IntegrationName } from '../../../shared/integrations/index.js';
import type { Flow } from '../flows/flow.js';
import type { Integrations } from '../integrations/registry.js';
import type { BatchWriter } from '../runner/batch-writer.js';
import { canRetryByHand, KEY_WAIT_UNTIL, type Lifecycle } from '../runner/lifecycle.js';
import type { Runner } from '../runner/runner.js';
import type { AppHealthRow, AppHealthStore } from '../storage/app-health-store.js';
import type { Db } from '../storage/database.js';
import type { RunStore, StepRecord } from '../storage/run-store.js';
import { statement } from '../storage/statements.js';
import { ApiError } from './api-error.js';
import type { LiveBus } from './live-bus.js';
import { reopenSteps } from './retry-by-hand.js';

export type HealthHandlers = Pick<ApiHandlers, 'testIntegration' | 'listAppHealth' | 'retryAppFailures'>;

export interface HealthDeps {
  db: Db;
  health: AppHealthStore;
  integrations: Integrations;
  runner: Runner;
  runs: RunStore;
  lifecycle: Lifecycle;
  batches: BatchWriter;
  flows: ReadonlyMap<string, Flow>;
  live: LiveBus;
  now: () => string;
  /** The app's key or settings now work: its calls waiting for a key go now. */
  retryNowFor: (integration: string) => Promise<void>;
}

/** Steps waiting to retry (or for a new key), by app: found through the steps_waiting index. */
const WAITING_SQL = `
  SELECT integration, count(*) AS n, min(CASE WHEN next_attempt_at < '${KEY_WAIT_UNTIL}' THEN next_attempt_at END) AS next
    FROM steps WHERE status = 'pending' AND next_attempt_at IS NOT NULL AND integration IS NOT NULL
   GROUP BY integration`;
/** Failed and given-up steps, by app and step: found through the steps_failed index. */
const FAILED_SQL = `
  SELECT integration, name, count(*) AS n FROM steps
   WHERE status IN ('failed', 'dead') AND integration IS NOT NULL GROUP BY integration, name`;

/** What a step's calls are called on screen ("welcome emails"), from the flows that have it. */
export function callLabel(flows: ReadonlyMap<string, Flow>, stepName: string): string {
  for (const f of flows.values()) {
    const def = f.step(stepName);
    if (def?.kind === 'call') return def.backlog;
  }
  return 'calls';
}

export function appState(row: AppHealthRow | undefined, unavailable: string | null): AppState {
  if (unavailable) return /turned off/.test(unavailable) ? 'off' : 'not_set_up';
  if (!row) return 'ready';
  if (row.key_refused_at) return 'key_refused';
  if (row.last_failure_at && (!row.last_success_at || row.last_failure_at > row.last_success_at)) return 'failing';
  return row.last_success_at ? 'connected' : 'ready';
}

export function healthHandlers(d: HealthDeps): HealthHandlers {
  const label = (name: string) => (isIntegrationName(name) ? INTEGRATIONS[name].label : name);

  const list = (): AppHealth[] => {
    const rows = new Map(d.health.all().map((r) => [r.integration, r]));
    const waiting = new Map((statement(d.db, WAITING_SQL).all() as { integration: string; n: number; next: string | null }[]).map((r) => [r.integration, r]));
    const failed = new Map<string, { label: string; count: number }[]>();
    for (const r of statement(d.db, FAILED_SQL).all() as { integration: string; name: string; n: number }[]) {
      const list = failed.get(r.integration) ?? [];
      const what = callLabel(d.flows, r.name);
      const same = list.find((x) => x.label === what);
      if (same) same.count += r.n;
      else list.push({ label: what, count: r.n });
      failed.set(r.integration, list);
    }
    const underWay = new Map<string, number>();
    for (const b of d.runner.backlog()) underWay.set(b.integration, (underWay.get(b.integration) ?? 0) + b.waiting);
    return INTEGRATION_LIST.map((e) => {
      const row = rows.get(e.name);
      const state = appState(row, d.integrations.unavailable(e.name as IntegrationName));
      const last = row?.last_failure ?? null;
      const failure: CallFailure | null = state === 'key_refused' ? { kind: 'key_refused', said: last?.kind === 'key_refused' ? last.said : null } : state === 'failing' ? last : null;
      return {
        integration: e.name,
        state,
        words: failure ? appFailureWords(e.name, failure) : null,
        last_success_at: row?.last_success_at ?? null,
        last_failure_at: row?.last_failure_at ?? null,
        last_failure: row?.last_failure ?? null,
        last_error: row?.last_error ?? null,
        waiting: (waiting.get(e.name)?.n ?? 0) + (underWay.get(e.name) ?? 0),
        next_try_at: waiting.get(e.name)?.next ?? null,
        failed: failed.get(e.name) ?? [],
      };
    });
  };

  return {
    listAppHealth: async () => ({ items: list() }),

    testIntegration: async ({ name }) => {
      const { failureKind, ...result } = await d.integrations.test(name);
      if (!isIntegrationName(name) || result.outcome === 'not_sent') return { ...result, words: null };
      const failure: CallFailure | null = result.ok ? null : { kind: failureKind ?? failureOfStatus(result.status), said: result.said ?? null };
      await d.batches.write(() => {
        const at = d.now();
        if (!failure) return d.health.success(name, at);
        d.health.failure(name, failure, result.detail, at);
        if (failure.kind === 'key_refused') d.health.pauseForKey(name, at);
      });
      d.live.publish({ topic: 'settings' });
      // The test went through (after a refused key, say): calls waiting for it go now.
      if (!failure) await d.retryNowFor(name);
      return { ...result, words: failure ? appFailureWords(name, failure) : null };
    },

    retryAppFailures: async ({ name }) => {
      if (!isIntegrationName(name)) throw new ApiError('invalid_input', `unknown app "${name}"`);
      const app = label(name);
      if (d.health.isPaused(name)) {
        throw new ApiError('conflict', `${app} still refuses its API key, so nothing was retried: save a new key in Connected apps and the waiting calls go at once`);
      }
      const unavailable = d.integrations.unavailable(name);
      if (unavailable) throw new ApiError('conflict', `${unavailable}, so nothing was retried`);
      const runIds = await d.batches.write(() => {
        const ids = statement(d.db, "SELECT id FROM steps WHERE status IN ('failed', 'dead') AND integration = ?").pluck().all(name) as string[];
        const steps = ids.map((id) => d.runs.step(id)).filter((s): s is StepRecord => Boolean(s && canRetryByHand(s)));
        return { runs: reopenSteps(d, steps), steps: steps.length };
      });
      for (const id of runIds.runs) {
        d.live.publish({ topic: 'run', id });
        d.runner.enqueue(id);
      }
      const n = runIds.steps;
      return { retried: n, message: n ? `${n} ${n === 1 ? 'call' : 'calls'} to ${app} will be tried again now` : `Nothing of ${app}'s had failed: nothing to retry` };
    },
  };
}
