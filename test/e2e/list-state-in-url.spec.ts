/**
 * Lists keep their filters and page in the URL: Back from a lead returns to the list as it was,
 * and a link with filters opens the list filtered.
 */
import type { Page } from '@playwright/test';
import { expect, openView, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

const ROW_HEIGHT = 56;

/** A filter by its label, within the view's toolbar (a label's name also holds its options' text). */
const leadsFilter = (page: Page, label: string) => page.getByRole('search', { name: 'Find leads' }).getByLabel(label);
// The automatic stage, told apart from the owner's own ("Your stage").
const leadsStage = (page: Page) => page.getByRole('search', { name: 'Find leads' }).getByRole('combobox', { name: 'Stage', exact: true });
const runsFilter = (page: Page, label: string) => page.getByRole('group', { name: 'Filter runs' }).getByLabel(label);
const eventsFilter = (page: Page, label: string) => page.getByRole('group', { name: 'Filter events' }).getByLabel(label);

/** The hash's query, as a record (the order of keys does not matter). */
async function hashQuery(page: Page): Promise<Record<string, string>> {
  const hash = new URL(page.url()).hash;
  return Object.fromEntries(new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''));
}

test.describe('Leads', () => {
  const search = (page: Page) => page.getByRole('searchbox', { name: /Search leads/ });

  /** The filtered list as the test left it: same controls, same count, same place. */
  async function expectListAsLeft(page: Page, count: string, topName: string) {
    await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();
    await expect(search(page)).toHaveValue('yuki');
    await expect(leadsStage(page)).toHaveValue('assessment_complete');
    await expect(page.getByRole('columnheader', { name: /Score/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByTestId('lead-count')).toHaveText(count);
    const scroller = page.getByTestId('leads-scroller');
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(12 * ROW_HEIGHT);
    await expect(page.locator('[role=row][data-index="12"] .row-link')).toHaveText(topName);
  }

  test('filter, scroll, open a lead, go Back: the same filters, results and place in the list', async ({ page, app }) => {
    const expected = await app.api('GET', '/api/leads?search=yuki&stage=assessment_complete&limit=1');
    const total = expected.body.total as number;
    expect(total).toBeGreaterThan(30);

    await openView(page, '/leads', 'Leads');
    const entries = await page.evaluate(() => history.length);
    await search(page).fill('yuki');
    await leadsStage(page).selectOption({ label: 'Assessment complete' });
    await page.getByRole('button', { name: /^Score/ }).click();
    const count = `${total} matching leads`;
    await expect(page.getByTestId('lead-count')).toHaveText(count);
    await expect.poll(() => hashQuery(page)).toEqual({ q: 'yuki', stage: 'assessment_complete', sort: 'score' });

    const scroller = page.getByTestId('leads-scroller');
    await scroller.evaluate((el, top) => el.scrollTo({ top }), 12 * ROW_HEIGHT);
    const topRow = page.locator('[role=row][data-index="12"]');
    const topName = (await topRow.locator('.row-link').textContent())!;
    await expect.poll(() => hashQuery(page)).toMatchObject({ row: '12' });

    // Typing, sorting and scrolling replaced the list's history entry rather than adding one each.
    expect(await page.evaluate(() => history.length)).toBe(entries);
    const lead = page.locator('[role=row][data-index="14"]');
    const leadName = (await lead.locator('.row-link').textContent())!;
    await lead.click();
    await expect(page.getByRole('heading', { level: 1, name: leadName })).toBeVisible();

    await page.goBack();
    await expectListAsLeft(page, count, topName);

    // The lead page's own link back does the same.
    await page.locator('[role=row][data-index="13"]').click();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Leads');
    await page.getByRole('link', { name: 'All leads' }).click();
    await expectListAsLeft(page, count, topName);
  });

  test('a link with filters opens the list filtered; a bad value in it is ignored', async ({ page, app }) => {
    const email = uniqueEmail('annlink');
    expect((await app.webhook('lead-optin', { email, first_name: 'Annika', segment: 'fitness' })).status).toBe(202);
    await expect.poll(async () => (await app.api('GET', `/api/leads?search=${email}`)).body.total).toBe(1);

    await openView(page, `/leads?q=${encodeURIComponent(email)}&segment=fitness&status=lukewarm`, 'Leads');
    await expect(search(page)).toHaveValue(email);
    await expect(leadsFilter(page, 'Segment')).toHaveValue('fitness');
    await expect(leadsFilter(page, 'Status')).toHaveValue('');
    await expect(page.getByTestId('lead-count')).toHaveText('1 matching lead');
    await expect(page.getByTestId('lead-row')).toHaveCount(1);
    await expect(page.getByTestId('lead-row')).toContainText('Annika');

    const total = (await app.api('GET', '/api/leads?search=yuki&status=hot&limit=1')).body.total as number;
    expect(total).toBeGreaterThan(1);
    await openView(page, '/leads?q=yuki&status=hot', 'Leads');
    await expect(leadsFilter(page, 'Status')).toHaveValue('hot');
    await expect(page.getByTestId('lead-count')).toHaveText(`${total} matching leads`);
    for (const badge of await page.getByTestId('lead-row').locator('.badge').allTextContents()) expect(badge).toContain('Hot');
  });
});

test.describe('Run history and Events', () => {
  test('runs: filtered by automation, a run opened keeps the filter, and a link opens the list filtered and paged', async ({ page, app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/runs');
    for (const tag of ['runs-a', 'runs-b']) {
      const email = uniqueEmail(tag);
      expect((await app.webhook('assessment', { email, first_name: 'Rune', score: 40 })).status).toBe(202);
    }
    await expect.poll(async () => (await app.api('GET', '/api/runs?flow=assessment&limit=1')).body.total).toBeGreaterThanOrEqual(2);

    await openView(page, '/runs', 'Run history');
    await runsFilter(page, 'Automation').selectOption('assessment');
    await expect.poll(() => hashQuery(page)).toEqual({ flow: 'assessment' });
    const rows = page.getByTestId('run-row');
    await expect(rows.first()).toBeVisible();
    for (const title of await rows.locator('strong').allTextContents()) expect(title).toBe('Assessment completed');

    await rows.nth(1).click();
    await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(runsFilter(page, 'Automation')).toHaveValue('assessment');
    expect(new URL(page.url()).hash).toMatch(/^#\/runs\/[^?]+\?flow=assessment$/);
    await page.goBack();
    await expect(rows.first()).toHaveAttribute('aria-current', 'true');
    await expect(runsFilter(page, 'Automation')).toHaveValue('assessment');

    const total = (await app.api('GET', '/api/runs?flow=assessment&limit=1')).body.total as number;
    await openView(page, '/runs?flow=assessment&offset=1&status=nonsense', 'Run history');
    await expect(runsFilter(page, 'Automation')).toHaveValue('assessment');
    await expect(runsFilter(page, 'Status')).toHaveValue('');
    await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(`2–${Math.min(total, 51)} of ${total}`);
  });

  test('events: a link opens the inbox filtered on a later page; Newer is a step Back undoes', async ({ page, app }) => {
    for (const tag of ['events-a', 'events-b']) expect((await app.webhook('lead-optin', { email: uniqueEmail(tag) })).status).toBe(202);
    const total = (await app.api('GET', '/api/requests?outcome=accepted&limit=1')).body.total as number;
    expect(total).toBeGreaterThanOrEqual(2);

    await openView(page, '/events?outcome=accepted&offset=1', 'Events');
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await expect(eventsFilter(page, 'Result')).toHaveValue('accepted');
    await expect(pager).toContainText(`2–${Math.min(total, 51)} of ${total}`);

    await pager.getByRole('button', { name: 'Newer' }).click();
    await expect(pager).toContainText(`1–${Math.min(total, 50)} of ${total}`);
    expect(await hashQuery(page)).toEqual({ outcome: 'accepted' });
    await page.goBack();
    await expect(pager).toContainText(`2–${Math.min(total, 51)} of ${total}`);
    await expect(eventsFilter(page, 'Result')).toHaveValue('accepted');

    // A new filter starts on the first page, in place of the entry rather than a new one.
    const entries = await page.evaluate(() => history.length);
    await eventsFilter(page, 'Address').selectOption('lead-optin');
    await expect.poll(() => hashQuery(page)).toEqual({ endpoint: 'lead-optin', outcome: 'accepted' });
    await expect(pager).toContainText(/^1–/);
    expect(await page.evaluate(() => history.length)).toBe(entries);
  });
  test('events: the open request is in the URL, so a reload or a shared link shows the same one', async ({ page, app }) => {
    const older = uniqueEmail('events-open-older');
    expect((await app.webhook('lead-optin', { email: older })).status).toBe(202);
    expect((await app.webhook('lead-optin', { email: uniqueEmail('events-open-newer') })).status).toBe(202);
    await openView(page, '/events?endpoint=lead-optin', 'Events');
    const body = page.getByTestId('request-body');
    await expect(body).not.toContainText(older);

    const entries = await page.evaluate(() => history.length);
    await page.getByTestId('request-row').filter({ hasText: older }).click();
    await expect(body).toContainText(older);
    const query = await hashQuery(page);
    expect(query).toMatchObject({ endpoint: 'lead-optin', request: expect.stringMatching(/^\d+$/) });
    expect(await page.evaluate(() => history.length)).toBe(entries);

    await page.reload();
    await expect(body).toContainText(older);
    await expect(page.getByTestId('request-row').filter({ hasText: older })).toHaveAttribute('aria-current', 'true');

    // A new filter leaves the request behind.
    await eventsFilter(page, 'Result').selectOption('accepted');
    await expect.poll(() => hashQuery(page)).toEqual({ endpoint: 'lead-optin', outcome: 'accepted' });
  });
});
