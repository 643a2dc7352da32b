/**
 * What a run does next, decided from its stored steps alone (so a resumed run decides exactly
 * as an uninterrupted one would). Steps go in order; a step waiting for a retry does not hold up
 * later steps that do not need it, and a step whose needed step failed or was skipped is skipped.
 */
import type { StoredStep } from '../storage/run-store.js';

export type FinalStatus = 'completed' | 'partial' | 'failed';

export type NextAction =
  | { kind: 'execute'; step: StoredStep }
  | { kind: 'skip'; step: StoredStep; reason: string; blockedBy: string }
  /** Nothing to do now: wait until then (Infinity: until a call in flight answers). */
  | { kind: 'wait'; until: number }
  | { kind: 'done'; status: FinalStatus };

const FINISHED = new Set<StoredStep['status']>(['completed', 'failed', 'skipped', 'dead']);

export const isFinished = (s: StoredStep): boolean => FINISHED.has(s.status);

/**
 * `inFlight` names call steps already handed to their outbox in this process: they are waited
 * for, not started again (after a restart nothing is in flight, and a `running` step resumes).
 */
export function nextAction(
  steps: StoredStep[],
  needsOf: (stepName: string) => string[],
  now: number,
  inFlight: (stepId: string) => boolean = () => false,
): NextAction {
  const byName = new Map(steps.map((s) => [s.name, s]));
  let until = Infinity;
  for (const step of steps) {
    if (isFinished(step) || inFlight(step.id)) continue;
    const needed = needsOf(step.name).map((n) => byName.get(n));
    const broken = needed.find((n) => n && n.status !== 'completed' && isFinished(n));
    if (broken) {
      return { kind: 'skip', step, blockedBy: broken.name, reason: `needs ${broken.name}, which ${broken.status === 'skipped' ? 'was skipped' : broken.status === 'dead' ? 'gave up after its retries' : 'failed'}` };
    }
    if (needed.some((n) => n && n.status !== 'completed')) continue;
    const due = step.next_attempt_at ? Date.parse(step.next_attempt_at) : 0;
    if (due > now) {
      until = Math.min(until, due);
      continue;
    }
    return { kind: 'execute', step };
  }
  if (steps.every(isFinished)) return { kind: 'done', status: finalStatus(steps) };
  return { kind: 'wait', until };
}

/** completed: nothing failed; failed: something failed and nothing succeeded; partial otherwise. */
export function finalStatus(steps: StoredStep[]): FinalStatus {
  const failures = steps.filter((s) => s.status === 'failed' || s.status === 'dead').length;
  if (failures === 0) return 'completed';
  return steps.some((s) => s.status === 'completed') ? 'partial' : 'failed';
}
