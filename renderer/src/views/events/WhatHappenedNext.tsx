/**
 * "I sent it: did anything happen, and if not, why?" For a received request: the lead it created
 * or updated, and what each automation did with it (a link to the run it started, or why it did
 * not run). Kept current by live updates like the rest (queries.ts: run, event, lead, trigger).
 */
import type { AutomationEffect, AutomationOutcome, RequestEffects } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { Badge } from '../../components/Badge.js';
import { type Tone } from '../../lib/labels.js';
import { STEP_WORDS } from '../../lib/step-words.js';
import { humanize } from '../../lib/labels.js';
import { RunSummaryById } from '../runs/RunWords.js';
import { href } from '../../lib/router.js';

/** What an automation did, in a word or two (one that started a run shows the run's status instead). */
const OUTCOME: Record<AutomationOutcome, { words: string; tone: Tone }> = {
  started: { words: 'Started', tone: 'good' },
  sent_to_prefect: { words: 'Sent to Prefect', tone: 'info' },
  not_started: { words: 'Could not start', tone: 'bad' },
  counted: { words: 'Not yet', tone: 'warn' },
  off: { words: 'Turned off', tone: 'neutral' },
  no_match: { words: 'Did not match', tone: 'neutral' },
  added_later: { words: 'Added later', tone: 'neutral' },
  changed_since: { words: 'Did not run', tone: 'neutral' },
};

export function WhatHappenedNext({ requestId }: { requestId: number }) {
  const effects = useApiQuery('getRequestEffects', { id: requestId });
  return (
    <section aria-labelledby="what-happened-next" data-testid="what-happened-next">
      <h3 id="what-happened-next">What happened next</h3>
      {effects.isPending ? (
        <p className="muted">Looking…</p>
      ) : effects.isError ? (
        <p className="muted">Could not tell: {effects.error.message}</p>
      ) : (
        <Effects e={effects.data} />
      )}
    </section>
  );
}

function Effects({ e }: { e: RequestEffects }) {
  if (e.state === 'no_event') return <p className="muted">Nothing: this request did not become an event.</p>;
  return (
    <>
      {e.lead && (
        <p data-testid="effects-lead">
          Lead:{' '}
          <a href={href(`/leads/${encodeURIComponent(e.lead.id)}`)}>{e.lead.name ? `${e.lead.name} (${e.lead.email})` : e.lead.email}</a>
        </p>
      )}
      {e.state === 'waiting' ? (
        <p className="muted" data-testid="effects-waiting">
          Waiting: the event is stored and will be handed to your automations shortly.
        </p>
      ) : e.automations.length === 0 ? (
        <p data-testid="effects-none">
          No automation listens for this event. <a href={href('/automations')}>Set one up in Automations</a>
        </p>
      ) : (
        <ul className="effects" aria-label="Automations">
          {e.automations.map((a, i) => (
            <Automation key={a.run?.id ?? a.trigger_id ?? i} a={a} />
          ))}
        </ul>
      )}
    </>
  );
}

function Automation({ a }: { a: AutomationEffect }) {
  // A run that started reads as it does in Run history and on the lead's timeline: the same badge and words.
  const started = a.outcome === 'started' && a.run;
  const shown = OUTCOME[a.outcome];
  return (
    <li className="effect" data-testid="effect-automation">
      <div className="effect-head">
        <strong>{a.name}</strong>
        {started ? <RunSummaryById id={a.run!.id} /> : <Badge tone={shown.tone}>{shown.words}</Badge>}
        {a.run && <a href={href(`/runs/${encodeURIComponent(a.run.id)}`)}>Run: {a.run.flow_title}</a>}
      </div>
      {a.reason && <p className="muted small" data-testid="effect-reason">{a.reason}</p>}
      {a.run && a.run.skipped_steps.length > 0 && (
        <details>
          <summary className="muted small">
            {a.run.skipped_steps.length} {a.run.skipped_steps.length === 1 ? 'step' : 'steps'} left out
          </summary>
          <ul className="effect-skips small">
            {a.run.skipped_steps.map((s) => (
              <li key={s.name}>
                {STEP_WORDS[s.name]?.thing ?? humanize(s.name)}: <span className="muted">{s.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
