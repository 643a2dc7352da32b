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
