/** One lead: who they are, their scores, and everything that happened with them. */
import type { Lead } from '../../../../shared/api/models.js';
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import { useApiQuery } from '../../api/queries.js';
import { Badge, LeadStatusBadge } from '../../components/Badge.js';
import { Icon } from '../../components/Icon.js';
import { Card, Page } from '../../components/Layout.js';
import { NotFound, QueryState } from '../../components/QueryState.js';
import { formatNumber, leadName } from '../../lib/format.js';
import { useEngagementPoints, useScoreBands } from '../../lib/flow-settings.js';
import { href, useRouteQuery, withQuery } from '../../lib/router.js';
import { DoNotContactBadge, DoNotContactControl } from './DoNotContactBadge.js';
import { NotesCard } from './NotesCard.js';
import { ErasureProgress, PrivacyCard } from './PrivacyCard.js';
import { RemindersPanel } from './RemindersPanel.js';
import { OwnerStageSelect } from './OwnerStageSelect.js';
import { ProfileCard } from './ProfileCard.js';
import { ScoreRing } from './ScoreRing.js';
import { Timeline } from './Timeline.js';

/** The lead's scores, with what they mean under the owner's current settings. */
function ScoresCard({ lead }: { lead: Lead }) {
  const bands = useScoreBands();
  const points = useEngagementPoints();
  return (
    <Card title="Scores" labelledBy="lead-scores-title">
      <div className="scores">
        <div className="quiz-score">
          <ScoreRing score={lead.score} label="Quiz score" hot={bands.hot} warm={bands.warm} />
          <span className="muted small" data-testid="score-bands">
            {bands.hot} and up is hot, {bands.warm} and up is warm.
          </span>
        </div>
        <div className="engagement">
          <span className="tile-value">{formatNumber(lead.engagement_score)}</span>
          <span className="tile-label">Engagement points</span>
          {points && (
            <span className="muted small">
              Opens +{points.open}, clicks +{points.click}, sales-page visits +{points.visit}.
            </span>
          )}
        </div>
      </div>
    </Card>
  );
}

export function LeadView({ id }: { id: string }) {
  const [erased, setErased] = useState<MethodOutput<'eraseLead'> | null>(null);
  const q = useApiQuery('getLead', { id }, { enabled: erased === null });
  // Opened from the list, the lead's URL carries the list's filters and place: back to them.
  const listQuery = useRouteQuery();
  return (
    <div className="lead-page">
      <a className="back-link" href={href(withQuery('/leads', listQuery))}>
        <Icon name="back" size={16} /> All leads
      </a>
      {erased ? (
        <Page title="Erased">
          <ErasureProgress result={erased} />
        </Page>
      ) : (
      <QueryState
        query={q}
        what="Lead details"
        loading="Loading lead"
        notFound={
          // A deleted lead, an old link or a mistyped id: say so, rather than "something went wrong".
          <Page title="No such lead">
            <NotFound title="There is no lead with this address">
              It may have been deleted, or the link is out of date. <a href={href('/leads')}>See all leads</a>
            </NotFound>
          </Page>
        }
      >
        {({ lead, timeline, reminders }) => (
          <Page
            title={leadName(lead)}
            actions={<DoNotContactControl lead={lead} />}
            intro={
              <span className="lead-intro">
                <LeadStatusBadge status={lead.status} />
                <a href={`mailto:${lead.email}`}>{lead.email}</a>
                <OwnerStageSelect lead={lead} />
                <DoNotContactBadge lead={lead} />
                {lead.is_test && <Badge tone="neutral">Test lead</Badge>}
              </span>
            }
          >
            <div className="lead-grid">
              <ProfileCard lead={lead} />
              <ScoresCard lead={lead} />
            </div>
            <NotesCard leadId={lead.id}>
              <RemindersPanel leadId={lead.id} reminders={reminders} />
            </NotesCard>
            <Card title="Timeline" subtitle="Newest first: what they did, and what Leadbell did for them." labelledBy="lead-timeline-title">
              <Timeline items={timeline} />
            </Card>
            <PrivacyCard lead={lead} onErased={setErased} />
          </Page>
        )}
      </QueryState>
      )}
    </div>
  );
}
