/**
 * The owner works leads in the browser: edits one, adds a note, moves the stage, sets a reminder,
 * marks do-not-contact, exports and erases a person, imports a CSV, clears test leads. Each view
 * is checked with axe and saved at 1280 and 800 px, light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

async function axeClean(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('main').analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).join("; ")}`)).toEqual([]);
}

async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1280, 800]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await axeClean(page);
      await screenshot(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function openLead(page: Page, email: string, name: string): Promise<void> {
  await openView(page, '/leads', 'Leads');
  await page.getByRole('searchbox', { name: /Search leads/ }).fill(email);
  await page.getByTestId('lead-row').filter({ hasText: email }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('the owner edits a lead, adds a note, moves the stage, sets a reminder and marks do-not-contact', async ({ page, app }) => {
  const email = uniqueEmail('work');
  expect((await app.webhook('lead-optin', { email, first_name: 'Wren', phone: '+44 20 7946 0958', segment: 'fitness' })).status).toBe(202);
  await openLead(page, email, 'Wren');
  await expect(page.getByRole('link', { name: email }).first()).toHaveAttribute('href', `mailto:${email}`);
  await expect(page.getByRole('link', { name: '+44 20 7946 0958' })).toHaveAttribute('href', 'tel:+442079460958');

  // Edit: a bad phone is refused by name; a good edit is saved and shows on the timeline.
  await page.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit lead' });
  await form.getByLabel('Last name').fill('Hart');
  await form.getByLabel('Phone').fill('x'.repeat(60));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('must be at most 50 characters')).toBeVisible();
  await form.getByLabel('Phone').fill('+44 20 7946 0999');
  await form.getByLabel('Tags').fill('VIP, mornings');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Wren Hart' })).toBeVisible();
  await expect(page.getByText('VIP, mornings')).toBeVisible();

  // A note, and the stage the owner sets.
  await page.getByLabel('Add a note').fill('Called: wants a Thursday trial class');
  await page.getByRole('button', { name: 'Add note' }).click();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByTestId('timeline-note')).toContainText('Called: wants a Thursday trial class');
  await page.getByLabel('Your stage').selectOption('booked');
  await expect(timeline.getByTestId('timeline-owner_stage')).toContainText('Stage moved to Booked');

  // Remind me tomorrow at 10:00.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T10:00`;
  await page.getByLabel('Remind me on').fill(local);
  await page.getByLabel('About').fill('Confirm the trial');
  await page.getByRole('button', { name: 'Remind me' }).click();
  await expect(page.getByRole('list', { name: 'Reminders' })).toContainText('Confirm the trial');

  // Do not contact, with the reason.
  await page.getByRole('button', { name: 'Do not contact' }).click();
  await page.getByLabel('Why (optional)').fill('Asked on the phone');
  await page.getByRole('button', { name: 'Mark do not contact' }).click();
  await expect(page.getByText(/Do not contact — marked by you on/)).toBeVisible();
  await expect(timeline.getByTestId('timeline-do_not_contact')).toContainText('Marked do not contact');
  await shots(page, 'lead-work');

  const stored = (await app.api('GET', `/api/leads/${encodeURIComponent(email)}`)).body;
  expect(stored.lead).toMatchObject({ last_name: 'Hart', phone: '+44 20 7946 0999', tags: ['VIP', 'mornings'], owner_stage: 'booked', do_not_contact: { reason: 'owner', note: 'Asked on the phone' } });
  expect(stored.reminders).toHaveLength(1);
});

test('the owner exports a person, then erases them', async ({ page, app }) => {
  const email = uniqueEmail('erase');
  expect((await app.webhook('lead-optin', { email, first_name: 'Esme' })).status).toBe(202);
  await openLead(page, email, 'Esme');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export everything (JSON)' }).click();
  const file = await (await download).path();
  const person = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(person.lead.email).toBe(email);
  expect(person.events.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Erase this person' }).click();
  await expect(page.getByText(`Erase ${email} for good?`)).toBeVisible();
  await axeClean(page);
  await page.getByRole('button', { name: 'Yes, erase everything' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Erased' })).toBeVisible();
  await expect(page.getByTestId('erasure-result')).toContainText('Erased from Leadbell: the lead, 1 events');
  await shots(page, 'lead-erased');
  expect((await app.api('GET', `/api/leads/${encodeURIComponent(email)}`)).status).toBe(404);
});

test('the owner imports a CSV and clears test leads', async ({ page, app }) => {
  const a = uniqueEmail('import-a');
  const b = uniqueEmail('import-b');
  await openView(page, '/leads', 'Leads');
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await page.getByLabel('Choose the file', { exact: true }).setInputFiles({
    name: 'clients.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`Email,First Name,Mobile\n${a},Ida,07700 900111\nnot an email,Bad,\n${b},Ivo,\n`),
  });
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('3 rows: 2 new leads');
  await expect(preview.getByRole('list', { name: 'Rows that cannot be imported' })).toContainText('Row 3: Email (required) must be a valid email address');
  await expect(preview.getByLabel('Email (required)')).toHaveValue('Email');
  await shots(page, 'leads-import-preview');
  await preview.getByRole('button', { name: 'Import 2 leads' }).click();
  await expect(page.getByText('2 leads imported')).toBeVisible();
  expect((await app.api('GET', `/api/leads/${encodeURIComponent(a)}`)).body.lead).toMatchObject({ first_name: 'Ida', phone: '07700 900111', source: 'imported' });

  // A test-fire makes a test lead: hidden, shown on asking, cleared at once.
  const t = uniqueEmail('testlead');
  expect((await app.api('POST', '/api/test-fire', { endpoint: 'lead-optin', body: { email: t, first_name: 'Tess' } })).status).toBe(200);
  await expect.poll(async () => (await app.api('GET', `/api/leads/${encodeURIComponent(t)}`)).status).toBe(200);
  await openView(page, '/leads', 'Leads');
  await page.getByLabel('Test leads').selectOption('only');
  await expect(page.getByTestId('lead-row').filter({ hasText: t })).toBeVisible();
  await shots(page, 'leads-test-leads');
  await page.getByRole('button', { name: /^Clear \d+ test leads?$/ }).click();
  await expect(page.getByText(/test leads? cleared/)).toBeVisible();
  await expect(page.getByTestId('lead-row').filter({ hasText: t })).toHaveCount(0);
  expect((await app.api('GET', `/api/leads/${encodeURIComponent(t)}`)).status).toBe(404);
});
