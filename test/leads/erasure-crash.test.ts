/**
 * An erasure interrupted by a crash finishes after the restart, and each connected app erases
 * the person once: a real core in a child process is killed (SIGKILL) while Loops has deleted the
 * contact but its answer is held back. Restarted on the same data folder, the erasure resumes from
 * its stored calls: Loops' repeat finds no contact (404, recorded as already gone), and Notion and
 * Meta, not called before the crash, get their one call each.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { post, tempDir } from '../helpers/core.js';
import { fakesConfig, startCoreProcess, type CoreProcess } from '../engine/core-process-client.js';
import { HoldingProxy } from '../engine/holding-proxy.js';

const TOKEN = 'erasure-crash-admin-token-0123456789';
const EMAIL = 'crash.erase@salon.example';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let fakes: Fakes;
let proxy: HoldingProxy;
const children: CoreProcess[] = [];
beforeAll(async () => {
  fakes = await startFakes();
  proxy = await HoldingProxy.start(fakes.loops.server.origin);
  proxy.holding = false;
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await proxy.stop();
  await fakes.stop();
});

const admin = (c: CoreProcess) => async (method: string, p: string) => {
  const res = await fetch(`http://127.0.0.1:${c.adminPort}${p}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: (await res.json()) as any };
};

it('an erasure killed mid-way finishes after the restart, each app erasing the person once', async () => {
  const dataDir = tempDir('leadbell-erase-crash-');
  const config = { ...fakesConfig(fakes, dataDir, `${proxy.origin}/api/v1`), adminToken: TOKEN };
  const first = await startCoreProcess(config);
  children.push(first);
  const api = admin(first);
  expect((await post(`http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, { email: EMAIL, first_name: 'Cora', phone: '555 0142', segment: 'fitness' })).status).toBe(202);
  // Loops holds the contact (the nurture event made it), Notion the page, Meta the audience member.
  await vi.waitFor(
    async () => {
      const lead = (await api('GET', `/api/leads/${EMAIL}`)).body.lead;
      expect(lead?.notion_page_id).toEqual(expect.any(String));
      expect((await api('GET', '/api/runs?status=running')).body.total + (await api('GET', '/api/runs?status=pending')).body.total).toBe(0);
    },
    { timeout: 20_000, interval: 50 },
  );
  expect(fakes.loops.contacts.has(EMAIL)).toBe(true);
  const member = () => [...fakes.meta.audiences.values()].some((a) => a.members.get('EMAIL_SHA256')!.has(sha(EMAIL)));
  expect(member()).toBe(true);

  proxy.holding = true;
  const erased = await api('DELETE', `/api/leads/${EMAIL}`);
  expect(erased.status, JSON.stringify(erased.body)).toBe(200);
  expect(erased.body.erasure.calls.map((c: { app: string; status: string }) => [c.app, c.status])).toEqual([
    ['loops', 'waiting'],
    ['notion', 'waiting'],
    ['meta', 'waiting'],
  ]);
  // Loops acts on the delete; its answer never comes back. Then the process dies.
  await vi.waitFor(() => expect(fakes.loops.deletes).toHaveLength(1), { timeout: 20_000, interval: 25 });
  await first.kill('SIGKILL');
  expect(fakes.loops.contacts.has(EMAIL)).toBe(false);
  expect(fakes.notion.trashed).toHaveLength(0);
  expect(fakes.meta.removals).toHaveLength(0);

  proxy.holding = false;
  const second = await startCoreProcess(config);
  children.push(second);
  const api2 = admin(second);
  await vi.waitFor(
    async () => {
      const [record] = (await api2('GET', '/api/erasures')).body.items;
      expect(record.finished_at).toEqual(expect.any(String));
    },
    { timeout: 20_000, interval: 50 },
  );
  const [record] = (await api2('GET', '/api/erasures')).body.items;
  expect(record.calls.map((c: { app: string; status: string; outcome: string }) => [c.app, c.status, c.outcome])).toEqual([
    ['loops', 'done', 'not_found'],
    ['notion', 'done', 'erased'],
    ['meta', 'done', 'erased'],
  ]);
  // Loops deleted the contact once; the repeat after the crash found nothing to delete.
  expect(fakes.loops.deletes).toEqual([
    { email: EMAIL, found: true },
    { email: EMAIL, found: false },
  ]);
  // Notion and Meta were called once each, after the restart.
  expect(fakes.notion.trashed).toHaveLength(1);
  expect(fakes.notion.trashed[0]!.wasInTrash).toBe(false);
  expect(fakes.meta.removals).toHaveLength(fakes.meta.audiences.size);
  expect(member()).toBe(false);
  expect((await api2('GET', `/api/leads/${EMAIL}`)).status).toBe(404);
  expect(JSON.stringify(record)).not.toContain(EMAIL);
  await second.kill('SIGTERM');
});
