/** Shared fixtures: a signed-in page, the app's addresses, and helpers to call it like a sender would. */
import { test as base, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import { writes } from '../helpers/admin-writes.js';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with playwright test (global setup starts the app)`);
  return v;
}

export interface AppInfo {
  adminUrl: string;
  receiverUrl: string;
  token: string;
  seeded: number;
  /** Calls the admin API with the token. */
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  /** POSTs JSON to a public webhook endpoint, as a form tool would. */
  webhook: (endpoint: string, body: unknown) => Promise<{ status: number; body: any }>;
}

async function json(res: Response): Promise<{ status: number; body: any }> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // plain text answer
  }
  return { status: res.status, body };
}

export const test = base.extend<{ app: AppInfo }>({
  baseURL: async ({}, use) => use(env('LEADBELL_E2E_ADMIN_URL')),
  app: async ({}, use) => {
    const adminUrl = env('LEADBELL_E2E_ADMIN_URL');
    const receiverUrl = env('LEADBELL_E2E_RECEIVER_URL');
    const token = env('LEADBELL_E2E_TOKEN');
    await use({
      adminUrl,
      receiverUrl,
      token,
      seeded: Number(env('LEADBELL_E2E_SEEDED')),
      api: async (method, path, body) =>
        json(
          await fetch(`${adminUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(writes(method) && { 'content-type': 'application/json' }) },
            body: writes(method) ? JSON.stringify(body ?? {}) : undefined,
          }),
        ),
      webhook: async (endpoint, body) =>
        json(
          await fetch(`${receiverUrl}/api/webhooks/${endpoint}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        ),
    });
  },
  // Every page starts signed in (the login test makes its own context), and a test fails if the
  // page threw or the CSP blocked anything.
  page: async ({ page, app }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
    const res = await page.request.post(`${app.adminUrl}/api/login`, { data: { token: app.token } });
    expect(res.ok()).toBe(true);
    await use(page);
    expect(problems).toEqual([]);
  },
});

export { expect };

/**
 * Skips a test whose feature is not in this build yet: only when the contract method answers
 * 503 "unavailable" (any other answer runs the test, so a broken handler still fails it).
 */
export async function skipUnlessAvailable(app: AppInfo, method: string, path: string, body?: unknown): Promise<void> {
  const res = await app.api(method, path, body);
  const unavailable = res.status === 503 && res.body?.error?.code === 'unavailable';
  test.skip(unavailable, `${method} ${path} answers 503 unavailable: ${res.body?.error?.message ?? 'not in this build yet'}`);
}

/** A unique email per test run, so tests never see each other's leads. */
export function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** Saves the whole view (the main area scrolls, so the window is stretched to its height). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  // Hide the blinking caret for stable images.
  await page.addStyleTag({ content: '*{caret-color:transparent !important}' });
  const size = page.viewportSize() ?? { width: 1360, height: 900 };
  const height = await page.evaluate(() => document.querySelector('main')?.scrollHeight ?? 0);
  if (height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(height + 40, 6000) });
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
  await page.setViewportSize(size);
}

export async function openView(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.goto(`/#${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}
