/**
 * Home's banner while any app's calls failed, wait for a new key, or are being retried: one line
 * per app in plain words ("12 welcome emails could not be sent: Loops refused the API key"), with
 * the way to fix it and "Retry all".
 */
import type { AppHealth } from '../../../../shared/api/models.js';
import { nextTryWords } from '../../../../shared/failure-words.js';
import { INTEGRATIONS, isIntegrationName } from '../../../../shared/integrations/index.js';
import { useApiQuery } from '../../api/queries.js';
import { Notice } from '../../components/Layout.js';
import { RetryAppButton } from '../../components/RetryAppButton.js';
import { formatNumber } from '../../lib/format.js';
import { href } from '../../lib/router.js';

const label = (name: string) => (isIntegrationName(name) ? INTEGRATIONS[name].label : name);

/** What the calls are called, for one of them: "welcome emails" -> "welcome email". */
const one = (label: string) => label.replace(/s$/, '');

/** "12 welcome emails and 1 nurture start" */
function counted(failed: AppHealth['failed']): string {
  const parts = failed.map((f) => `${formatNumber(f.count)} ${f.count === 1 ? one(f.label) : f.label}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

function headline(h: AppHealth, now: number): { title: string; detail: string | null } | null {
  const app = label(h.integration);
  const failedCount = h.failed.reduce((n, f) => n + f.count, 0);
  const why = h.words ?? `${app} had a problem`;
  if (failedCount) return { title: `${counted(h.failed)} could not be sent: ${why}`, detail: h.state === 'key_refused' && h.waiting ? `${formatNumber(h.waiting)} more wait for the new key.` : null };
  if (h.state === 'key_refused') return { title: `${formatNumber(h.waiting)} ${h.waiting === 1 ? 'call waits' : 'calls wait'}: ${why}`, detail: 'They go out as soon as you save a new key.' };
  if (h.state === 'failing' && h.waiting) {
    const next = nextTryWords(h.next_try_at, now);
    return { title: `${formatNumber(h.waiting)} ${h.waiting === 1 ? 'call to' : 'calls to'} ${app} ${h.waiting === 1 ? 'is' : 'are'} being retried: ${why}`, detail: next ? `Leadbell keeps trying for about a day (${next}).` : null };
  }
  return null;
}

export function FailureBanner() {
  const health = useApiQuery('listAppHealth', {});
  const now = Date.now();
  const shown = (health.data?.items ?? []).flatMap((h) => {
    const line = headline(h, now);
    return line ? [{ h, ...line }] : [];
  });
  if (!shown.length) return null;
  return (
    <div className="failure-banner" data-testid="failure-banner">
      {shown.map(({ h, title, detail }) => (
        <Notice
          key={h.integration}
          tone={h.failed.length || h.state === 'key_refused' ? 'bad' : 'warn'}
          title={title}
          actions={
            <>
              <a className="btn btn-secondary btn-sm" href={href('/apps')}>
                Fix in Connected apps
              </a>
              {h.failed.length > 0 && <RetryAppButton integration={h.integration} appLabel={label(h.integration)} />}
            </>
          }
        >
          {detail}
        </Notice>
      ))}
    </div>
  );
}
