/**
 * A run's steps: what happened, how many tries, when the next one is due, the error, and a retry
 * for the ones the core says may be run again (gave up, failed, or skipped for want of an integration).
 */
import type { Run, Step } from '../../../../shared/api/models.js';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage, isUnavailable } from '../../api/errors.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { JsonBlock } from '../../components/JsonBlock.js';
import { useToasts } from '../../components/Toasts.js';
import { humanize, STEP_STATUS_TONE, STEP_STATUS_WORDS } from '../../lib/labels.js';
import { STEP_WORDS, stepWords } from '../../lib/step-words.js';

/** The step's name for a button or a toast: what it does ("Welcome email"). */
const thing = (name: string) => STEP_WORDS[name]?.thing ?? humanize(name);

function StepRow({ step }: { step: Step }) {
  const retry = useApiMutation('retryStep', ['listRuns', 'getRun', 'getLead', 'getStats']);
  const { push } = useToasts();
  const onRetry = () =>
    retry.mutate(
      { id: step.id },
      {
        onSuccess: () => push({ tone: 'good', title: `Trying "${thing(step.name)}" again` }),
        onError: (e) =>
          push({
            tone: 'bad',
            title: isUnavailable(e) ? 'Retrying is not available yet' : 'Could not retry',
            body: errorMessage(e),
          }),
      },
    );
  const hasDetail = step.error || step.output !== null || step.input !== null;
  const words = stepWords(step);
  return (
    <li className={`step step-${step.status}`} data-testid="run-step">
      <span className="step-dot" aria-hidden="true" />
      <div className="step-main">
        <div className="step-head">
          <strong data-testid="step-words">{words.text}</strong>
          {/* A failure with no next try scheduled is final until retried by hand. */}
          <Badge tone={step.status === 'failed' && !step.next_attempt_at ? 'bad' : STEP_STATUS_TONE[step.status]}>{STEP_STATUS_WORDS[step.status]}</Badge>
          <span className="muted small">
            {step.attempts} {step.attempts === 1 ? 'try' : 'tries'}
          </span>
          {step.retryable && (
            <Button size="sm" icon="refresh" busy={retry.isPending} onClick={onRetry} aria-label={`Retry ${thing(step.name)}`}>
              Retry
            </Button>
          )}
        </div>
        {words.note && <p className="muted small">{words.note}</p>}
        {hasDetail && (
          <details className="step-detail">
            <summary>Details</summary>
            {/* The vendor's own answer, as it came: for whoever helps the owner fix it. */}
            {step.error && <pre className="step-error json-block small">{step.error}</pre>}
            {step.input !== null && step.input !== undefined && <JsonBlock label="Step input" value={step.input} maxHeight={200} />}
            {step.output !== null && step.output !== undefined && <JsonBlock label="Step output" value={step.output} maxHeight={200} />}
          </details>
        )}
      </div>
    </li>
  );
}

export function RunSteps({ run }: { run: Run }) {
  if (!run.steps?.length) return <p className="muted small">No steps recorded yet.</p>;
  return (
    <ol className="steps" aria-label="Steps">
      {run.steps.map((s) => (
        <StepRow key={s.id} step={s} />
      ))}
    </ol>
  );
}
