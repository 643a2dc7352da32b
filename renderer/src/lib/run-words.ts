/**
 * A run's status in words, told apart from what it actually did: a run finishes "completed" even
 * when every step that would email, post or sync was skipped, and "Done" would read as sent.
 */
import type { Run } from '../../../shared/api/models.js';
import { INTEGRATIONS, isIntegrationName } from '../../../shared/integrations/index.js';
import { RUN_STATUS_TONE, RUN_STATUS_WORDS, type Tone } from './labels.js';

type RunSummary = Pick<Run, 'status' | 'step_counts'>;

/** Finished without failing, yet none of its steps that call an app went through. */
export function nothingSent(run: RunSummary): boolean {
  const c = run.step_counts;
  return run.status === 'completed' && c.app_steps > 0 && c.app_steps_sent === 0;
}

export function runBadge(run: RunSummary): { text: string; tone: Tone; title?: string } {
  if (nothingSent(run)) return { text: 'Nothing sent', tone: 'neutral', title: 'It finished, but every step that calls an app was skipped' };
  return { text: RUN_STATUS_WORDS[run.status], tone: RUN_STATUS_TONE[run.status] };
}

const steps = (n: number) => `${n} ${n === 1 ? 'step' : 'steps'}`;
const appName = (name: string) => (isIntegrationName(name) ? INTEGRATIONS[name].label : name);

/**
 * Why steps of a finished run were skipped, in one short line: the apps not set up (as Connected
 * apps says it), then the steps skipped by the flow's own rules or settings. Null when none was.
 */
export function skippedNote(run: RunSummary): string | null {
  if (run.status !== 'completed' && run.status !== 'partial') return null;
  const c = run.step_counts;
  const parts: string[] = [];
  if (c.not_configured > 0) {
    parts.push(
      c.apps_not_configured.length
        ? `${c.apps_not_configured.map(appName).join(', ')} not set up`
        : `${steps(c.not_configured)} skipped: apps not set up`,
    );
  }
  const onPurpose = c.skipped - c.not_configured;
  if (onPurpose > 0) parts.push(`${steps(onPurpose)} skipped on purpose`);
  return parts.length ? parts.join(' · ') : null;
}
