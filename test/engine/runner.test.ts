/**
 * The runner's rules with small in-process steps: a local step's effect commits with its
 * completion (a throwing step leaves nothing behind); a step whose needed step failed is skipped;
 * a manual retry re-opens the steps that were skipped because of it.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import type { Run } from '../../shared/api/models.js';
import { defineFlow } from '../../electron/core/flows/flow.js';
import { BUILT_IN_FLOWS } from '../../electron/core/flows/registry.js';
import { callStep, completed, localStep, plan } from '../../electron/core/runner/step.js';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { EventStore } from '../../electron/core/storage/event-store.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { newEvent } from '../helpers/events.js';

let brokenLocal = true;
const calls: string[] = [];

const store = localStep({
  name: 'store',
  input: z.object({ email: z.string() }),
  output: z.object({ lead_id: z.string() }),
  apply(input, ctx) {
    const { lead } = ctx.services.leads.upsert(input.email, { first_name: 'Half' });
    if (brokenLocal) throw new Error('disk says no');
    ctx.setLead(lead.id);
    return completed({ lead_id: lead.id });
  },
});
const afterStore = callStep({
  name: 'after_store',
  integration: 'webhook',
  backlog: 'test calls',
  needs: [store],
  input: z.object({}),
  output: z.object({ saw: z.string() }),
  async call(_input, ctx) {
    calls.push('after_store');
    return completed({ saw: ctx.output(store)!.lead_id });
  },
});
const afterThat = callStep({
  name: 'after_that',
  integration: 'webhook',
  backlog: 'test calls',
  needs: [afterStore],
  input: z.object({}),
  output: z.object({}),
  async call() {
    calls.push('after_that');
    return completed({});
  },
});
const independent = callStep({
  name: 'independent',
  integration: 'webhook',
  backlog: 'test calls',
  input: z.object({}),
  output: z.object({}),
  async call() {
    calls.push('independent');
    return completed({});
  },
});

const probe = defineFlow({
  name: 'probe',
  title: 'Probe',
  description: 'Steps for testing the runner.',
  parameters: z.object({ email: z.string() }),
  settings: z.object({}).strict(),
  steps: [store, afterStore, afterThat, independent],
  plan: (p) => [plan(store, p), plan(afterStore, {}), plan(afterThat, {}), plan(independent, {})],
});

let tc: TestCore;
beforeAll(async () => {
  tc = await startTestCore({ engine: { flows: [...BUILT_IN_FLOWS, probe] } });
  // The probe's calls wait in the outbound webhook's outbox (they never call it): set it up, or
  // they would be skipped as not configured.
  expect((await tc.api('PUT', '/api/settings', { integrations: { webhook: { url: 'http://127.0.0.1:9/hook' } } })).status).toBe(200);
  tc.core.stores.secrets.set('integration.webhook.secret', `whsec_${Buffer.from('probe-signing-key-0123456789abcd').toString('base64')}`);
  const saved = await tc.api('PUT', '/api/triggers', { id: 'probe', name: 'Probe', flow: 'probe', expect: ['probe.go'], parameters: { email: '{{ event.payload.email }}' } });
  expect(saved.status).toBe(200);
});
afterAll(() => tc.stop());

it('a failing local step leaves no effect, skips what needed it, and a manual retry re-opens those steps', async () => {
  const res = await post(tc.url('/api/webhooks/events'), { event: 'probe.go', id: 'probe-1', payload: { email: 'half@example.com' } });
  expect(res.status).toBe(202);
  await tc.core.engine.idle();
  const runId = (tc.core.db.prepare("SELECT id FROM runs WHERE flow = 'probe'").pluck().get() as string);
  let run = (await tc.api('GET', `/api/runs/${runId}`)).body as Run;
  expect(run.steps!.map((s) => [s.name, s.status])).toEqual([
    ['store', 'failed'],
    ['after_store', 'skipped'],
    ['after_that', 'skipped'],
    ['independent', 'completed'],
  ]);
  expect(run.steps![0]!.error).toBe('disk says no');
  expect(run.steps![1]!.output).toEqual({ skipped: 'needs store, which failed', blocked_by: 'store' });
  expect(run.steps![2]!.output).toEqual({ skipped: 'needs after_store, which was skipped', blocked_by: 'after_store' });
  expect(run.status).toBe('partial');
  // The upsert inside the failed step was rolled back with it.
  expect((await tc.api('GET', '/api/leads/half%40example.com')).status).toBe(404);
  expect(calls).toEqual(['independent']);

  brokenLocal = false;
  expect((await tc.api('POST', `/api/steps/${run.steps![0]!.id}/retry`)).status).toBe(200);
  await tc.core.engine.idle();
  run = (await tc.api('GET', `/api/runs/${runId}`)).body as Run;
  expect(run.steps!.map((s) => [s.name, s.status])).toEqual([
    ['store', 'completed'],
    ['after_store', 'completed'],
    ['after_that', 'completed'],
    ['independent', 'completed'],
  ]);
  expect(run.status).toBe('completed');
  expect(calls).toEqual(['independent', 'after_store', 'after_that']);
  const lead = (await tc.api('GET', '/api/leads/half%40example.com')).body;
  expect(run.lead_id).toBe(lead.lead.id);
  expect(run.steps![1]!.output).toEqual({ saw: lead.lead.id });
});

it('events stored but never dispatched (a crash right after the acknowledgement) are dispatched on the next start', async () => {
  // Written the way the receiver stores an event, but without telling the engine.
  const raw = new Database(path.join(tc.dataDir, DB_FILE));
  const id = randomUUID();
  new EventStore(raw).insert(newEvent('probe.backlog', { email: 'backlog@example.com' }, { id, event: 'probe.go', source: 'events' }));
  raw.close();
  await tc.core.engine.idle();
  expect(tc.core.db.prepare('SELECT count(*) FROM runs WHERE event_id = ?').pluck().get(id)).toBe(0);

  await tc.restart();
  await tc.core.engine.idle();
  const runs = (await tc.api('GET', '/api/runs?flow=probe')).body.items as Run[];
  const run = runs.find((r) => r.event_id === id);
  expect(run?.status).toBe('completed');
  expect(tc.core.db.prepare('SELECT dispatched FROM events WHERE id = ?').pluck().get(id)).toBe(1);
  // Dispatching twice never doubles a run: one firing per (trigger, event).
  expect(tc.core.db.prepare('SELECT count(*) FROM trigger_firings WHERE event_id = ?').pluck().get(id)).toBe(1);
});
