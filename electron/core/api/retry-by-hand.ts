/**
 * Retrying steps by hand, one or many at once: each step gets a fresh set of attempts with the
 * same idempotency key (what already went out is not repeated), the steps skipped only because
 * they needed it get another chance, and its run is reopened once. Call inside an engine batch.
 */
import type { Lifecycle } from '../runner/lifecycle.js';
import type { RunStore, StepRecord } from '../storage/run-store.js';

export interface RetryDeps {
  runs: RunStore;
  lifecycle: Lifecycle;
}

/** Reopens the steps (each may be retried by hand: canRetryByHand) and returns their runs' ids. */
export function reopenSteps(d: RetryDeps, steps: StepRecord[]): string[] {
  const byRun = new Map<string, StepRecord[]>();
  for (const s of steps) byRun.set(s.run_id, [...(byRun.get(s.run_id) ?? []), s]);
  for (const [runId, chosen] of byRun) {
    const reopened = new Set<string>();
    for (const step of chosen) {
      d.lifecycle.manualRetry(step.id);
      reopened.add(step.name);
    }
    const first = Math.min(...chosen.map((s) => s.idx));
    for (const s of d.runs.steps(runId)) {
      if (s.idx > first && s.status === 'skipped' && s.blocked_by !== null && reopened.has(s.blocked_by)) {
        d.lifecycle.manualRetry(s.id);
        reopened.add(s.name);
      }
    }
    if (d.runs.get(runId)?.status !== 'pending') d.lifecycle.reopen(runId);
  }
  return [...byRun.keys()];
}
