/**
 * axe-core on every view, at 1280 and 800 px wide, light and dark: no serious or critical
 * violation (WCAG 2.1 A and AA rules, colour contrast included).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.js';

const VIEWS: { name: string; hash: string | 'lead' }[] = [
  { name: 'Home', hash: '/' },
  { name: 'Leads', hash: '/leads' },
  { name: 'a lead', hash: 'lead' },
  { name: 'Events', hash: '/events' },
  { name: 'Automations', hash: '/automations' },
  { name: 'Run history', hash: '/runs' },
  { name: 'Connected apps', hash: '/apps' },
  { name: 'Send a test', hash: '/test' },
  { name: 'Settings', hash: '/settings' },
  { name: 'an unknown address', hash: '/no-such-page' },
];

let leadId = '';

test.beforeAll(async ({ app }) => {
  // A hot lead with a timeline: a quiz and the runs it started.
  await app.webhook('lead-optin', { email: 'axe.lead@example.com', first_name: 'Ada', segment: 'fitness', source: 'instagram' });
  await app.webhook('assessment', { email: 'axe.lead@example.com', first_name: 'Ada', score: 91 });
  await expect.poll(async () => (leadId = (await app.api('GET', '/api/leads?search=axe.lead%40example.com')).body.items[0]?.id ?? '')).not.toBe('');
  await expect.poll(async () => (await app.api('GET', `/api/runs?lead_id=${leadId}&flow=assessment`)).body.items[0]?.status).toMatch(/completed|partial|failed/);
});

for (const width of [1280, 800]) {
  for (const theme of ['light', 'dark'] as const) {
    test.describe(`${width} px, ${theme}`, () => {
      test.use({ viewport: { width, height: 900 }, colorScheme: theme });
      for (const v of VIEWS) {
        test(`${v.name}: no serious or critical axe violation`, async ({ page }) => {
          await page.goto(`/#${v.hash === 'lead' ? `/leads/${leadId}` : v.hash}`);
          await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
          await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
          const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
          const bad = results.violations
            .filter((x) => x.impact === 'serious' || x.impact === 'critical')
            .map((x) => ({ rule: x.id, impact: x.impact, help: x.help, nodes: x.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`) }));
          expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
        });
      }
    });
  }
}
