import { expect, screenshot, test } from './fixtures.js';

test.describe('signing in (headless mode)', () => {
  test('without a session only the login page shows; a wrong token is refused, the right one opens Home', async ({ browser, app }) => {
    const context = await browser.newContext({ baseURL: app.adminUrl });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

    await screenshot(page, 'login-light');
    await page.getByLabel('Access token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('That token is not right')).toBeVisible();

    await page.getByLabel('Access token').fill(app.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: /Good (morning|afternoon|evening)/ })).toBeVisible();
    await context.close();
  });

  test('the printed link logs the browser in and drops the token from the address bar', async ({ browser, app }) => {
    const context = await browser.newContext({ baseURL: app.adminUrl });
    const page = await context.newPage();
    await page.goto(`/?token=${encodeURIComponent(app.token)}`);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(page.url()).not.toContain(app.token);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await context.close();
  });

  test('a wrong link says so on the login page', async ({ browser, app }) => {
    const context = await browser.newContext({ baseURL: app.adminUrl });
    const page = await context.newPage();
    await page.goto('/?token=wrong-token-wrong-token');
    await expect(page.getByText('That sign-in link was not right')).toBeVisible();
    await context.close();
  });
});
