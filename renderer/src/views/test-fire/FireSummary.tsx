/**
 * What a test did, as a summary rather than the receiver's raw answer: whether it arrived, the
 * lead it made (a link), each run it started (a link) with what it sent, and what it would have
 * sent had the app been set up. Kept current by live updates while the runs finish.
 */
import type { MethodOutput } from '../../../../shared/api/contract.js';
import type { AutomationEffect, Run } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { TEST_HOLD_REASON } from '../../../../shared/events/test-mark.js';
import { Icon } from '../../components/Icon.js';
import { href } from '../../lib/router.js';
import { appLabel, skipReason, STEP_WORDS, stepWords } from '../../lib/step-words.js';
import { RunStatusBadge } from '../runs/RunStatus.js';

type FireResult = MethodOutput<'testFire'>;

/** The receiver's refusal in its own words ("email: must be a valid email address"), never its JSON. */
type Answer = { errors?: { path: string; message: string }[]; reason?: unknown; error?: { message?: unknown } } | null;

function refusal(body: unknown): string {
  const b = body as Answer;
  if (b?.errors?.length) return b.errors.map((f) => `${f.path.replace(/_/g, ' ')} ${f.message}`).join('; ');
  return typeof b?.error?.message === 'string' ? b.error.message : 'The address refused it.';
}

function RunLines({ run }: { run: Run }) {
  const steps = run.steps ?? [];
  const sent = steps.filter((s) => s.status === 'completed' && !s.name.startsWith('check_')).map((s) => stepWords(s).text);
  // Left out only because its app is not set up, or because this was a test: what a real lead would get.
  const wouldHave = steps.filter(
    (s) => s.status === 'skipped' && STEP_WORDS[s.name]?.app && (/not (set up|configured)/i.test(skipReason(s) ?? '') || (skipReason(s) ?? '').startsWith(TEST_HOLD_REASON)),
  );
  const problems = steps.filter((s) => s.status === 'failed' || s.status === 'dead').map((s) => stepWords(s).text);
  return (
    <>
      {sent.length > 0 && (
        <ul className="fire-lines" aria-label="What it did">
          {sent.map((t) => (
            <li key={t}>
              <Icon name="check" size={14} /> {t}
            </li>
          ))}
        </ul>
      )}
      {wouldHave.length > 0 && (
        <p className="muted small" data-testid="would-have">
          Would have sent, once set up:{' '}
          {wouldHave.map((s) => `${STEP_WORDS[s.name]!.thing} (${appLabel(STEP_WORDS[s.name]!.app)})`).join(', ')}
        </p>
      )}
      {problems.map((t) => (
        <p key={t} className="step-error small">
          {t}
        </p>
      ))}
    </>
  );
}

function EffectRun({ a }: { a: AutomationEffect }) {
  const run = useApiQuery('getRun', { id: a.run!.id });
  return (
    <li className="fire-run" data-testid="fire-run">
      <div className="effect-head">
        <a href={href(`/runs/${encodeURIComponent(a.run!.id)}`)}>{a.name}</a>
        {run.data && <RunStatusBadge run={run.data} />}
      </div>
      {run.data ? <RunLines run={run.data} /> : <p className="muted small">Running…</p>}
    </li>
  );
}

function Effects({ requestId }: { requestId: number }) {
  const effects = useApiQuery('getRequestEffects', { id: requestId });
  const e = effects.data;
  if (!e) return <p className="muted">Looking at what it led to…</p>;
  if (e.state === 'waiting') return <p className="muted">Stored; your automations pick it up in a moment…</p>;
  const runs = e.automations.filter((a) => a.run);
  return (
    <>
      {e.lead && (
        <p data-testid="fire-lead">
          Lead: <a href={href(`/leads/${encodeURIComponent(e.lead.id)}`)}>{e.lead.name ? `${e.lead.name} (${e.lead.email})` : e.lead.email}</a>
        </p>
      )}
      {runs.length ? (
        <ul className="fire-runs" aria-label="Automations it started">
          {runs.map((a) => (
            <EffectRun key={a.run!.id} a={a} />
          ))}
        </ul>
      ) : (
        <p>
          No automation ran for it. <a href={href('/automations')}>See Automations</a>
        </p>
      )}
    </>
  );
}

export function FireSummary({ title, result, error }: { title: string; result?: FireResult; error?: string }) {
  const ok = result !== undefined && result.status < 300;
  return (
    <div className={`fire-result ${ok ? 'good' : 'bad'}`} role="status" data-testid="fire-result">
      <div className="fire-result-head">
        <Icon name={ok ? 'check' : 'alert'} />
        <strong>
          {title}: {error ? 'not sent' : ok ? 'received' : 'refused'}
        </strong>
      </div>
      {error && <p>{error}</p>}
      {result && <p className="muted small">Sent to {result.url}</p>}
      {result && !ok && <p>{refusal(result.body)}</p>}
      {ok && result.request_id !== null && <Effects requestId={result.request_id} />}
      {ok && result.request_id === null && (
        <p className="muted">
          It arrived but was not used{typeof (result.body as Answer)?.reason === 'string' ? `: ${String((result.body as Answer)!.reason)}` : ''}, so nothing ran.
        </p>
      )}
    </div>
  );
}
