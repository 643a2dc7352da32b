import fs from 'node:fs';
import { seededLead } from './support/seed-leads.js';
import { expect, openView, test } from './fixtures.js';

test.describe('Leads over thousands of rows', () => {
  test('search by email, name and phone finds the right lead among thousands', async ({ page, app }) => {
    await openView(page, '/leads', 'Leads');
    await expect(page.getByTestId('lead-count')).toContainText(/\d,\d{3} leads/);
    const search = page.getByRole('searchbox', { name: /Search leads/ });
    const rows = page.getByTestId('lead-row');

    const target = seededLead(2345);
    await search.fill(target.email);
    await expect(page.getByTestId('lead-count')).toHaveText('1 matching lead');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(target.email);

    await search.fill(target.phone);
    await expect(page.getByTestId('lead-count')).toHaveText('1 matching lead');
    await expect(rows.first()).toContainText(target.phone);

    // A first name shared by many: every row shown matches it.
    await search.fill('Yuki');
    await expect(page.getByTestId('lead-count')).toContainText('matching leads');
    const names = await rows.locator('.cell-name').allTextContents();
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(n.toLowerCase()).toContain('yuki');

    await search.fill('nobody-has-this-name');
    await expect(page.getByText('No leads match')).toBeVisible();
    expect(app.seeded).toBeGreaterThan(1000);
  });

  test('the table is virtualized: scrolling deep loads rows, while only a screenful exists in the page', async ({ page, app }) => {
    await openView(page, '/leads', 'Leads');
    const scroller = page.getByTestId('leads-scroller');
    await expect(page.getByTestId('lead-row').first()).toBeVisible();
    const table = page.getByRole('table', { name: 'Leads' });
    const rowCount = Number(await table.getAttribute('aria-rowcount'));
    expect(rowCount).toBeGreaterThan(app.seeded);
    expect(await page.locator('[role=row][data-index]').count()).toBeLessThan(80);

    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight * 0.8 }));
    // Rows far down the list arrive (fetched by offset) and replace the placeholders.
    const loaded = page.locator('[data-testid=lead-row]');
    await expect
      .poll(async () => Math.min(...(await loaded.evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.index))))))
      .toBeGreaterThan(app.seeded * 0.7);
    await expect(loaded.first().locator('.row-link')).not.toBeEmpty();
    expect(await page.locator('[role=row][data-index]').count()).toBeLessThan(80);
  });

  test('filters and sorting: hot leads by score, highest first', async ({ page }) => {
    await openView(page, '/leads', 'Leads');
    await page.getByLabel('Status').selectOption('hot');
    await page.getByRole('button', { name: /^Score/ }).click();
    await expect(page.getByRole('columnheader', { name: /Score/ })).toHaveAttribute('aria-sort', 'descending');
    const rows = page.getByTestId('lead-row');
    await expect(rows.first()).toBeVisible();
    const badges = await rows.locator('.badge').allTextContents();
    expect(badges.every((b) => b.includes('Hot'))).toBe(true);
    const scores = (await rows.locator('.cell.num:nth-child(3)').allTextContents()).map(Number);
    expect(scores.length).toBeGreaterThan(3);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    await page.getByLabel('Segment').fill('fitness');
    await expect(page.getByTestId('lead-count')).toContainText('matching');
    await expect(rows.first()).toContainText('fitness');
    for (const seg of await rows.locator('.cell:nth-child(5)').allTextContents()) expect(seg).toBe('fitness');
  });

  test('keyboard: arrows move through rows and Enter opens the lead', async ({ page }) => {
    await openView(page, '/leads', 'Leads');
    await page.getByRole('searchbox', { name: /Search leads/ }).fill('maria');
    await expect(page.getByTestId('lead-count')).toContainText('matching');
    const first = page.locator('[role=row][data-index="0"]');
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = page.locator('[role=row][data-index="2"]');
    await expect(third).toBeFocused();
    const name = (await third.locator('.row-link').textContent())!;
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  });

  test('while a filter loads, the count is the shown rows\' count, marked updating, never an old total called matching', async ({ page }) => {
    await openView(page, '/leads', 'Leads');
    const count = page.getByTestId('lead-count');
    await expect(count).not.toContainText('updating');
    const unfiltered = (await count.textContent())!;
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/leads\?.*status=warm/, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Status').selectOption('warm');
    await expect(count).toContainText('updating');
    expect(await count.textContent()).toBe(`${unfiltered} · updating…`);
    release();
    await expect(count).toContainText('matching');
    await expect(count).not.toContainText('updating');
    await page.unroute(/\/api\/leads\?.*status=warm/);
  });

  test('CSV export downloads the filtered leads', async ({ page }) => {
    await openView(page, '/leads', 'Leads');
    await page.getByLabel('Status').selectOption('hot');
    await expect(page.getByTestId('lead-count')).toContainText('matching');
    await expect(page.getByTestId('lead-count')).not.toContainText('updating');
    const count = Number((await page.getByTestId('lead-count').textContent())!.replace(/\D/g, ''));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^leadbell-leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toContain('email');
    expect(csv.length - 1).toBe(count);
    expect(csv.slice(1).every((line) => line.includes(',hot,'))).toBe(true);
  });

  test('CSV export honours the segment and stage filters, not only search and status', async ({ page, app }) => {
    const expected = (await app.api('GET', '/api/leads?segment=beauty-salon&stage=assessment_complete&limit=1')).body.total as number;
    const all = (await app.api('GET', '/api/leads?limit=1')).body.total as number;
    expect(expected).toBeGreaterThan(10);
    expect(expected).toBeLessThan(all);

    await openView(page, '/leads', 'Leads');
    const find = page.getByRole('search', { name: 'Find leads' });
    await find.getByLabel('Segment').fill('beauty-salon');
    await find.getByRole('combobox', { name: 'Stage', exact: true }).selectOption({ label: 'Assessment complete' });
    await expect(page.getByTestId('lead-count')).toHaveText(`${expected.toLocaleString('en-US')} matching leads`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const [header, ...rows] = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    const columns = header!.split(',');
    expect(rows).toHaveLength(expected);
    for (const row of rows) {
      const cells = row.split(',');
      expect(cells[columns.indexOf('segment')]).toBe('beauty-salon');
      expect(cells[columns.indexOf('stage')]).toBe('assessment_complete');
    }
  });

  test('stage is picked by its words, and segment matches whatever the case or separator', async ({ page, app }) => {
    const total = async (q: string) => (await app.api('GET', `/api/leads?${q}&limit=1`)).body.total as number;
    const quiz = await total('stage=assessment_complete');
    const salons = await total('segment=beauty-salon');
    const both = await total('segment=beauty-salon&stage=assessment_complete');
    expect(quiz).toBeGreaterThan(10);
    expect(both).toBeGreaterThan(0);
    const count = page.getByTestId('lead-count');
    const matching = (n: number) => `${n.toLocaleString('en-US')} matching leads`;

    await openView(page, '/leads', 'Leads');
    const find = page.getByRole('search', { name: 'Find leads' });
    const stage = find.getByRole('combobox', { name: 'Stage', exact: true });
    // The choices are the words the lead's page uses, never internal names.
    expect(await stage.locator('option').allTextContents()).toEqual(['Any', 'Signed up', 'Assessment complete', 'Booked', 'Booking canceled', 'Customer']);
    await stage.selectOption({ label: 'Assessment complete' });
    await expect(count).toHaveText(matching(quiz));
    await expect(page.getByTestId('lead-row').first()).toBeVisible();

    await find.getByLabel('Segment').fill('Beauty Salon');
    await expect(count).toHaveText(matching(both));
    for (const seg of await page.getByTestId('lead-row').locator('.cell:nth-child(5)').allTextContents()) expect(seg).toBe('beauty-salon');
    await stage.selectOption({ label: 'Any' });
    await expect(count).toHaveText(matching(salons));

    // A lead shows its stage in the same words.
    await page.getByTestId('lead-row').first().click();
    await expect(page.locator('.profile')).toContainText(/Automatic stage\s*(Signed up|Assessment complete)/);

    // A link may name the stage by its words; the list opens with it picked.
    await openView(page, '/leads?stage=assessment%20complete', 'Leads');
    await expect(stage).toHaveValue('assessment_complete');
    await expect(count).toHaveText(matching(quiz));
  });

  test('at the window\'s narrowest, 880px, every column shown fits; narrower, the table scrolls sideways, its header in step', async ({ page }) => {
    await page.setViewportSize({ width: 880, height: 800 });
    await openView(page, '/leads', 'Leads');
    const table = page.getByRole('table', { name: 'Leads' });
    const scroller = page.getByTestId('leads-scroller');
    const rows = page.getByTestId('lead-row');
    await expect(rows.first()).toBeVisible();

    /** The shown columns' cells, header and rows, against the table's visible box. */
    const layout = () =>
      table.evaluate((t) => {
        const box = t.getBoundingClientRect();
        const shown = (el: Element) => getComputedStyle(el).display !== 'none';
        const heads = [...t.querySelectorAll('[role=columnheader]')].filter(shown);
        const body = t.querySelector('[data-testid=leads-scroller]')!;
        const first = [...t.querySelectorAll('[data-testid=lead-row] [role=cell]')].slice(0, 7).filter(shown);
        const cells = [...t.querySelectorAll('[role=columnheader], [data-testid=lead-row] [role=cell]')].filter(shown);
        return {
          headers: heads.map((h) => h.textContent!.replace(/[▲▼↕]/g, '').trim()),
          outside: cells.filter((c) => {
            const r = c.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5;
          }).length,
          cutLabels: heads.filter((h) => h.scrollWidth > h.clientWidth).map((h) => h.textContent),
          sideways: body.scrollWidth - body.clientWidth,
          // Each header over its column: the same left edge as the first row's cell.
          misaligned: heads.filter((h, i) => Math.abs(h.getBoundingClientRect().left - first[i]!.getBoundingClientRect().left) > 0.5).length,
        };
      });

    const at880 = await layout();
    // When a lead came in (date and time) outranks its segment in a narrow table.
    expect(at880.headers).toEqual(['Name', 'Status', 'Score', 'Engagement', 'Added']);
    await expect(rows.first().locator('.col-added')).toHaveText(/\d{1,2}:\d{2}/);
    expect(at880).toMatchObject({ outside: 0, cutLabels: [], sideways: 0, misaligned: 0 });

    // Keyboard and click still open leads.
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    const second = page.locator('[role=row][data-index="1"]');
    await expect(second).toBeFocused();
    const name = (await second.locator('.row-link').textContent())!;
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.goBack();
    await expect(rows.first()).toBeVisible();
    const clicked = (await rows.first().locator('.row-link').textContent())!;
    await rows.first().locator('.col-score').click();
    await expect(page.getByRole('heading', { level: 1, name: clicked })).toBeVisible();
    await page.goBack();
    await expect(rows.first()).toBeVisible();

    // Wider: the phone and the date come back.
    await page.setViewportSize({ width: 1360, height: 800 });
    await expect.poll(async () => (await layout()).headers).toEqual(['Name', 'Status', 'Score', 'Engagement', 'Segment', 'Phone', 'Added']);
    expect(await layout()).toMatchObject({ outside: 0, cutLabels: [], sideways: 0, misaligned: 0 });

    // At 800px the menu shrinks to icons and every column shown still fits.
    await page.setViewportSize({ width: 800, height: 800 });
    await expect.poll(async () => (await layout()).headers).toEqual(['Name', 'Status', 'Score', 'Engagement', 'Added']);
    expect(await layout()).toMatchObject({ outside: 0, cutLabels: [], sideways: 0, misaligned: 0 });

    // Narrower than the columns' minimum (a browser window, not the app's): the body scrolls
    // sideways, the header moves with it, and the end of the last column can be reached.
    await page.setViewportSize({ width: 660, height: 800 });
    await expect.poll(async () => (await layout()).sideways).toBeGreaterThan(0);
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(async () => (await layout()).misaligned).toBe(0);
    expect(await page.locator('.vhead').evaluate((h) => h.scrollLeft)).toBeGreaterThan(0);
    const added = await page.getByRole('columnheader', { name: 'Added' }).boundingBox();
    const box = (await table.boundingBox())!;
    expect(added!.x + added!.width).toBeLessThanOrEqual(box.x + box.width);
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[role=row][data-index="1"]')).toBeFocused();
    expect(await scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});
