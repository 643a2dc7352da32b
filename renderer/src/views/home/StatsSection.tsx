/** Today's numbers and the three charts owners look at rather than read. */
import { useApiQuery } from '../../api/queries.js';
import { BarChart, Funnel } from '../../components/charts.js';
import { Icon, type IconName } from '../../components/Icon.js';
import { Card } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { formatNumber } from '../../lib/format.js';
import { useScoreBands } from '../../lib/flow-settings.js';
import { href, withQuery } from '../../lib/router.js';
import { serializeSearch } from '../../lib/search-params.js';
import { EVENTS_PARAMS } from '../events/events-params.js';
import { LEADS_PARAMS } from '../leads/leads-params.js';
import { RUNS_PARAMS } from '../runs/runs-params.js';

/** A number that opens the list it counts; its link text reads "4 Automations that failed or are retrying". */
function Tile({ label, value, icon, tone, to }: { label: string; value: number; icon: IconName; tone: string; to: string }) {
  return (
    <a className={`tile tile-${tone}`} href={href(to)} data-testid="stat-tile">
      <span className="tile-icon">
        <Icon name={icon} />
      </span>
      <span className="tile-value">{formatNumber(value)}</span>
      <span className="tile-label">{label}</span>
    </a>
  );
}

/**
 * Where each tile leads: the list filtered to the very rows it counted, from the same moment
 * (the core's start of today), so the number and the list agree.
 */
function tileLinks(since: string) {
  return {
    newLeads: withQuery('/leads', serializeSearch(LEADS_PARAMS, { created_since: since })),
    hotLeads: withQuery('/leads', serializeSearch(LEADS_PARAMS, { status: 'hot', updated_since: since })),
    events: withQuery('/events', serializeSearch(EVENTS_PARAMS, { outcome: 'accepted', since })),
    failedRuns: withQuery('/runs', serializeSearch(RUNS_PARAMS, { failed: true, since })),
  };
}

export function StatsSection() {
  const stats = useApiQuery('getStats', {});
  const bands = useScoreBands();
  return (
    <QueryState query={stats} what="Today's numbers">
      {(s) => {
        const to = tileLinks(s.today.since);
        return (
          <>
            <section aria-label="Today" className="tiles">
              <Tile label="New leads today" value={s.today.new_leads} icon="users" tone="accent" to={to.newLeads} />
              <Tile label="Hot leads today" value={s.today.hot_leads} icon="flame" tone="hot" to={to.hotLeads} />
              <Tile label="Events today" value={s.today.events} icon="inbox" tone="info" to={to.events} />
              <Tile
                label="Automations that failed or are retrying"
                value={s.today.failed_runs}
                icon="alert"
                tone={s.today.failed_runs ? 'bad' : 'muted'}
                to={to.failedRuns}
              />
            </section>
            <div className="chart-grid">
              <Card title="New leads, last 30 days" className="chart-wide" labelledBy="chart-leads-title">
                <BarChart
                  title="New leads per day"
                  valueLabel="Leads"
                  labelEvery={5}
                  data={s.leads_per_day.map((d) => ({
                    label: d.day,
                    short: new Date(`${d.day}T12:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }),
                    value: d.count,
                  }))}
                />
              </Card>
              <Card title="From visitor to hot lead" labelledBy="chart-funnel-title">
                <Funnel
                  title="Funnel"
                  steps={[
                    { label: 'Visitors', value: s.funnel.visitors },
                    { label: 'Signed up', value: s.funnel.opted_in },
                    { label: 'Took the quiz', value: s.funnel.assessed },
                    { label: 'Hot leads', value: s.funnel.hot },
                  ]}
                />
              </Card>
              <Card title="Quiz scores" subtitle={`How many leads scored in each range (${bands.hot} and up is hot).`} labelledBy="chart-scores-title">
                <BarChart
                  title="Score distribution"
                  valueLabel="Leads"
                  tone="warm"
                  data={s.score_distribution.map((b) => ({ label: b.bucket, short: b.bucket.split('-')[0], value: b.count }))}
                />
              </Card>
            </div>
          </>
        );
      }}
    </QueryState>
  );
}
