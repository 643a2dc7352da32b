/**
 * Settings → Backups and Settings → Alerts in the browser, against the headless app: the
 * passphrase, a folder that cannot be used refused under its field, a chosen one, "Back up now",
 * the list with date and lead count, a wrong passphrase refused, and a restore that restarts
 * Leadbell on the backup (a lead that came after it is gone, the safety copy kept). Alerts:
 * which events ring, sound and quiet hours, saved as chosen. axe-clean, with screenshots at 1280
 * and 800 px, light and dark.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

const PASSPHRASE = 'salon backups 2026';

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

test('Backups: passphrase, folder, back up now, and a restore that restarts on the backup', async ({ page, app }) => {
  test.setTimeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbell-e2e-backups-'));
  await openView(page, '/settings', 'Settings');
  const card = page.getByRole('region', { name: 'Backups' });
  await expect(card.getByText("Backups are on this computer's own disk")).toBeVisible();
  await expect(card.getByRole('button', { name: 'Back up now' })).toBeDisabled();

  await card.getByRole('textbox', { name: 'Backup passphrase' }).fill(PASSPHRASE);
  await card.getByRole('button', { name: 'Save backup passphrase' }).click();
  await expect(card.getByText('Saved', { exact: true })).toBeVisible();

  const field = card.getByRole('textbox', { name: 'Backup folder' });
  const unplugged = path.join(folder, 'usb-disk-not-plugged-in');
  await field.fill(unplugged);
  await card.getByRole('button', { name: 'Use this folder' }).click();
  await expect(card.locator('.field-error')).toHaveText(`The backup folder ${unplugged} is not there (is the disk plugged in?). Plug it in or choose another folder.`);
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await field.fill(folder);
  await card.getByRole('button', { name: 'Use this folder' }).click();
  await expect(card.getByText("Backups are on this computer's own disk")).toHaveCount(0);
  expect((await app.api('GET', '/api/settings')).body.settings.backup.folder).toBe(folder);

  await card.getByRole('button', { name: 'Back up now' }).click();
  await expect(card.getByText(/^Backup saved: [\d,]+ leads/)).toBeVisible({ timeout: 30_000 });
  const listed = (await app.api('GET', '/api/backups')).body.items;
  expect(listed).toHaveLength(1);
  const leadsInBackup = listed[0].leads as number;
  expect(leadsInBackup).toBeGreaterThan(1000);
  const row = card.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  await expect(row).toContainText(`${leadsInBackup.toLocaleString('en-US')} leads`);

  await axeClean(page, ['[aria-labelledby="backups-title"]']);
  await card.scrollIntoViewIfNeeded();
  await shots(page, 'settings-backups');

  // A lead that arrives after the backup: the restore takes Leadbell back to before it.
  const late = uniqueEmail('after-backup');
  expect((await app.webhook('lead-optin', { email: late, first_name: 'Late' })).status).toBe(202);
  await expect.poll(async () => (await app.api('GET', `/api/leads/${encodeURIComponent(late)}`)).status).toBe(200);

  await row.getByRole('button', { name: /^Restore the backup of / }).click();
  const form = card.getByRole('form', { name: /^Restore the backup of / });
  await form.getByRole('textbox', { name: 'Passphrase of this backup' }).fill('not the passphrase');
  await form.getByRole('button', { name: 'Restore and restart' }).click();
  await expect(form.getByText('That passphrase does not open this backup. Nothing was changed. Check it and try again.')).toBeVisible();
  await axeClean(page, ['[aria-labelledby="backups-title"]']);
  expect((await app.api('GET', `/api/leads/${encodeURIComponent(late)}`)).status).toBe(200);

  await form.getByRole('textbox', { name: 'Passphrase of this backup' }).fill('');
  await form.getByRole('button', { name: 'Restore and restart' }).click();
  await expect(page.getByText(/^Restored [\d,]+ leads from /)).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await app.api('GET', `/api/leads/${encodeURIComponent(late)}`)).status, { timeout: 30_000 }).toBe(404);
  const notes = (await app.api('GET', '/api/notifications?limit=5')).body.items;
  expect(notes.find((n: { title: string }) => n.title.startsWith('Backup restored'))?.body).toMatch(/The data from before it is kept in .*before-restore-/);

  await app.api('PUT', '/api/settings', { backup: { folder: null } });
  await app.api('PUT', '/api/secrets/backup.passphrase', { value: null });
});

test('Alerts: which events ring, sound and quiet hours are saved as chosen', async ({ page, app }) => {
  await openView(page, '/settings', 'Settings');
  // The toasts' live region is called Alerts too: the card is the one in the page.
  const card = page.locator('main').getByRole('region', { name: 'Alerts' });
  await card.getByRole('switch', { name: 'A hot lead' }).click();
  await expect(card.getByRole('switch', { name: 'A hot lead' })).toHaveAttribute('aria-checked', 'false');
  await card.getByRole('switch', { name: 'Play a sound' }).click();
  await card.getByRole('switch', { name: 'Quiet hours' }).click();
  await expect(card.getByRole('switch', { name: 'Quiet hours' })).toHaveAttribute('aria-checked', 'true');
  await card.getByLabel('Quiet from').fill('22:30');
  await card.getByLabel('Quiet until').fill('06:45');
  await card.getByRole('button', { name: 'Save quiet hours' }).click();
  await expect(page.getByText('Quiet hours saved')).toBeVisible();
  expect((await app.api('GET', '/api/settings')).body.settings.alerts).toEqual({
    sound: false,
    ring: ['high_engagement', 'reminder', 'failure'],
    quiet_hours: true,
    quiet_from: '22:30',
    quiet_until: '06:45',
  });

  await axeClean(page, ['[aria-labelledby="alerts-title"]']);
  await card.scrollIntoViewIfNeeded();
  await shots(page, 'settings-alerts');
  await app.api('PUT', '/api/settings', { alerts: { sound: true, ring: ['hot_lead', 'high_engagement', 'reminder', 'failure'], quiet_hours: false, quiet_from: '21:00', quiet_until: '07:00' } });
});
