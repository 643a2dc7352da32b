/** Basic accessibility of every main view: named controls, one page title, a skip link, keyboard focus. */
import { expect, openView, test } from './fixtures.js';

const VIEWS = [
  ['/', /Good (morning|afternoon|evening)/],
  ['/leads', 'Leads'],
  ['/events', 'Events'],
  ['/automations', 'Automations'],
  ['/runs', 'Run history'],
  ['/apps', 'Connected apps'],
  ['/test', 'Send a test'],
  ['/settings', 'Settings'],
] as const;

for (const [hash, heading] of VIEWS) {
  test(`${hash}: every control has a name and the page has one title`, async ({ page }) => {
    await openView(page, hash, heading);
    await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    const controls = page.locator('button, input:not([type=hidden]), select, textarea, a[href], [role=switch], [role=tab], svg[role=img]');
    const count = await controls.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) {
      const c = controls.nth(i);
      if (!(await c.isVisible())) continue;
      await expect(c, `control #${i} (${await c.evaluate((e) => e.outerHTML.slice(0, 120))})`).toHaveAccessibleName(/\S/);
    }
  });
}

test('Connected apps: each card\'s buttons say which integration and secret they act on', async ({ page, app }) => {
  // Two saved secrets, so the Replace and Remove buttons show too.
  const saved = ['integration.notion.token', 'integration.meta.access_token'];
  for (const name of saved) expect((await app.api('PUT', `/api/secrets/${name}`, { value: `token-${name}` })).status).toBe(200);
  try {
    await openView(page, '/apps', 'Connected apps');
    await expect(page.getByRole('button', { name: 'Remove Notion integration token' })).toBeVisible();
    const names = [...(await page.locator('main').ariaSnapshot()).matchAll(/- button "([^"]+)"/g)].map((m) => m[1]!);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['Send test to Discord', 'Send test to Slack', 'Save options for Prefect', 'Replace Meta access token', 'Remove Notion integration token']));
    // The visible words stay short, and are the start of the accessible name.
    await expect(page.getByRole('button', { name: 'Send test to Loops' })).toHaveText('Send test');
  } finally {
    for (const name of saved) await app.api('PUT', `/api/secrets/${name}`, { value: null });
  }
});

test('keyboard: the skip link comes first and moves focus to the content; nav links are reachable', async ({ page }) => {
  await openView(page, '/', /Good/);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  await page.getByRole('link', { name: 'Leads', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeFocused();
});

test('setup guide tabs follow the tabs pattern (arrow keys move between them)', async ({ page }) => {
  await openView(page, '/', /Good/);
  // While the first-run checklist is open, the guides ride in its last step.
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
  const inChecklist = page.getByText('How to paste it into your website');
  if (await inChecklist.isVisible()) await inChecklist.click();
  const first = page.getByRole('tab', { name: 'Website form' });
  await first.focus();
  await page.keyboard.press('ArrowRight');
  const second = page.getByRole('tab', { name: 'Zapier' });
  await expect(second).toBeFocused();
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('Webhooks by Zapier');
});
