/** A run's status badge and, under it, why steps were skipped: the same wherever a run is listed. */
import type { Run } from '../../../../shared/api/models.js';
import { Badge } from '../../components/Badge.js';
import { runBadge, skippedNote } from '../../lib/run-words.js';

type RunSummary = Pick<Run, 'status' | 'step_counts'>;

export function RunStatusBadge({ run }: { run: RunSummary }) {
  const b = runBadge(run);
  return (
    <Badge tone={b.tone} title={b.title}>
      {b.text}
    </Badge>
  );
}

export function RunSkippedNote({ run, as: Tag = 'p' }: { run: RunSummary; as?: 'p' | 'span' }) {
  const note = skippedNote(run);
  return note ? (
    <Tag className="muted small run-skipped" title={note} data-testid="run-skipped">
      {note}
    </Tag>
  ) : null;
}
