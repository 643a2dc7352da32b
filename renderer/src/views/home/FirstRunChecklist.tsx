/**
 * Getting set up, step by step: each step opens the place it is done, and ticks itself when
 * Leadbell sees it done. Shown while any step is open (in place of the setup guides, which the
 * last step carries); it can be hidden once everything is done.
 */
import { useState } from 'react';
import type { EndpointListing } from '../../../../shared/api/models.js';
import { Button } from '../../components/Button.js';
import { Icon } from '../../components/Icon.js';
import { Card } from '../../components/Layout.js';
import { href } from '../../lib/router.js';
import { SetupSection } from './SetupSection.js';
import type { SetupStep } from './setup-progress.js';

const HIDDEN_KEY = 'leadbell.checklist.hidden';

function Step({ step, n, endpoints }: { step: SetupStep; n: number; endpoints: EndpointListing[] }) {
  return (
    <li className={`checklist-step${step.done ? ' is-done' : ''}`} data-testid={`setup-step-${step.id}`} data-done={step.done}>
      <span className="checklist-mark" aria-hidden="true">
        {step.done ? <Icon name="check" size={16} /> : n}
      </span>
      <div className="checklist-body">
        <strong>
          {step.title}
          <span className="sr-only">{step.done ? ': done' : ': to do'}</span>
        </strong>
        <span className="muted small">{step.done ? step.done_words : step.todo}</span>
        {step.link && !step.done && (
          <a className="checklist-link" href={href(step.link.to)}>
            {step.link.words}
          </a>
        )}
        {step.id === 'form_tool' && !step.done && (
          <details className="checklist-guides">
            <summary>How to paste it into your website, Zapier, Make, Typeform or Loops</summary>
            <SetupSection endpoints={endpoints} embedded />
          </details>
        )}
      </div>
    </li>
  );
}

export function FirstRunChecklist({ steps, ready, endpoints }: { steps: SetupStep[]; ready: boolean; endpoints: EndpointListing[] }) {
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDDEN_KEY) === '1');
  const done = steps.filter((s) => s.done).length;
  const allDone = done === steps.length;
  if (!ready || (allDone && hidden)) return null;
  return (
    <Card
      title="Get set up"
      subtitle={allDone ? 'All done: leads arrive, are answered and your team hears about them.' : `${done} of ${steps.length} done. Each step ticks itself when Leadbell sees it.`}
      labelledBy="checklist-title"
      className="checklist"
      actions={
        allDone && (
          <Button
            size="sm"
            onClick={() => {
              localStorage.setItem(HIDDEN_KEY, '1');
              setHidden(true);
            }}
          >
            Hide this list
          </Button>
        )
      }
    >
      <progress className="checklist-progress" max={steps.length} value={done} aria-label={`${done} of ${steps.length} steps done`} />
      <ol className="checklist-steps" aria-label="Setup steps">
        {steps.map((s, i) => (
          <Step key={s.id} step={s} n={i + 1} endpoints={endpoints} />
        ))}
      </ol>
    </Card>
  );
}
