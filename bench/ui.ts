/**
 * UI benchmark: the Leads view in Chromium against headless mode with 100,000 seeded leads.
 * Measures the first render (navigation to the first row on screen), search latency (the query
 * entered -> the rows on screen all match it; includes the search box's debounce), and a jump
 * to the middle of the list (scroll -> those rows loaded).
 */
import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, chromiumPath } from '../playwright.config.js';
import { startHeadlessApp } from '../test/e2e/support/headless-process.js';
import { seededLead, seedLeads } from '../test/e2e/support/seed-leads.js';

export interface UiFigures {
  leads: number;
  seedMs: number;
  firstRender: { medianMs: number; runsMs: number[] };
  search: { p50Ms: number; p95Ms: number; maxMs: number; queries: number; debounceMs: number; apiP50Ms: number };
  scrollJump: { medianMs: number; runsMs: number[] };
  domRows: number;
}

const DEBOUNCE_MS = 150;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
}
const median = (xs: number[]) => percentile(xs, 50);

/** Time from navigation start to the first lead row in the page, measured inside the page. */
async function firstRender(page: Page, url: string): Promise<number> {
  await page.addInitScript(() => {
    const w = window as unknown as { __firstRow?: number };
    new MutationObserver((_m, obs) => {
      if (document.querySelector('[data-testid=lead-row]')) {
        w.__firstRow = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid=lead-row]');
  return page.evaluate(() => Math.round((window as unknown as { __firstRow: number }).__firstRow));
}

/** Enters a query as a paste would and times it until every row on screen matches it. */
async function searchOnce(page: Page, query: string): Promise<number> {
  return page.evaluate(async (q) => {
    const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
    const matches = () => {
      const rows = [...document.querySelectorAll('[data-testid=lead-row]')];
      const count = document.querySelector('[data-testid=lead-count]')?.textContent ?? '';
      return count.includes('matching') && rows.length > 0 && rows.every((r) => r.textContent!.toLowerCase().includes(q.toLowerCase()));
    };
    const done = new Promise<number>((resolve) => {
      const obs = new MutationObserver(() => {
        if (matches()) {
          obs.disconnect();
          resolve(performance.now());
        }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const start = performance.now();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, q);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return (await done) - start;
  }, query);
}

async function clearSearch(page: Page, total: number): Promise<void> {
  await page.getByRole('searchbox').fill('');
  await page.waitForFunction((t) => document.querySelector('[data-testid=lead-count]')?.textContent === `${t.toLocaleString()} leads`, total);
}

/** Scrolls to the middle of the list and times it until those rows (not placeholders) are on screen. */
async function scrollJump(page: Page, fraction: number): Promise<number> {
  return page.evaluate(async (f) => {
    const scroller = document.querySelector<HTMLElement>('[data-testid=leads-scroller]')!;
    const target = Math.floor(scroller.scrollHeight * f);
    const start = performance.now();
    scroller.scrollTop = target;
    return new Promise<number>((resolve) => {
      const check = () => {
        const rows = [...scroller.querySelectorAll<HTMLElement>('[role=row][data-index]')];
        const visible = rows.filter((r) => {
          const box = r.getBoundingClientRect();
          const view = scroller.getBoundingClientRect();
          return box.bottom > view.top && box.top < view.bottom;
        });
        if (visible.length && visible.every((r) => r.dataset.testid === 'lead-row') && Number(visible[0]!.dataset.index) > 1000) resolve(performance.now() - start);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  }, fraction);
}

export async function benchUi({ leads = 100_000, renders = 5, searches = 12, jumps = 5 } = {}): Promise<UiFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbell-bench-ui-'));
  const t0 = performance.now();
  seedLeads(dataDir, leads);
  const seedMs = Math.round(performance.now() - t0);
  const app = await startHeadlessApp(dataDir);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, baseURL: app.adminUrl });
    // tsx keeps function names with an `__name` helper, which functions sent to the page also call.
    await context.addInitScript('globalThis.__name = (fn) => fn');
    const login = await context.request.post('/api/login', { data: { token: app.token } });
    if (!login.ok()) throw new Error(`login failed: ${login.status()}`);

    const renderRuns: number[] = [];
    for (let i = 0; i < renders; i++) {
      const page = await context.newPage();
      renderRuns.push(await firstRender(page, '/#/leads'));
      await page.close();
    }

    const page = await context.newPage();
    await page.goto('/#/leads');
    await page.waitForSelector('[data-testid=lead-row]');
    const domRows = await page.locator('[role=row][data-index]').count();
    const total = Number((await page.getByTestId('lead-count').textContent())!.replace(/\D/g, ''));
    if (total !== leads) throw new Error(`expected ${leads} leads, the page shows ${total}`);

    const queries: string[] = [];
    for (let i = 0; i < searches; i++) {
      const p = seededLead(Math.floor(((i + 1) * 7919 * 104_729) % leads));
      queries.push(i % 3 === 0 ? p.email : i % 3 === 1 ? p.phone : p.first_name);
    }
    const searchRuns: number[] = [];
    for (const q of queries) {
      await clearSearch(page, total);
      searchRuns.push(await searchOnce(page, q));
    }
    const apiRuns: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      const res = await context.request.get(`/api/leads?limit=100&search=${encodeURIComponent(q)}`);
      if (!res.ok()) throw new Error(`search API failed: ${res.status()}`);
      apiRuns.push(performance.now() - t);
    }

    await clearSearch(page, total);
    const jumpRuns: number[] = [];
    for (let i = 0; i < jumps; i++) {
      jumpRuns.push(await scrollJump(page, 0.15 + (0.7 * i) / Math.max(1, jumps - 1)));
    }

    return {
      leads,
      seedMs,
      firstRender: { medianMs: median(renderRuns), runsMs: renderRuns },
      search: {
        p50Ms: median(searchRuns),
        p95Ms: percentile(searchRuns, 95),
        maxMs: Math.round(Math.max(...searchRuns)),
        queries: searchRuns.length,
        debounceMs: DEBOUNCE_MS,
        apiP50Ms: median(apiRuns),
      },
      scrollJump: { medianMs: median(jumpRuns), runsMs: jumpRuns.map(Math.round) },
      domRows,
    };
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchUi();
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
