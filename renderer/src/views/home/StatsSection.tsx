/** Today's numbers and the three charts owners look at rather than read. */
import { useApiQuery } from '../../api/queries.js';
import { BarChart, Funnel } from '../../components/charts.js';
import { Icon, type IconName } from '../../components/Icon.js';
import { Card } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { formatNumber } from '../../lib/format.js';

function Tile({ label, value, icon, tone }: { label: string; value: number; icon: IconName; tone: string }) {
  return (
    <div className={`tile tile-${tone}`}>
      <span className="tile-icon">
        <Icon name={icon} />
      </span>
      <span className="tile-value">{formatNumber(value)}</span>
      <span className="tile-label">{label}</span>
    </div>
  );
}

export function StatsSection() {
  const stats = useApiQuery('getStats', {});
  return (
    <QueryState query={stats} what="Today's numbers">
      {(s) => (
        <>
          <section aria-label="Today" className="tiles">
            <Tile label="New leads today" value={s.today.new_leads} icon="users" tone="accent" />
            <Tile label="Hot leads today" value={s.today.hot_leads} icon="flame" tone="hot" />
            <Tile label="Events today" value={s.today.events} icon="inbox" tone="info" />
            <Tile label="Automations that failed" value={s.today.failed_runs} icon="alert" tone={s.today.failed_runs ? 'bad' : 'muted'} />
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
            <Card title="Quiz scores" subtitle="How many leads scored in each range (80 and up is hot)." labelledBy="chart-scores-title">
              <BarChart
                title="Score distribution"
                valueLabel="Leads"
                tone="warm"
                data={s.score_distribution.map((b) => ({ label: b.bucket, short: b.bucket.split('-')[0], value: b.count }))}
              />
            </Card>
          </div>
        </>
      )}
    </QueryState>
  );
}
