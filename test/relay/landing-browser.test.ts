/**
 * The kit's opt-in form, pasted into a landing page on another origin, works in a real browser
 * through the relay (the real Worker in workerd): the CORS preflight, the lead stored on the
 * desktop, the redirect to the thank-you page, the honeypot, and a plain HTML form post's 303.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EndpointListing } from '../../shared/api/models.js';
import { landingKit } from '../../shared/landing-kit.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { startTestRelay, until, type TestRelay } from './world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let relay: TestRelay;
let t: TestCore;
let landing: http.Server;
let landingUrl: string;
let browser: Browser;
let formHtml = '';

const requestsNow = async () => (await t.api('GET', '/api/requests?limit=1')).body.total as number;

beforeAll(async () => {
  relay = await startTestRelay();
  t = await startTestCore({ secretEnv: { 'relay.secret': relay.secret }, relay: { backoffMs: { min: 100, max: 500 } } });
  landing = http.createServer((req, res) => {
    if (req.url === '/thanks') return res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Thanks for signing up</h1>');
    if (req.url === '/plain') {
      // A form without the kit's script: the browser posts it and follows the relay's 303.
      return res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><form action="${relay.url}/api/webhooks/lead-optin" method="post"><label>Email <input name="email" type="email"></label><button>Join</button></form>`,
      );
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body><h1>Bella Salon</h1>${formHtml}</body></html>`);
  });
  await new Promise<void>((r) => landing.listen(0, '127.0.0.1', () => r()));
  // Another origin than the relay's: localhost vs 127.0.0.1.
  landingUrl = `http://localhost:${(landing.address() as AddressInfo).port}`;
  await t.api('PUT', '/api/settings', { receiver: { thank_you_url: `${landingUrl}/thanks`, allowed_origins: [landingUrl] }, relay: { url: relay.url } });
  await until('relay connected', async () => (await t.api('GET', '/api/status')).body.relay.state === 'connected');

  const endpoints = (await t.api('GET', '/api/endpoints')).body.items as EndpointListing[];
  const { receiver } = t.core.stores.settings.get();
  formHtml = landingKit(endpoints, receiver).endpoints.find((e) => e.endpoint === 'lead-optin')!.form_html!;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => landing.close(() => r()));
  await t.stop();
  await relay.close();
});

it('a visitor fills in the form: the preflight passes, the lead is stored through the relay and the thank-you page opens', async () => {
  expect(formHtml).toContain(`fetch("${relay.url}/api/webhooks/lead-optin"`);
  const page = await browser.newPage();
  const before = await requestsNow();
  await page.goto(landingUrl);
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Email').fill('ana@bella-salon.example');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(`${landingUrl}/thanks`);
  await page.close();

  await until('stored', async () => (await requestsNow()) === before + 1);
  const request = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
  expect(request).toMatchObject({ via: 'relay', endpoint: 'lead-optin', status: 202, spam: false });
  // A cross-origin JSON post is sent only after its CORS preflight passed.
  expect(request.headers.origin).toBe(landingUrl);
  expect(request.headers['content-type']).toBe('application/json');
  const event = (await t.api('GET', '/api/events?limit=1')).body.items[0];
  expect(event).toMatchObject({ event: 'lead.opted_in', payload: { email: 'ana@bella-salon.example', first_name: 'Ana' } });
});

it('a bot that fills the hidden field is told it worked, and is stored as spam', async () => {
  const page = await browser.newPage();
  await page.goto(landingUrl);
  await page.getByLabel('Email').fill('bot@spam.example');
  await page.locator('input[name=website]').evaluate((el: HTMLInputElement) => {
    el.value = 'http://spam.example';
  });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(`${landingUrl}/thanks`);
  await page.close();

  await until('stored', async () => (await t.api('GET', '/api/requests?limit=1')).body.items[0].spam === true);
  const request = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
  expect(request).toMatchObject({ via: 'relay', spam: true, event_id: null });
  expect((await t.api('GET', '/api/events?search=bot@spam.example')).body.total).toBe(0);
});

it('a plain HTML form post gets its 303 to the thank-you page, and the lead arrives', async () => {
  const page = await browser.newPage();
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(relay.url)) statuses.push(r.status());
  });
  await page.goto(`${landingUrl}/plain`);
  await page.getByLabel('Email').fill('plain@bella-salon.example');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(`${landingUrl}/thanks`);
  await page.close();
  expect(statuses).toEqual([303]);
  await until('stored', async () => (await t.api('GET', '/api/events?search=plain@bella-salon.example')).body.total === 1);
});

it('the relay answers preflights from the allowed origins only', async () => {
  const ok = await fetch(`${relay.url}/api/webhooks/lead-optin`, {
    method: 'OPTIONS',
    headers: { origin: landingUrl, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(landingUrl);
  const res = await fetch(`${relay.url}/api/webhooks/lead-optin`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(res.status).toBe(403);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
});
