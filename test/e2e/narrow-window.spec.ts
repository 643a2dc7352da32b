/** From 800 px wide: the menu shrinks to icons (and can be opened), and details open over their list. */
import { expect, openView, test, uniqueEmail } from './fixtures.js';

test.describe('an 800 px window', () => {
  test.use({ viewport: { width: 800, height: 700 } });

  test('the menu shows icons only, still named, and the owner can show its names', async ({ page }) => {
    await openView(page, '/', /Good/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const toggle = page.getByRole('button', { name: 'Show the menu names' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const leads = nav.getByRole('link', { name: 'Leads', exact: true });
    await expect(leads).toBeVisible();
    expect((await page.locator('.sidebar').boundingBox())!.width).toBeLessThan(90);
    await toggle.click();
    await expect(page.getByRole('button', { name: 'Icons only' })).toHaveAttribute('aria-expanded', 'true');
    expect((await page.locator('.sidebar').boundingBox())!.width).toBeGreaterThan(200);
    // The choice is kept.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Icons only' })).toBeVisible();
    await page.getByRole('button', { name: 'Icons only' }).click();
    await leads.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();
  });

  test("a request's details open over the Events list, in view, and close back to it", async ({ page, app }) => {
    const email = uniqueEmail('overlay');
    expect((await app.webhook('lead-optin', { email, first_name: 'Olive' })).status).toBe(202);
    await openView(page, '/events', 'Events');
    // Nothing chosen: the list alone, no details below it out of sight.
    await expect(page.getByTestId('detail-overlay')).toHaveCount(0);
    await page.getByTestId('request-row').filter({ hasText: email }).click();
    const overlay = page.getByTestId('detail-overlay');
    await expect(overlay).toBeInViewport();
    await expect(overlay.getByTestId('what-happened-next')).toBeVisible();
    await overlay.getByRole('button', { name: 'Close' }).click();
    await expect(overlay).toHaveCount(0);
    await expect(page.getByTestId('request-row').filter({ hasText: email })).toBeVisible();
  });
});
