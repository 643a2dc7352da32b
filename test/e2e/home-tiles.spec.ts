/**
 * Home's four numbers are links to the lists they count: each opens its list filtered to the same
 * rows (from the same start of today), and the list shows as many as the tile said.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

const HOME = /Good (morning|afternoon|evening)/;
const number = (text: string) => Number(text.replace(/[^\d]/g, ''));

async function tileNumber(tile: Locator): Promise<number> {
  return number(await tile.locator('.tile-value').innerText());
}

/** The total a paged list reports ("1–50 of 73"), or 0 when it is empty. */
async function pagedTotal(page: Page): Promise<number> {
  const pager = page.getByRole('navigation', { name: 'Pages' });
  if (!(await pager.isVisible())) return 0;
  return number((await pager.locator('.muted').innerText()).split(' of ')[1] ?? '');
}

test.describe('Home tiles open the list they count', () => {
  test('each tile is a named link; its list shows as many rows as its number', async ({ page, app }) => {
    // Today's activity: sign-ups, one hot and one cool quiz, and an opt-in whose automation fails.
    const hot = uniqueEmail('tile-hot');
    const cool = uniqueEmail('tile-cool');
    for (const email of [hot, cool]) expect((await app.webhook('lead-optin', { email, first_name: 'Tia' })).status).toBe(202);
    expect((await app.webhook('assessment', { email: hot, first_name: 'Tia', score: 91 })).status).toBe(202);
    expect((await app.webhook('assessment', { email: cool, first_name: 'Tia', score: 35 })).status).toBe(202);
    const failing = `tile-no-email-${Date.now()}`;
    expect((await app.webhook('events', { event: 'lead.opted_in', id: failing, payload: { first_name: 'Nomail' } })).status).toBe(202);
    await expect
      .poll(async () => (await app.api('GET', `/api/leads?search=${encodeURIComponent(hot)}`)).body.items[0]?.status)
      .toBe('hot');
    await expect.poll(async () => (await app.api('GET', '/api/stats')).body.today.failed_runs).toBeGreaterThan(0);

    await openView(page, '/', HOME);
    const tiles = page.getByRole('region', { name: 'Today' }).getByTestId('stat-tile');
    await expect(tiles).toHaveCount(4);
    // A link named by its number and label, reachable from the keyboard with a visible ring.
    const failed = page.getByRole('link', { name: /^\d[\d,]* Automations that failed or are retrying$/ });
    await expect(failed).toBeVisible();
    await failed.focus();
    await expect(failed).toBeFocused();
    expect(await failed.evaluate((e) => getComputedStyle(e).boxShadow)).toMatch(/3px/);
    await screenshot(page, 'home-tiles-focus');

    // Hot leads today: the Leads list, hot ones changed today, as many as the tile says.
    const hotTile = page.getByRole('link', { name: /Hot leads today$/ });
    const hotCount = await tileNumber(hotTile);
    expect(hotCount).toBeGreaterThan(0);
    await hotTile.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();
    await expect(page).toHaveURL(/#\/leads\?.*status=hot/);
    await expect(page.getByLabel('Status')).toHaveValue('hot');
    await expect(page.getByTestId('since-filter')).toHaveText('Changed today');
    await expect(page.getByTestId('lead-count')).toHaveText(`${hotCount.toLocaleString('en-US')} matching ${hotCount === 1 ? 'lead' : 'leads'}`);
    await expect(page.getByTestId('lead-row').filter({ hasText: hot })).toBeVisible();
    await expect(page.getByTestId('lead-row').filter({ hasText: cool })).toHaveCount(0);
    // The seeded month has older hot leads: clearing "today" shows them too.
    await page.getByRole('button', { name: 'Show all, not only changed today' }).click();
    await expect(page.getByTestId('since-filter')).toHaveCount(0);
    await expect.poll(async () => number(await page.getByTestId('lead-count').innerText())).toBeGreaterThan(hotCount);

    // New leads today: the Leads list, newest first, added today.
    await openView(page, '/', HOME);
    const newTile = page.getByRole('link', { name: /New leads today$/ });
    const newCount = await tileNumber(newTile);
    await newTile.click();
    await expect(page.getByTestId('since-filter')).toHaveText('Added today');
    await expect(page.getByRole('columnheader', { name: /Added/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByTestId('lead-count')).toHaveText(`${newCount.toLocaleString('en-US')} matching leads`);
    await expect(page.getByTestId('lead-row').first()).toContainText(/tile-(hot|cool)/);

    // Events today: received requests, today's.
    await openView(page, '/', HOME);
    const eventsTile = page.getByRole('link', { name: /Events today$/ });
    const eventsCount = await tileNumber(eventsTile);
    expect(eventsCount).toBeGreaterThanOrEqual(5);
    await eventsTile.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    await expect(page.getByLabel('Result')).toHaveValue('accepted');
    await expect(page.getByTestId('since-filter')).toHaveText('Received today');
    await expect(page.getByTestId('request-row').first()).toBeVisible();
    await expect.poll(() => pagedTotal(page)).toBe(eventsCount);

    // Automations that failed: Run history, failed or partly failed runs started today.
    await openView(page, '/', HOME);
    const failedCount = await tileNumber(failed);
    expect(failedCount).toBeGreaterThan(0);
    await failed.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('failed-or-partial');
    await expect(page.getByRole('combobox', { name: 'Status' }).locator('option:checked')).toHaveText('Failed, partly done or retrying');
    await expect(page.getByTestId('since-filter')).toHaveText('Started today');
    await expect(page.getByTestId('run-row').first()).toBeVisible();
    await expect.poll(() => pagedTotal(page)).toBe(failedCount);
    for (const badge of await page.getByTestId('run-row').locator('.badge').allTextContents()) expect(badge).toMatch(/Failed|Partly done/);
    await screenshot(page, 'runs-failed-today');
  });
});
