/**
 * Failures the owner sees and can fix, against the Loops fake (its documented answers: 401
 * { success: false, message: "Invalid API key" }, 400 with its message, https://loops.so/docs/api-reference):
 * the Connected apps card's states (connected, failing, key refused, calls waiting), Home's banner
 * with Retry all (which changes nothing while the key is refused, and says so), the catch-up offer
 * for leads that arrived before Loops was connected, and the offline banner. axe-clean, with
 * screenshots at 1280 and 800 px, light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { LoopsFake } from '../fakes/loops-fake.js';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

const KEY = 'integration.loops.api_key';

async function axeClean(page: Page, selectors: string[]): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const s of selectors) builder = builder.include(s);
  const { violations } = await builder.analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 800]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('Connected apps and Home tell the truth about Loops, and the owner can fix it', async ({ page, app }) => {
  test.setTimeout(180_000);
  const loops = await LoopsFake.start();
  try {
    // Leads that arrive before Loops is connected: their welcome emails are skipped as not set up.
    const segment = `catch-up-${Date.now().toString(36)}`;
    const early = [uniqueEmail('early-a'), uniqueEmail('early-b'), uniqueEmail('early-c')];
    for (const email of early) expect((await app.webhook('lead-optin', { email, first_name: 'Eve', segment })).status).toBe(202);
    await expect.poll(async () => (await app.api('GET', `/api/integrations/loops/catch-up?segment=${segment}`)).body.leads, { timeout: 20_000 }).toBe(3);

    // Connected: the key works, and Send test says so.
    expect((await app.api('PUT', '/api/settings', { integrations: { loops: { base_url: loops.url } } })).status).toBe(200);
    expect((await app.api('PUT', `/api/secrets/${KEY}`, { value: loops.apiKey })).status).toBe(200);
    await openView(page, '/apps', 'Connected apps');
    const card = page.getByRole('region', { name: 'Loops', exact: true });
    await card.getByRole('button', { name: 'Send test to Loops' }).click();
    await expect(page.getByTestId('test-answer-loops')).toContainText('Loops accepted the test');
    await expect(card.getByText('Connected', { exact: true })).toBeVisible();

    // Catch-up: the offer names the leads; the owner picks the segment, and each gets one email.
    const offer = page.getByTestId('catch-up-loops');
    await expect(offer).toContainText(/Send the welcome emails.* to the [\d,]+ leads that arrived before Loops was connected/);
    await offer.getByRole('combobox', { name: 'Which leads' }).selectOption('segment');
    await offer.getByRole('textbox', { name: 'Segment' }).fill(segment);
    await axeClean(page, ['[data-testid="catch-up-loops"]', '[data-testid="health-loops"]']);
    await shots(page, 'connected-apps-catch-up');
    await offer.getByRole('button', { name: 'Send to 3 leads' }).click();
    await expect(page.getByText(/calls to Loops will go out now/)).toBeVisible();
    await expect.poll(() => early.map((e) => loops.sendsTo(e, 'email-1-immediate-cta').length), { timeout: 20_000 }).toEqual([1, 1, 1]);

    // Failing: Loops cannot be reached; the card says so and counts the call waiting with its next try.
    loops.server.down();
    expect((await app.webhook('assessment', { email: uniqueEmail('down'), score: 10 })).status).toBe(202);
    await expect(card.getByText('Failing', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('health-loops')).toContainText('Loops could not be reached');
    await expect(page.getByTestId('health-loops')).toContainText(/1 call waiting \(next try in/);
    await axeClean(page, ['[data-testid="health-loops"]']);
    await shots(page, 'connected-apps-failing');
    await openView(page, '/', /^Good (morning|afternoon|evening)/);
    await expect(page.getByTestId('failure-banner')).toContainText(/1 call to Loops is being retried: Loops could not be reached/);
    // Back up, and its settings saved again: the waiting call goes now.
    loops.server.down(false);
    expect((await app.api('PUT', '/api/settings', { integrations: { loops: { base_url: loops.url } } })).status).toBe(200);
    await expect(page.getByTestId('failure-banner')).toHaveCount(0, { timeout: 20_000 });

    // A refusal for good, then a refused key: the banner counts the first and names the second's cause.
    loops.server.failNext(1, { status: 400, json: { success: false, message: 'Invalid event properties' } }, (r) => r.path.endsWith('/events/send'));
    expect((await app.webhook('assessment', { email: uniqueEmail('refused'), score: 10 })).status).toBe(202);
    const banner = page.getByTestId('failure-banner');
    await expect(banner).toContainText('1 nurture start could not be sent: Loops refused the data: Invalid event properties');
    expect((await app.api('PUT', `/api/secrets/${KEY}`, { value: 'loops_wrong_key_0000' })).status).toBe(200);
    expect((await app.webhook('assessment', { email: uniqueEmail('paused'), score: 10 })).status).toBe(202);
    await expect(banner).toContainText('1 nurture start could not be sent: Loops refused the API key', { timeout: 20_000 });
    await expect(banner).toContainText('1 more wait for the new key');
    // Retry all while the key is still refused: nothing changes, and it says why.
    await banner.getByRole('button', { name: 'Retry all: Loops' }).click();
    await expect(page.getByText('Loops still refuses its API key, so nothing was retried', { exact: false })).toBeVisible();
    await expect(banner).toContainText('1 nurture start could not be sent');
    await axeClean(page, ['[data-testid="failure-banner"]']);
    await shots(page, 'home-failure-banner');

    // Run history offers the same, per app, and says the same.
    await openView(page, '/runs', 'Run history');
    const byApp = page.getByTestId('retry-by-app');
    await expect(byApp).toContainText('1 call to Loops could not be sent: Loops refused the API key');
    await byApp.getByRole('button', { name: 'Retry all failed: Loops' }).click();
    await expect(page.getByText('Loops still refuses its API key, so nothing was retried', { exact: false }).first()).toBeVisible();
    await axeClean(page, ['[data-testid="retry-by-app"]']);

    // The owner chooses to have the team told in Slack too.
    await openView(page, '/settings', 'Settings');
    await page.getByRole('combobox', { name: "When an app's calls fail for good" }).selectOption('slack');
    await expect.poll(async () => (await app.api('GET', '/api/settings')).body.settings.app.problem_message).toBe('slack');
    await app.api('PUT', '/api/settings', { app: { problem_message: 'off' } });

    await openView(page, '/apps', 'Connected apps');
    await expect(card.getByText('Key refused: update the key')).toBeVisible();
    await expect(page.getByTestId('health-loops')).toContainText('1 call waiting: they go as soon as you save a new key');
    await shots(page, 'connected-apps-key-refused');

    // The new key: the waiting call goes at once; Retry all sends the refused one.
    expect((await app.api('PUT', `/api/secrets/${KEY}`, { value: loops.apiKey })).status).toBe(200);
    await openView(page, '/', /^Good (morning|afternoon|evening)/);
    await banner.getByRole('button', { name: 'Retry all: Loops' }).click();
    await expect(page.getByText('1 call to Loops will be tried again now')).toBeVisible();
    await expect(banner).toHaveCount(0, { timeout: 20_000 });
  } finally {
    // The app is shared with the other browser tests: Loops is not set up for them.
    await app.api('PUT', `/api/secrets/${KEY}`, { value: null });
    await loops.stop();
  }
});

test('the UI says so when it loses contact with the core, and recovers by itself', async ({ page }) => {
  await openView(page, '/', /^Good (morning|afternoon|evening)/);
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  const offline = page.getByText('Leadbell is not answering');
  await expect(offline).toBeVisible({ timeout: 15_000 });
  await axeClean(page, ['main > .notice']);
  await shots(page, 'offline-banner');
  await page.unroute('**/api/**');
  await expect(offline).toHaveCount(0, { timeout: 15_000 });
});
