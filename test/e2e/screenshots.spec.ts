/** Every main view, light and dark, saved to test-results/screenshots/ (and checked to render). */
import { expect, openView, screenshot, test } from './fixtures.js';

const VIEWS: { name: string; hash: string; heading: string | RegExp }[] = [
  { name: 'home', hash: '/', heading: /Good (morning|afternoon|evening)/ },
  { name: 'leads', hash: '/leads', heading: 'Leads' },
  { name: 'events', hash: '/events', heading: 'Events' },
  { name: 'automations', hash: '/automations', heading: 'Automations' },
  { name: 'runs', hash: '/runs', heading: 'Run history' },
  { name: 'connected-apps', hash: '/apps', heading: 'Connected apps' },
  { name: 'send-a-test', hash: '/test', heading: 'Send a test' },
  { name: 'settings', hash: '/settings', heading: 'Settings' },
];

test.beforeAll(async ({ app }) => {
  // Something in the inbox and on the charts, as on a real day.
  await app.webhook('lead-optin', { email: 'screenshot.lead@example.com', first_name: 'Maya', segment: 'beauty-salon', source: 'instagram' });
  await app.webhook('assessment', { email: 'screenshot.lead@example.com', first_name: 'Maya', score: 86 });
  await app.webhook('assessment', { first_name: 'No email' });
});

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });
    for (const v of VIEWS) {
      test(`${v.name} renders`, async ({ page }) => {
        await openView(page, v.hash, v.heading);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        await screenshot(page, `${v.name}-${theme}`);
      });
    }
  });
}

test('the lead page, light and dark', async ({ page, app }) => {
  const leads = await app.api('GET', '/api/leads?status=hot&limit=1');
  const lead = leads.body.items[0];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await openView(page, `/leads/${lead.id}`, new RegExp(lead.first_name));
    await screenshot(page, `lead-${theme}`);
  }
});

test.describe('800 px wide', () => {
  test.use({ viewport: { width: 800, height: 700 } });
  for (const theme of ['light', 'dark'] as const) {
    test(`Home, Leads, a lead, Automations and Run history fit, ${theme}`, async ({ page, app }) => {
      await page.emulateMedia({ colorScheme: theme });
      const lead = (await app.api('GET', '/api/leads?status=hot&limit=1')).body.items[0];
      const views = [
        { name: 'home', hash: '/', heading: /Good (morning|afternoon|evening)/ },
        { name: 'leads', hash: '/leads', heading: 'Leads' },
        { name: 'lead', hash: `/leads/${lead.id}`, heading: new RegExp(lead.first_name ?? lead.email) },
        { name: 'automations', hash: '/automations', heading: 'Automations' },
        { name: 'runs', hash: '/runs', heading: 'Run history' },
      ];
      for (const v of views) {
        await openView(page, v.hash, v.heading);
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        // Nothing sticks out sideways: the page is as wide as the window.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
        await screenshot(page, `${v.name}-800-${theme}`);
      }
    });
  }
});

test('an automation being edited, and a run opened over Run history, at 800 px', async ({ page, app }) => {
  await page.setViewportSize({ width: 800, height: 700 });
  const triggers = (await app.api('GET', '/api/triggers')).body.items as { name: string; flow: string }[];
  for (const flow of ['assessment', 'segment-routing']) {
    const t = triggers.find((x) => x.flow === flow)!;
    await openView(page, '/automations', 'Automations');
    await page.getByRole('button', { name: `Edit ${t.name}` }).click();
    await expect(page.getByRole('region', { name: `Edit "${t.name}"` })).toBeVisible();
    await screenshot(page, `automation-edit-${flow}-800-light`);
  }
  const run = (await app.api('GET', '/api/runs?flow=assessment&limit=1')).body.items[0];
  await openView(page, `/runs/${run.id}`, 'Run history');
  await expect(page.getByTestId('detail-overlay')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/runs-detail-800-light.png' });
});
