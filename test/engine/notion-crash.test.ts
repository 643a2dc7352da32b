/**
 * A core is killed (SIGKILL) while a batch of Notion mirrors is under way: Notion has created
 * the pages, but the batch's answers were not stored. Restarted on the same data folder, the
 * batch is sent again, its lookup finds the pages, and they are updated: one page per lead.
 */
import Database from 'better-sqlite3';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DB_FILE } from '../../electron/core/storage/database.js';
import type { Recorded } from '../fakes/fake-server.js';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { post, tempDir } from '../helpers/core.js';
import { forwardingServer } from '../helpers/forwarding-server.js';
import { fakesConfig, startCoreProcess, type CoreProcess } from './core-process-client.js';

const LEADS = 6;
let fakes: Fakes;
let proxy: http.Server;
/** While on, the answer to the last page create never reaches the core. */
let holding = true;
let creates = 0;
const children: CoreProcess[] = [];

beforeAll(async () => {
  fakes = await startFakes();
  proxy = forwardingServer(fakes.notion.server.origin, (req) => {
    if (!holding || req.method !== 'POST' || req.url !== '/v1/pages') return true;
    // The batch's answers are stored together once its last write is answered: holding that
    // one leaves the batch under way, its other pages made and their answers only in memory.
    return ++creates !== LEADS;
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await new Promise<void>((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
  await fakes.stop();
});

const isCreate = (r: Recorded) => r.method === 'POST' && r.path === '/v1/pages';
const orOf = (r: Recorded) => (r.body as { filter?: { or?: unknown[] } } | undefined)?.filter?.or;

it('a batch repeated after a crash finds the pages it created and creates none again', async () => {
  const dataDir = tempDir('leadbell-notion-crash-');
  const config = fakesConfig(fakes, dataDir);
  config.settings.integrations!.notion = { ...config.settings.integrations!.notion, base_url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1` };
  // Half Notion's pace, so the mirrors arriving together wait behind the first and form a batch.
  config.rateLimits = { notion: { limit: 1, windowMs: 500 } };
  const first = await startCoreProcess(config);
  children.push(first);

  const emails = Array.from({ length: LEADS }, (_, i) => `crash-batch${i}@salon.example`);
  const answers = await Promise.all(emails.map((email) => post(`http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, { email, first_name: 'Cy' })));
  expect(answers.map((a) => a.status)).toEqual(emails.map(() => 202));

  await vi.waitFor(() => expect(creates, 'Notion to create every page').toBe(emails.length), { timeout: 20_000, interval: 25 });
  await first.kill('SIGKILL');
  const beforeRestart = fakes.notion.server.requests.length;
  expect(fakes.notion.server.requests.some((r) => (orOf(r)?.length ?? 0) > 1), 'the mirrors went as a batch').toBe(true);
  // Notion made every page, the held one's too: only its answer is missing.
  for (const email of emails) expect(fakes.notion.pagesWithEmail(email), email).toHaveLength(1);

  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  const mirrors = () =>
    db
      .prepare("SELECT l.email, s.status, l.notion_page_id FROM steps s JOIN runs r ON r.id = s.run_id JOIN leads l ON l.id = r.lead_id WHERE s.name = 'mirror_to_notion'")
      .all() as { email: string; status: string; notion_page_id: string | null }[];
  // Killed with the batch's answers outstanding: its steps are left running, nothing stored.
  expect(mirrors().map((m) => m.status).sort()).toEqual(['completed', ...emails.slice(1).map(() => 'running')]);

  holding = false;
  const second = await startCoreProcess(config);
  children.push(second);
  await vi.waitFor(() => expect(mirrors().every((m) => m.status === 'completed') && mirrors().length === emails.length, 'every mirror to complete').toBe(true), {
    timeout: 30_000,
    interval: 50,
  });

  const repeated = fakes.notion.server.requests.slice(beforeRestart);
  expect(repeated.filter(isCreate), 'pages created after the restart').toEqual([]);
  expect(repeated.filter((r) => r.method === 'PATCH')).toHaveLength(LEADS - 1);
  for (const { email, notion_page_id } of mirrors()) {
    const pages = fakes.notion.pagesWithEmail(email);
    expect(pages, email).toHaveLength(1);
    expect(notion_page_id).toBe(pages[0]!.id);
  }
  db.close();
  await second.kill('SIGTERM');
}, 60_000);
