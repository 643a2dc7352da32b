/**
 * A real core in a child process is killed (SIGKILL) while Loops has accepted an email but the
 * answer has not arrived. Restarted on the same data folder, the run resumes from its first
 * unfinished step and sends with the same idempotency key: Loops counts one accepted email.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { post, tempDir } from '../helpers/core.js';
import { fakesConfig, startCoreProcess, type CoreProcess } from './core-process-client.js';
import { HoldingProxy } from './holding-proxy.js';

let fakes: Fakes;
let proxy: HoldingProxy;
const children: CoreProcess[] = [];
beforeAll(async () => {
  fakes = await startFakes();
  proxy = await HoldingProxy.start(fakes.loops.server.origin);
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await proxy.stop();
  await fakes.stop();
});


it('a core killed mid-run resumes on restart without repeating a sent email', async () => {
  const dataDir = tempDir('leadbell-crash-');
  const config = fakesConfig(fakes, dataDir, `${proxy.origin}/api/v1`);
  const first = await startCoreProcess(config);
  children.push(first);
  const res = await post(`http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, {
    email: 'crash@example.com',
    first_name: 'Cass',
    visitor_id: 'visitor-crash',
    segment: 'fitness',
  });
  expect(res.status).toBe(202);

  // Loops has accepted both sends (the CTA email and the nurture event); their answers are held.
  await vi.waitFor(() => expect(fakes.loops.sendsTo('crash@example.com').length === 2, 'Loops to accept both sends').toBe(true), { timeout: 20_000, interval: 25 });
  await first.kill('SIGKILL');

  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  const steps = () =>
    db.prepare('SELECT r.flow, s.name, s.status, s.attempts, s.idempotency_key, s.output_json FROM steps s JOIN runs r ON r.id = s.run_id ORDER BY r.flow, s.idx').all() as {
      flow: string;
      name: string;
      status: string;
      attempts: number;
      idempotency_key: string;
      output_json: string | null;
    }[];
  const cta = () => steps().find((s) => s.name === 'send_cta_email')!;
  // Killed while the send was in flight: the step is left running, its attempt counted.
  expect(cta()).toMatchObject({ status: 'running', attempts: 1 });
  expect(db.prepare("SELECT count(*) FROM runs WHERE status IN ('completed', 'partial', 'failed')").pluck().get()).toBeLessThan(3);

  proxy.holding = false;
  const second = await startCoreProcess(config);
  children.push(second);
  await vi.waitFor(() => expect(db.prepare("SELECT count(*) FROM runs WHERE status != 'completed'").pluck().get() === 0 && db.prepare('SELECT count(*) FROM runs').pluck().get() === 3, 'every run to finish').toBe(true), { timeout: 20_000, interval: 25 });

  expect(cta()).toMatchObject({ status: 'completed', attempts: 2 });
  expect(JSON.parse(cta().output_json!)).toEqual({ transactional_id: 'email-1-immediate-cta', already_sent: true });
  // Exactly one accepted send per idempotency key, and one CTA email to the lead.
  expect([...fakes.loops.sendsByKey().values()].every((n) => n === 1)).toBe(true);
  expect(fakes.loops.sendsTo('crash@example.com', 'email-1-immediate-cta')).toHaveLength(1);
  expect(fakes.loops.sendsTo('crash@example.com', 'nurture_fitness')).toHaveLength(1);
  // The resent calls were refused by Loops as repeats (409), not delivered twice.
  expect(fakes.loops.server.requests.filter((r) => r.status === 409)).toHaveLength(2);
  // Steps that had completed before the crash were not run again; the rest finished once.
  expect(fakes.notion.pagesWithEmail('crash@example.com')).toHaveLength(1);
  expect(steps().every((s) => s.status === 'completed')).toBe(true);
  expect(second.stderr.some((l) => l.includes('resuming unfinished runs'))).toBe(true);
  db.close();
  await second.kill('SIGTERM');
});
