/**
 * Catch-up across a crash: 100 leads arrive before Loops is connected (their welcome emails are
 * skipped as not set up); the owner connects Loops and catches up; the core is killed (SIGKILL)
 * in the middle of sending. Restarted on the same data folder, it finishes: each lead gets its
 * welcome email exactly once (a send resent after the crash carries the same Idempotency-Key,
 * which Loops answers with 409: https://loops.so/docs/api-reference/send-transactional-email),
 * and a second catch-up sends nothing.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { post, tempDir } from '../helpers/core.js';
import { fakesConfig, startCoreProcess, type CoreProcess } from '../engine/core-process-client.js';

const LEADS = 100;
const TOKEN = 'catch-up-admin-token-0123456789';
const WELCOME = 'email-1-immediate-cta';

let fakes: Fakes;
const children: CoreProcess[] = [];
beforeAll(async () => {
  // Loops at its documented 10 requests/s: 100 emails take about ten seconds, time to crash midway.
  fakes = await startFakes();
});
afterAll(async () => {
  for (const c of children) await c.kill('SIGKILL');
  await fakes.stop();
});

function api(core: CoreProcess) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`http://127.0.0.1:${core.adminPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

const welcomes = () => fakes.loops.sends.filter((s) => s.name === WELCOME);

it('catch-up of 100 earlier leads sends 100 welcome emails, each once, across a kill -9 in the middle', async () => {
  const dataDir = tempDir('leadbell-catch-up-');
  const full = fakesConfig(fakes, dataDir);
  const { 'integration.loops.api_key': loopsKey, ...withoutLoops } = full.secrets;
  const config = { ...full, secrets: withoutLoops, adminToken: TOKEN };

  const first = await startCoreProcess(config);
  children.push(first);
  const call = api(first);
  for (let i = 0; i < LEADS; i++) {
    const res = await post(`http://127.0.0.1:${first.port}/api/webhooks/lead-optin`, { email: `early${i}@salon.example`, first_name: 'Ana' });
    expect(res.status).toBe(202);
  }
  // Every welcome email skipped as not set up: the catch-up offer counts them, one per lead.
  await vi.waitFor(
    async () => {
      const offer = await call('GET', '/api/integrations/loops/catch-up');
      expect(offer.body.steps.find((s: { label: string }) => s.label === 'welcome emails')?.count).toBe(LEADS);
    },
    { timeout: 60_000, interval: 200 },
  );
  expect((await call('POST', '/api/integrations/loops/catch-up', {})).status).toBe(409);
  expect(welcomes()).toHaveLength(0);

  expect((await call('PUT', '/api/secrets/integration.loops.api_key', { value: loopsKey })).status).toBe(200);
  const started = await call('POST', '/api/integrations/loops/catch-up', {});
  expect(started.status).toBe(200);
  expect(started.body.steps).toContainEqual({ label: 'welcome emails', count: LEADS });

  // Killed with some sent and some not.
  await vi.waitFor(() => expect(welcomes().length >= 20, 'some welcome emails to go out').toBe(true), { timeout: 30_000, interval: 10 });
  await first.kill('SIGKILL');
  const sentBeforeCrash = welcomes().length;
  expect(sentBeforeCrash).toBeLessThan(LEADS);

  const second = await startCoreProcess(config);
  children.push(second);
  await vi.waitFor(() => expect(welcomes().length, 'every welcome email').toBe(LEADS), { timeout: 60_000, interval: 100 });

  // Each lead once: no email twice, none missing.
  for (let i = 0; i < LEADS; i++) expect(fakes.loops.sendsTo(`early${i}@salon.example`, WELCOME), `early${i}`).toHaveLength(1);
  // A second catch-up finds nothing left to send, and nothing more reaches Loops.
  const again = await api(second)('POST', '/api/integrations/loops/catch-up', {});
  expect(again.body).toMatchObject({ started: 0 });
  await new Promise((r) => setTimeout(r, 500));
  expect(welcomes()).toHaveLength(LEADS);
}, 180_000);
