/** Events, automation runs and the owner's notes and changes, newest first; runs unfold into their steps. */
import type { TimelineItem } from '../../../../shared/api/models.js';
import { Icon, type IconName } from '../../components/Icon.js';
import { JsonBlock } from '../../components/JsonBlock.js';
import { EmptyState } from '../../components/Layout.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { eventTitle, humanize } from '../../lib/labels.js';
import { dncReasonWords } from './DoNotContactBadge.js';
import { href } from '../../lib/router.js';
import { RunSkippedNote, RunStatusBadge } from '../runs/RunStatus.js';
import { RunSteps } from '../runs/RunSteps.js';
import { RunHeadline } from '../runs/RunWords.js';
import { useFlowTitle } from '../runs/useFlowTitle.js';

const EVENT_ICON: Record<string, IconName> = {
  'lead.opted_in': 'users',
  'lead.assessment_complete': 'check',
  'lead.booked': 'history',
  'lead.booking_canceled': 'x',
  'lead.purchased': 'flame',
  'visitor.sales_page_visit': 'eye',
  'email.opened': 'mail',
  'email.clicked': 'pointer',
};

function eventDetail(payload: Record<string, unknown>): string | null {
  if (typeof payload.amount === 'number' && typeof payload.currency === 'string') return `Paid ${payload.amount} ${payload.currency}`;
  if (typeof payload.start_time === 'string') return `${typeof payload.booking_name === 'string' ? `${payload.booking_name} on ` : ''}${formatDateTime(payload.start_time)}`;
  if (typeof payload.page_url === 'string') return `${payload.page_url}${typeof payload.duration === 'number' ? ` for ${payload.duration}s` : ''}`;
  if (typeof payload.link_url === 'string') return payload.link_url;
  if (typeof payload.email_id === 'string') return humanize(payload.email_id);
  if (typeof payload.source === 'string') return `From ${payload.source}`;
  return null;
}

type ActivityItem = Extract<TimelineItem, { kind: 'activity' }>;

/** The owner's own entries, in plain words. */
function activityWords({ activity: a }: ActivityItem): { title: string; detail: string | null } {
  switch (a.kind) {
    case 'added':
      return { title: 'Added by hand', detail: a.detail.automations ? 'The sign-up automations ran for them.' : 'No automations ran for them.' };
    case 'note':
      return { title: 'Note', detail: a.text };
    case 'owner_stage':
      return { title: `Stage moved to ${humanize(String(a.detail.to))}`, detail: `Was ${humanize(String(a.detail.from))}` };
    case 'edit':
      return { title: 'Details edited', detail: Array.isArray(a.detail.fields) ? `Changed: ${a.detail.fields.map((f) => humanize(String(f))).join(', ')}` : null };
    case 'merge':
      return { title: `Merged with ${String(a.detail.merged_email)}`, detail: 'Its history, notes and tags are now part of this lead.' };
    case 'do_not_contact':
      return a.detail.set
        ? { title: `Marked do not contact: ${dncReasonWords(String(a.detail.reason))}`, detail: a.text }
        : { title: 'Do not contact cleared', detail: 'Emails, sequences and ad audiences may reach them again.' };
  }
}

function ActivityEntry({ item }: { item: ActivityItem }) {
  const { title, detail } = activityWords(item);
  return (
    <li className="tl-item tl-activity" data-testid={`timeline-${item.activity.kind}`}>
      <span className="tl-icon">
        <Icon name={item.activity.kind === 'note' ? 'note' : 'pencil'} />
      </span>
      <div className="tl-body">
        <div className="tl-head">
          <strong>{title}</strong>
          <time dateTime={item.at} title={formatDateTime(item.at)} className="muted small">
            {formatRelative(item.at)}
          </time>
        </div>
        {detail && <p className={item.activity.kind === 'note' ? 'tl-note' : 'muted'}>{detail}</p>}
      </div>
    </li>
  );
}

export function Timeline({ items }: { items: TimelineItem[] }) {
  const flowTitle = useFlowTitle();
  if (!items.length) return <EmptyState icon="history" title="Nothing here yet" />;
  return (
    <ol className="timeline" aria-label="Timeline">
      {items.map((item) =>
        item.kind === 'activity' ? (
          <ActivityEntry key={`a-${item.activity.id}`} item={item} />
        ) : item.kind === 'event' ? (
          <li key={`e-${item.event.id}`} className="tl-item" data-testid="timeline-event">
            <span className="tl-icon">
              <Icon name={EVENT_ICON[item.event.event] ?? 'inbox'} />
            </span>
            <div className="tl-body">
              <div className="tl-head">
                <strong>{eventTitle(item.event.event, item.event.payload)}</strong>
                <time dateTime={item.at} title={formatDateTime(item.at)} className="muted small">
                  {formatRelative(item.at)}
                </time>
              </div>
              {eventDetail(item.event.payload) && <p className="muted">{eventDetail(item.event.payload)}</p>}
              <details>
                <summary>What arrived</summary>
                <JsonBlock label="What arrived" value={item.event.payload} maxHeight={260} />
              </details>
            </div>
          </li>
        ) : (
          <li key={`r-${item.run.id}`} className="tl-item tl-run" data-testid="timeline-run">
            <span className="tl-icon tl-icon-run">
              <Icon name="zap" />
            </span>
            <div className="tl-body">
              <div className="tl-head">
                <strong>{flowTitle(item.run.flow)}</strong>
                <RunStatusBadge run={item.run} />
                <time dateTime={item.at} title={formatDateTime(item.at)} className="muted small">
                  {formatRelative(item.at)}
                </time>
              </div>
              <RunHeadline run={item.run} />
              <RunSkippedNote run={item.run} />
              <details open={item.run.steps?.some((s) => s.status === 'failed' || s.status === 'dead')}>
                <summary>Step by step</summary>
                <RunSteps run={item.run} />
                <a href={href(`/runs/${encodeURIComponent(item.run.id)}`)}>Open in Run history</a>
              </details>
            </div>
          </li>
        ),
      )}
    </ol>
  );
}
