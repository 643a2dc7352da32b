/**
 * A held request, end to end in the browser: a sender whose body Leadbell cannot read is answered
 * 202 held; Home says the requests are waiting; the owner picks the email and name fields of the
 * real request, previews the result and saves; each waiting request then becomes exactly one
 * event and lead, and the sender's next request is read at once.
 */
import { expect, openView, screenshot, test, uniqueEmail, type AppInfo } from './fixtures.js';

/** A booking widget that sends its answers under its own keys, the address as "Name <address>". */
const booking = (name: string, email: string) => ({ booking: { guest: name, reach_me_at: `${name} <${email}>`, service: 'Colour and cut' } });

const eventsFor = async (app: AppInfo, email: string) => (await app.api('GET', `/api/events?event=lead.opted_in&search=${encodeURIComponent(email)}`)).body.total as number;

test('held requests are shown, mapped by clicking their fields, and then go through once each', async ({ page, app }) => {
  const guests = ['Mia Rossi', 'Jo Park', 'Ana Lima'].map((name) => ({ name, email: uniqueEmail(name.split(' ')[0]!.toLowerCase()) }));
  for (const g of guests) {
    const r = await app.webhook('lead-optin', booking(g.name, g.email));
    expect(r).toEqual({ status: 202, body: { status: 'held' } });
  }

  await openView(page, '/', /Good/);
  const notice = page.getByRole('status').filter({ hasText: '3 requests from a new sender are waiting: show Leadbell which field is the email' });
  await expect(notice).toBeVisible();
  await openView(page, '/events', 'Events');
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Show Leadbell' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Show Leadbell where the details are' })).toBeVisible();

  // The real request's fields, with what they held.
  const fields = page.getByRole('table', { name: 'Fields of the first waiting request' });
  await expect(fields.getByRole('row', { name: /booking › reach_me_at/ })).toContainText(`Mia Rossi <${guests[0]!.email}>`);
  await expect(page.getByRole('button', { name: 'Preview' })).toBeDisabled();
  await page.getByLabel('What “booking › reach_me_at” holds').selectOption({ label: 'Email' });
  await page.getByLabel('What “booking › guest” holds').selectOption({ label: 'Full name' });
  await page.getByRole('button', { name: 'Preview' }).click();

  const preview = page.getByRole('table', { name: 'Preview' });
  for (const g of guests) await expect(preview.getByRole('row', { name: new RegExp(g.email.replace(/[.+]/g, '\\$&')) })).toContainText(g.name);
  await expectNamedControls(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `map-sender-${width}-${theme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Save and let the 3 waiting requests through' }).click();
  await expect(page.getByText('The 3 waiting requests are going through your automations now')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await expect(notice).toHaveCount(0);

  // Each became exactly one event and one lead, with the name split.
  for (const g of guests) await expect.poll(() => eventsFor(app, g.email)).toBe(1);
  await expect
    .poll(async () => (await app.api('GET', `/api/leads?search=${encodeURIComponent(guests[0]!.email)}`)).body.items[0]?.last_name)
    .toBe('Rossi');

  // The sender's next request is read at once.
  const next = { name: 'Lu Chen', email: uniqueEmail('lu') };
  const r = await app.webhook('lead-optin', booking(next.name, next.email));
  expect(r.status).toBe(202);
  expect(r.body.status).toBe('accepted');
  for (const g of guests) expect(await eventsFor(app, g.email)).toBe(1);
});

/** The accessibility spec's check, for this view: one page title, and every visible control named. */
async function expectNamedControls(page: import('@playwright/test').Page) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  const controls = page.locator('button, input:not([type=hidden]), select, textarea, a[href]');
  for (let i = 0; i < (await controls.count()); i++) {
    const c = controls.nth(i);
    if (await c.isVisible()) await expect(c).toHaveAccessibleName(/\S/);
  }
}

test('an address per form: added in Settings, copied, and receiving with its own segment and source', async ({ page, app }) => {
  await openView(page, '/settings', 'Settings');
  const card = page.getByRole('region', { name: 'An address per form' });
  await card.getByLabel('New address for').fill('Spring promo form');
  await expect(card.getByText('Its address ends with /api/webhooks/spring-promo-form')).toBeVisible();
  await card.getByRole('button', { name: 'Add address' }).click();
  await expect(page.getByText('Added: Spring promo form')).toBeVisible();

  const row = card.getByTestId('named-endpoint').filter({ hasText: 'Spring promo form' });
  await row.locator(':scope > summary').click();
  // The address to paste is the public one; without one, the owner is told, and the copy is labelled as this computer's only.
  const listing = (await app.api('GET', '/api/endpoints')).body.items.find((e: { name: string }) => e.name === 'spring-promo-form');
  if (listing.public_url) {
    await expect(row.getByRole('button', { name: 'Copy the Spring promo form address' })).toBeVisible();
    await expect(row.locator('.copy-value')).toHaveText(listing.public_url);
    await expect(row).not.toContainText(listing.local_url);
  } else {
    await expect(row.getByText('Your tools cannot reach this address yet')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Copy the Spring promo form address for this computer only' })).toBeVisible();
  }
  await row.getByLabel('Segment').fill('beauty-salon');
  await row.getByLabel('Source').fill('spring-promo');
  await row.getByLabel('Source').blur();
  await expect.poll(async () => (await app.api('GET', '/api/settings')).body.settings.receiver.named_endpoints[0]?.source).toBe('spring-promo');
  await row.getByText('Where to paste it').click();
  await expect(row.getByRole('heading', { name: 'Typeform' })).toBeVisible();
  // The steps never give an outside tool this computer's address.
  await expect(row.locator('.tool-steps')).not.toContainText(listing.local_url);
  await expectNamedControls(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/named-endpoint-${width}-${theme}.png` });
    }
  }

  const email = uniqueEmail('spring');
  expect((await app.webhook('spring-promo-form', { email, first_name: 'Ivy' })).status).toBe(202);
  const ev = (await app.api('GET', `/api/events?search=${encodeURIComponent(email)}`)).body.items[0];
  expect(ev).toMatchObject({ source: 'spring-promo-form', payload: { segment: 'beauty-salon', source: 'spring-promo' } });
  await app.api('PUT', '/api/settings', { receiver: { named_endpoints: [] } });
});
