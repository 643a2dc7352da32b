/** A run in one line of words, the same wherever the run is shown (Run history, Events, the lead's timeline). */
import type { Run } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { runHeadline } from '../../lib/step-words.js';
import { RunSkippedNote, RunStatusBadge } from './RunStatus.js';

export function RunHeadline({ run, as: Tag = 'p' }: { run: Pick<Run, 'steps'>; as?: 'p' | 'span' }) {
  const line = runHeadline(run.steps);
  return line ? (
    <Tag className="run-headline" data-testid="run-headline">
      {line}
    </Tag>
  ) : null;
}

/** For a view that knows only the run's id (what a request led to): the badge and the line, from the run itself. */
export function RunSummaryById({ id }: { id: string }) {
  const run = useApiQuery('getRun', { id });
  if (!run.data) return null;
  return (
    <>
      <RunStatusBadge run={run.data} />
      <RunHeadline run={run.data} />
      <RunSkippedNote run={run.data} />
    </>
  );
}
