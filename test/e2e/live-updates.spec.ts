import { expect, openView, screenshot, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

test.describe('live updates', () => {
  test('a webhook arriving while Events is open appears without a reload', async ({ page, app }) => {
    await openView(page, '/events', 'Events');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const email = uniqueEmail('inbox-live');
    const res = await app.webhook('lead-optin', { email, first_name: 'Lena' });
    expect(res.status).toBe(202);
    const row = page.getByTestId('request-row').filter({ hasText: email });
    await expect(row).toBeVisible();
    await row.click();
    await expect(page.getByTestId('request-body')).toContainText(email);
    // Same document: the page was not reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('a webhook posted while the Leads view is open appears live', async ({ page, app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/runs');
    await openView(page, '/leads', 'Leads');
    await expect(page.getByTestId('lead-row').first()).toBeVisible();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    const before = await page.getByTestId('lead-count').textContent();
    const email = uniqueEmail('leads-live');
    expect((await app.webhook('lead-optin', { email, first_name: 'Livia', segment: 'beauty-salon' })).status).toBe(202);
    const row = page.getByTestId('lead-row').filter({ hasText: email });
    await expect(row).toBeVisible();
    await expect(page.getByTestId('lead-count')).not.toHaveText(before ?? '');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  });

  test('a hot assessment shows a visible alert that opens the lead', async ({ page, app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/runs');
    await openView(page, '/', /Good (morning|afternoon|evening)/);
    const email = uniqueEmail('hot');
    expect((await app.webhook('lead-optin', { email, first_name: 'Hana' })).status).toBe(202);
    expect(
      (
        await app.webhook('assessment', {
          email,
          first_name: 'Hana',
          assessment_data: { marketing: 9, sales: 9, operations: 9, finance: 8, team: 9, customer: 9, product: 9, leadership: 9 },
        })
      ).status,
    ).toBe(202);
    const alert = page.getByRole('alert').filter({ hasText: 'Hot lead: Hana' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(email);
    await screenshot(page, 'hot-lead-alert-light');
    await alert.getByRole('button', { name: 'Open lead' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Hana' })).toBeVisible();
    await expect(page.getByText('Hot', { exact: true }).first()).toBeVisible();
  });
});
