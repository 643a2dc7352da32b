/**
 * First run, on a fresh app of its own (nothing done yet): the checklist ticks itself as the owner
 * completes each step, each step opens the place it is done, and the big Copy never hands out an
 * address on this computer while the public one is off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { expect, test } from './fixtures.js';
import { startHeadlessApp, type HeadlessApp } from './support/headless-process.js';

let tunnel: FakeLocaltunnelServer;
let fresh: HeadlessApp;
let dataDir: string;

const api = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${fresh.adminUrl}${p}`, {
    method,
    headers: { authorization: `Bearer ${fresh.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
type Endpoint = { name: string; local_url: string; public_url: string | null };
const optin = async () => ((await api('GET', '/api/endpoints')).body.items as Endpoint[]).find((e) => e.name === 'lead-optin')!;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbell-first-run-'));
  tunnel = await FakeLocaltunnelServer.start();
  // The tunnel left to the saved settings (not an environment override), so the owner can turn it on.
  fresh = await startHeadlessApp(dataDir, { LEADBELL_TUNNEL: undefined as unknown as string, LEADBELL_TUNNEL_HOST: tunnel.host });
  expect((await api('PUT', '/api/settings', { tunnel: { enabled: false } })).status).toBe(200);
  await expect.poll(async () => (await optin()).public_url).toBeNull();
});

test.afterAll(async () => {
  await fresh?.stop();
  await tunnel?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: fresh.adminUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fresh.adminUrl });
  const page = await context.newPage();
  expect((await page.request.post(`${fresh.adminUrl}/api/login`, { data: { token: fresh.token } })).ok()).toBe(true);
  return page;
}

const step = (page: Page, id: string) => page.getByTestId(`setup-step-${id}`);
const home = async (page: Page) => {
  await page.goto('/#/');
  await expect(page.getByRole('heading', { level: 1, name: /Good/ })).toBeVisible();
};

test('the checklist ticks itself as the owner completes each step; Copy never yields a loopback address while the public one is off', async ({ browser }) => {
  const page = await signedIn(browser);
  await home(page);
  const checklist = page.getByRole('region', { name: 'Get set up' });
  await expect(checklist).toContainText('0 of 5 done');
  for (const id of ['public_address', 'test', 'email', 'alerts', 'form_tool']) await expect(step(page, id)).toHaveAttribute('data-done', 'false');
  // The setup guides ride in the last step while the list is open.
  await expect(page.getByRole('region', { name: 'Connect your tools' })).toHaveCount(0);

  // No public address: nothing to copy, the reason, and the way to set one up. The address on this computer is nowhere.
  const local = (await optin()).local_url;
  const hero = page.getByRole('region', { name: 'Your webhook address' });
  await expect(hero).toContainText('No public address yet');
  await expect(hero.getByRole('button', { name: /^Copy/ })).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(local);
  await step(page, 'form_tool').getByText('How to paste it into').click();
  await page.getByRole('tab', { name: 'Zapier' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('No public address yet');
  await expect(page.locator('main')).not.toContainText(new URL(local).host);

  // 1. The public address: the step's link opens the place it is turned on.
  await step(page, 'public_address').getByRole('link', { name: 'Open public address settings' }).click();
  await expect(page).toHaveURL(/#\/settings\?section=tunnel-title$/);
  await expect(page.getByRole('heading', { name: 'Public address' })).toBeFocused();
  await page.getByRole('radio', { name: /localtunnel/ }).check();
  await page.getByRole('region', { name: 'Public address' }).getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(async () => (await optin()).public_url, { timeout: 20_000 }).not.toBeNull();
  await home(page);
  await expect(step(page, 'public_address')).toHaveAttribute('data-done', 'true');
  await expect(checklist).toContainText('1 of 5 done');
  // Copy now gives the public address, never the one on this computer.
  const pub = (await optin()).public_url!;
  await hero.getByRole('button', { name: /^Copy the .* address$/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pub);
  expect(pub).not.toBe(local);

  // 2. A test.
  await step(page, 'test').getByRole('link', { name: 'Send a test' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Send a test' })).toBeVisible();
  await page.getByRole('button', { name: /^Lead opt-in/ }).click();
  await expect(page.getByTestId('fire-result')).toBeVisible();
  await home(page);
  await expect(step(page, 'test')).toHaveAttribute('data-done', 'true');

  // 3 and 4. Email and team alerts: their links open the app's card in Connected apps.
  await step(page, 'email').getByRole('link', { name: 'Connect Loops' }).click();
  await expect(page.getByRole('heading', { name: 'Loops' })).toBeFocused();
  const loops = page.getByRole('region', { name: 'Loops' });
  await loops.getByRole('textbox', { name: 'API key' }).fill('loops-key-for-the-first-run-test');
  await loops.getByRole('button', { name: 'Save Loops API key' }).click();
  await expect(loops.getByText('Saved', { exact: true })).toBeVisible();
  await home(page);
  await expect(step(page, 'email')).toHaveAttribute('data-done', 'true');
  await step(page, 'alerts').getByRole('link', { name: 'Connect Discord or Slack' }).click();
  const discord = page.getByRole('region', { name: 'Discord' });
  await discord.getByRole('textbox', { name: 'Webhook URL' }).fill('https://discord.com/api/webhooks/123456789012345678/first-run-token');
  await discord.getByRole('button', { name: 'Save Discord webhook URL' }).click();
  await expect(discord.getByText('Saved', { exact: true })).toBeVisible();
  await home(page);
  await expect(step(page, 'alerts')).toHaveAttribute('data-done', 'true');
  await expect(checklist).toContainText('4 of 5 done');

  // 5. A form tool posts to the public address: the last step ticks itself while Home is open.
  const res = await fetch(pub, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Zapier' }, body: JSON.stringify({ email: 'first.real@example.com', first_name: 'Rita' }) });
  expect(res.status).toBe(202);
  await expect(step(page, 'form_tool')).toHaveAttribute('data-done', 'true');
  await expect(checklist).toContainText('All done');
  await checklist.getByRole('button', { name: 'Hide this list' }).click();
  await expect(checklist).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Connect your tools' })).toBeVisible();

  // The public address turned off again: Copy goes, the reason comes back.
  expect((await api('PUT', '/api/settings', { tunnel: { enabled: false } })).status).toBe(200);
  await expect(hero).toContainText('No public address yet');
  await expect(hero.getByRole('button', { name: /^Copy/ })).toHaveCount(0);
  await page.context().close();
});
