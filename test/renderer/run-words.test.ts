import { describe, expect, it } from 'vitest';
import type { Run, RunStepCounts } from '../../shared/api/models.js';
import { runBadge, skippedNote } from '../../renderer/src/lib/run-words.js';

const counts = (c: Partial<RunStepCounts>): RunStepCounts => ({
  total: 6,
  skipped: 0,
  not_configured: 0,
  apps_not_configured: [],
  app_steps: 4,
  app_steps_sent: 4,
  ...c,
});
const run = (status: Run['status'], c: Partial<RunStepCounts>) => ({ status, step_counts: counts(c) });

describe('a run in words', () => {
  it('a finished run whose every app step was skipped says nothing was sent, and which apps were not set up', () => {
    const r = run('completed', { skipped: 4, not_configured: 4, apps_not_configured: ['loops', 'discord', 'notion', 'meta'], app_steps_sent: 0 });
    expect(runBadge(r)).toMatchObject({ text: 'Nothing sent', tone: 'neutral' });
    expect(skippedNote(r)).toBe('Loops, Discord, Notion, Meta not set up');
  });

  it('a run that sent some keeps "Done", and tells steps skipped on purpose from apps not set up', () => {
    const r = run('completed', { skipped: 2, not_configured: 1, apps_not_configured: ['meta'], app_steps_sent: 2 });
    expect(runBadge(r)).toEqual({ text: 'Done', tone: 'good' });
    expect(skippedNote(r)).toBe('Meta not set up · 1 step skipped on purpose');
  });

  it('counts the steps when the apps are not known, and says nothing when nothing was skipped', () => {
    expect(skippedNote(run('completed', { skipped: 3, not_configured: 3, app_steps_sent: 1 }))).toBe('3 steps skipped: apps not set up');
    expect(skippedNote(run('completed', {}))).toBeNull();
    expect(runBadge(run('completed', {})).text).toBe('Done');
  });

  it('a run with no app steps is done, and runs not finished or failed read as before', () => {
    expect(runBadge(run('completed', { app_steps: 0, app_steps_sent: 0 })).text).toBe('Done');
    for (const status of ['pending', 'running', 'failed'] as const) {
      const r = run(status, { skipped: 1, not_configured: 1, apps_not_configured: ['loops'], app_steps_sent: 0 });
      expect(runBadge(r).text).not.toBe('Nothing sent');
      expect(skippedNote(r)).toBeNull();
    }
  });
});
