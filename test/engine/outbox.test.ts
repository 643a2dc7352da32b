/**
 * Vendor calls wait in per-integration outboxes: a burst of opt-ins with Loops at its documented
 * 10 requests/s (the fake enforces it) creates every lead at once, a hot lead's notification is
 * not held behind the queued welcome emails, the backlog is reported, waiting audience
 * additions go to Meta together, and every email still goes out exactly once.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Notification } from '../../shared/api/models.js';
import { Outbox, type OutboxJob } from '../../electron/core/outbound/outbox.js';
import { startWorld, type World } from './world.js';

const BURST = 30;
let w: World;
const shown: { n: Notification; at: number }[] = [];
beforeAll(async () => {
  w = await startWorld({ notify: (n) => shown.push({ n, at: Date.now() }) });
});
afterAll(() => w.stop());

it('local work does not wait for a rate-limited vendor, and the vendor is still paced and called once per email', async () => {
  const started = Date.now();
  await Promise.all(Array.from({ length: BURST }, (_, i) => w.send('lead-optin', { email: `burst-${i}@example.com`, first_name: 'B' })));
  // 30 welcome emails at 10/s take about 3 s; the leads are there well before.
  await vi.waitFor(
    async () => expect((await w.tc.api('GET', '/api/leads?limit=100&search=burst-')).body.total).toBe(BURST),
    { timeout: 2_000, interval: 50 },
  );
  const backlog = (await w.tc.api('GET', '/api/backlog')).body.items as { integration: string; label: string; waiting: number }[];
  expect(backlog.find((b) => b.label === 'welcome emails')).toMatchObject({ integration: 'loops' });
  expect(backlog.find((b) => b.label === 'welcome emails')!.waiting).toBeGreaterThan(0);

  // A hot lead in the middle of the backlog: its desktop notification comes at once.
  const posted = Date.now();
  await w.send('assessment', {
    email: 'burst-hot@example.com',
    first_name: 'Hot',
    assessment_data: { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 },
  });
  await vi.waitFor(() => expect(shown.find((s) => s.n.kind === 'hot_lead')).toBeDefined(), { timeout: 1_500, interval: 20 });
  expect(shown.find((s) => s.n.kind === 'hot_lead')!.at - posted).toBeLessThan(1_500);

  // The emails drain at Loops' pace: none refused by the fake's limit, each sent once.
  await vi.waitFor(() => expect(w.fakes.loops.sendsByKey().size).toBeGreaterThanOrEqual(BURST), { timeout: 15_000, interval: 100 });
  expect(Date.now() - started).toBeGreaterThan(2_000);
  expect([...w.fakes.loops.sendsByKey().values()].every((n) => n === 1)).toBe(true);

  // Audience additions that waited together went to Meta together.
  await vi.waitFor(() => expect(w.fakes.meta.uploads.reduce((n, u) => n + u.rows, 0)).toBeGreaterThanOrEqual(BURST + 1), { timeout: 15_000 });
  expect(w.fakes.meta.uploads.length).toBeLessThan(BURST);
});

it('an outbox lane groups waiting jobs by batch key, keeps lanes apart, and reports what waits', async () => {
  const sent: string[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const outbox = new Outbox<string>({
    concurrency: { meta: 1, loops: 1 },
    send: async (group) => {
      sent.push(group.map((j) => j.data));
      if (group[0]!.integration === 'loops') await gate;
    },
  });
  const job = (integration: string, data: string, key?: string): OutboxJob<string> => ({
    integration,
    label: integration === 'loops' ? 'welcome emails' : 'audience additions',
    data,
    ...(key && { batch: { key, max: 2 } }),
  });
  outbox.submit(job('loops', 'email-1'));
  outbox.submit(job('loops', 'email-2'));
  for (const [d, k] of [['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['a3', 'A']] as const) outbox.submit(job('meta', d, k));
  await new Promise((r) => setTimeout(r, 10));
  // Loops is stuck on its first email; Meta is not held up by it.
  expect(sent).toEqual([['email-1'], ['a1'], ['b1'], ['a2', 'a3']]);
  expect(outbox.backlog()).toEqual([{ integration: 'loops', label: 'welcome emails', waiting: 2, sent: 0, eta_seconds: null }]);
  release();
  await outbox.idle();
  expect(sent.at(-1)).toEqual(['email-2']);
  expect(outbox.backlog()).toEqual([]);
});
