/**
 * The kit's opt-in form, pasted into a landing page, works in a real browser through the tunnel:
 * CORS preflight, the Bypass-Tunnel-Reminder header (the loopback server shows browsers a reminder
 * page without it, as loca.lt does), the redirect to the thank-you page, and the honeypot.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EndpointListing } from '../../shared/api/models.js';
import { landingKit } from '../../shared/landing-kit.js';
import type { TestCore } from '../helpers/core.js';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { online, startTunnelCore, waitForTunnel } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: FakeLocaltunnelServer;
let t: TestCore;
let landing: http.Server;
let landingUrl: string;
let browser: Browser;
let formHtml = '';

beforeAll(async () => {
  server = await FakeLocaltunnelServer.start();
  t = await startTunnelCore(server);
  await waitForTunnel(t, online);
  landing = http.createServer((req, res) => {
    if (req.url === '/thanks') return res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Thanks for signing up</h1>');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body><h1>Bella Salon</h1>${formHtml}</body></html>`);
  });
  await new Promise<void>((r) => landing.listen(0, '127.0.0.1', () => r()));
  landingUrl = `http://127.0.0.1:${(landing.address() as AddressInfo).port}`;
  await t.api('PUT', '/api/settings', { receiver: { thank_you_url: `${landingUrl}/thanks`, allowed_origins: [landingUrl] } });

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
  await server.close();
});

it('the loopback tunnel server shows browsers the reminder page without the header', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${t.core.tunnel!.status().url}/health`);
  expect(res?.status()).toBe(511);
  await page.close();
});

it('a visitor fills in the form: the lead is stored through the tunnel and the thank-you page opens', async () => {
  const page = await browser.newPage();
  await page.goto(landingUrl);
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Email').fill('ana@bella-salon.example');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(`${landingUrl}/thanks`);
  await page.close();

  const request = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
  expect(request).toMatchObject({ via: 'tunnel', endpoint: 'lead-optin', status: 202, spam: false });
  expect(request.headers['bypass-tunnel-reminder']).toBe('1');
  expect(request.headers.origin).toBe(landingUrl);
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

  const request = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
  expect(request).toMatchObject({ via: 'tunnel', spam: true, event_id: null });
  expect((await t.api('GET', '/api/events?search=bot@spam.example')).body.total).toBe(0);
});

it('a form error from the receiver is shown next to the form', async () => {
  const page = await browser.newPage();
  await page.goto(landingUrl);
  // The browser's own check is bypassed to see the receiver's answer.
  await page.locator('form').evaluate((f: HTMLFormElement) => {
    f.noValidate = true;
  });
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe('email must be a valid email address');
  expect(page.url()).toBe(`${landingUrl}/`);
  await page.close();
});
