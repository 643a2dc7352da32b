/** A page reached by an id that names nothing says so plainly, and offers the way back. */
import { randomUUID } from 'node:crypto';
import { expect, test, uniqueEmail } from './fixtures.js';

test('an unknown lead says there is no such lead, and links back to all leads', async ({ page, app }) => {
  const id = randomUUID();
  // The core's answer: a 404 naming what was missing, not a server error.
  const res = await app.api('GET', `/api/leads/${id}`);
  expect(res.status).toBe(404);
  expect(res.body.error).toMatchObject({ code: 'not_found', message: `lead ${id} not found` });

  await page.goto(`/#/leads/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'No such lead' })).toBeVisible();
  const notice = page.getByTestId('not-found');
  await expect(notice).toContainText('There is no lead with this address');
  await expect(notice).toContainText('may have been deleted');
  // Not the "could not load" notice: nothing to try again.
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);

  await notice.getByRole('link', { name: 'See all leads' }).click();
  await expect(page).toHaveURL(/#\/leads$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();
  await expect(page.getByTestId('lead-row').first()).toBeVisible();
});

test('an unknown run in the address says it was not found, without "Try again"', async ({ page, app }) => {
  // The detail pane asks for the run in the address only beside a list with runs in it.
  expect((await app.webhook('lead-optin', { email: uniqueEmail('gone-run'), first_name: 'Gia' })).status).toBe(202);
  await expect.poll(async () => (await app.api('GET', '/api/runs?limit=1')).body.total).toBeGreaterThan(0);
  await page.goto(`/#/runs/${randomUUID()}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await expect(page.getByTestId('not-found')).toContainText('Run details not found');
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
});

test('an address that names no view says so, instead of quietly showing Home', async ({ page }) => {
  await page.goto('/#/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByTestId('not-found')).toContainText('There is no page at this address');
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]')).toHaveCount(0);
  await page.getByTestId('not-found').getByRole('link', { name: 'Go to Home' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Good/ })).toBeVisible();
});
