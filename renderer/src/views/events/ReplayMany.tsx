/**
 * Events' "replay many": the ticked requests, or every refused one for the list's address and
 * time filters, sent through the receiver as it is set up now. The core answers what became of
 * each in words (shared/replay-words.ts), shown here until dismissed.
 */
import { useState } from 'react';
import { MAX_REPLAY, type ReplaySummary } from '../../../../shared/replay-words.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Notice } from '../../components/Layout.js';

export interface ReplayManyProps {
  selected: number[];
  /** The list's filters: "all refused" is scoped to them. */
  endpoint: string;
  since: string | undefined;
  onReplayed: () => void;
}

export function ReplayMany({ selected, endpoint, since, onReplayed }: ReplayManyProps) {
  const replay = useApiMutation('replayRequests', ['listRequests', 'listEvents', 'listRuns', 'listLeads', 'getStats']);
  const [summary, setSummary] = useState<ReplaySummary | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const run = (input: { ids: number[] } | { refused: { endpoint?: string; since?: string } }) => {
    setSummary(null);
    setFailed(null);
    // One key per action: if the answer is lost and the owner clicks again, nothing is sent twice.
    replay.mutate(
      { ...input, key: crypto.randomUUID() },
      {
        onSuccess: (s) => {
          setSummary(s);
          onReplayed();
        },
        onError: (e) => setFailed(errorMessage(e)),
      },
    );
  };
  const scope = [endpoint && 'this address', since && 'this time'].filter(Boolean).join(' and ');
  const stillRefused = summary?.items.some((i) => i.outcome === 'still_refused' || i.outcome === 'cannot_replay');
  return (
    <div className="replay-many">
      <div className="toolbar" role="group" aria-label="Replay many">
        <Button icon="refresh" disabled={!selected.length} busy={replay.isPending} onClick={() => run({ ids: selected })}>
          {selected.length ? `Replay ${selected.length} selected` : 'Replay selected'}
        </Button>
        <Button
          icon="refresh"
          busy={replay.isPending}
          onClick={() => run({ refused: { ...(endpoint && { endpoint }), ...(since && { since }) } })}
        >
          Replay all refused{scope && ` for ${scope}`}
        </Button>
        <span className="muted small">
          Through today&apos;s settings, oldest first, up to {MAX_REPLAY.toLocaleString('en-US')} at a time. Nothing becomes a lead twice.
        </span>
      </div>
      {summary && (
        <Notice
          tone={stillRefused ? 'warn' : 'good'}
          title="Replay finished"
          actions={
            <Button variant="ghost" size="sm" onClick={() => setSummary(null)}>
              Dismiss
            </Button>
          }
        >
          <span data-testid="replay-summary">{summary.words}</span>
        </Notice>
      )}
      {failed && <Notice tone="bad" title="Could not replay">{failed}</Notice>}
    </div>
  );
}
