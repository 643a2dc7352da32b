/**
 * A run whose app steps were all skipped because no app is set up finishes like one that sent
 * its emails: Run history and the lead's timeline say "Nothing sent" and which apps were missing.
 */
import { expect, openView, screenshot, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

test('with no apps set up, an opt-in\'s runs say nothing was sent and which apps are missing', async ({ page, app }) => {
  await skipUnlessAvailable(app, 'GET', '/api/runs');

  const email = uniqueEmail('nothing-sent');
  expect((await app.webhook('lead-optin', { email, first_name: 'Nell', segment: 'beauty-salon' })).status).toBe(202);
  const finished = async () => {
    const runs = (await app.api('GET', '/api/runs?limit=50')).body.items as { status: string; parameters: { email?: string } }[];
    return runs.filter((r) => r.parameters.email === email && r.status === 'completed').length;
  };
  await expect.poll(finished, { timeout: 20_000 }).toBe(3);

  await openView(page, '/runs?flow=segment-routing', 'Run history');
  const row = page.getByTestId('run-row').filter({ hasText: email });
  await expect(row).toContainText('Nurture by segment');
  await expect(row).toContainText('Nothing sent');
  await expect(row).not.toContainText('Done');
  await expect(row.getByTestId('run-skipped')).toHaveText('Loops not set up');
  await row.click();
  const detail = page.locator('.detail');
  await expect(detail).toContainText('Nothing sent');
  await expect(detail.getByTestId('run-skipped')).toHaveText('Loops not set up');

  await openView(page, '/runs?flow=lead-optin', 'Run history');
  const optin = page.getByTestId('run-row').filter({ hasText: email });
  await expect(optin).toContainText('Nothing sent');
  await expect(optin.getByTestId('run-skipped')).toHaveText('Loops, Notion, Meta not set up · 1 step skipped on purpose');
  await optin.click();
  // Step words keep the apps' capitals.
  await expect(page.getByTestId('run-step').filter({ hasText: 'Copy in Notion' })).toContainText('Skipped');
  await screenshot(page, 'run-nothing-sent-light');

  await openView(page, '/leads', 'Leads');
  await page.getByRole('searchbox', { name: /Search leads/ }).fill(email);
  await page.getByTestId('lead-row').filter({ hasText: email }).click();
  const nurture = page.getByRole('list', { name: 'Timeline' }).getByTestId('timeline-run').filter({ hasText: 'Nurture by segment' });
  await expect(nurture).toContainText('Nothing sent');
  await expect(nurture.getByTestId('run-skipped')).toHaveText('Loops not set up');
});
