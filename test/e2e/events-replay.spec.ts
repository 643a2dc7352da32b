/**
 * Events' "replay many": opt-ins a form tool signed with a secret the owner had not pasted in
 * yet are refused (401); replaying them by hand before the fix says they are still refused and
 * why; once the right secret is saved, "Replay all refused" for this address and time turns them
 * into leads, each once, and the one request no setting fixes (no email) is still refused, in
 * words. axe-clean; screenshots at 1280 and 800 px, light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { leadbellSignature } from '../../electron/core/ingest/signatures.js';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

const SECRET = 'webhook.lead-optin';

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

test('replay many: refused requests become leads once the secret is fixed, once each, with a summary in words', async ({ page, app }) => {
  test.setTimeout(120_000);
  const right = `whsec_${randomBytes(24).toString('base64')}`;
  const since = new Date(Date.now() - 1000).toISOString();
  const emails = [uniqueEmail('replay-a'), uniqueEmail('replay-b'), uniqueEmail('replay-c')];
  const signed = async (email: string) => {
    const raw = JSON.stringify({ email, first_name: 'Rita' });
    const res = await fetch(`${app.receiverUrl}/api/webhooks/lead-optin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leadbell-signature': leadbellSignature(right, raw) },
      body: raw,
    });
    return res.status;
  };
  const leads = async (email: string) => (await app.api('GET', `/api/leads?search=${encodeURIComponent(email)}`)).body.total as number;
  try {
    expect((await app.api('PUT', `/api/secrets/${SECRET}`, { value: `whsec_${randomBytes(24).toString('base64')}` })).status).toBe(200);
    for (const e of emails) expect(await signed(e)).toBe(401);
    expect((await app.webhook('lead-optin', { first_name: 'Nomail' })).status).toBe(422);

    await openView(page, `/events?endpoint=lead-optin&since=${encodeURIComponent(since)}`, 'Events');
    const rows = page.locator('.request-item');
    await expect(rows).toHaveCount(4);

    // Before the fix: two ticked requests are replayed and still refused, with the reason.
    for (const e of emails.slice(0, 2)) await rows.filter({ hasText: e }).getByRole('checkbox', { name: /^Select .*, refused, / }).check();
    const selectedButton = page.getByRole('button', { name: 'Replay 2 selected' });
    await expect(selectedButton).toBeEnabled();
    await selectedButton.click();
    await expect(page.getByTestId('replay-summary')).toHaveText("2 replayed: 2 still refused (signature check failed: X-Leadbell-Signature does not match the body)");
    await expect(page.getByRole('button', { name: 'Replay selected' })).toBeDisabled();

    // The owner pastes the right secret (Settings), then replays every refused request here.
    expect((await app.api('PUT', `/api/secrets/${SECRET}`, { value: right })).status).toBe(200);
    await page.getByRole('button', { name: 'Replay all refused for this address and this time' }).click();
    const summary = page.getByTestId('replay-summary');
    await expect(summary).toHaveText('4 replayed: 3 went through, 1 still refused (email: is required)');
    await expect(page.getByRole('status').filter({ has: summary })).toContainText('Replay finished');
    for (const e of emails) await expect.poll(() => leads(e), { timeout: 20_000 }).toBe(1);
    await expect(rows.filter({ hasText: emails[0]! }).filter({ hasText: 'Replayed: it went through' })).toHaveCount(1);
    await axeClean(page, ['.replay-many', '.request-list']);
    await shots(page, 'events-replay-many');

    // Again: nothing becomes a lead twice.
    await page.getByRole('button', { name: 'Replay all refused for this address and this time' }).click();
    await expect(summary).toHaveText('1 replayed: 1 still refused (email: is required)');
    for (const e of emails) expect(await leads(e)).toBe(1);
  } finally {
    await app.api('PUT', `/api/secrets/${SECRET}`, { value: null });
  }
});
