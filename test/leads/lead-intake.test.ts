/**
 * Leads that do not come through a webhook: added by hand (checked like the opt-in webhook, the
 * automations only when asked), and test leads from test-fires (marked, left out of stats, charts
 * and exports, calling no app unless sent for real, cleared in one action). Real core and fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, Run } from '../../shared/api/models.js';
import { startWorld, stepsOf, type World } from '../engine/world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.stop());

const api = (method: string, path: string, body?: unknown) => w.tc.api(method, path, body);
const runsFor = async (leadId: string): Promise<Run[]> => {
  const list = (await api('GET', `/api/runs?lead_id=${leadId}&limit=100`)).body.items as Run[];
  return Promise.all(list.map(async (r) => (await api('GET', `/api/runs/${r.id}`)).body as Run));
};

describe('adding a lead by hand', () => {
  it('stores a walk-in without running any automation by default', async () => {
    const r = await api('POST', '/api/leads', { email: ' Walk.In@Salon.example ', first_name: 'Wanda', phone: '07700 900123', note: 'Came in for a trim' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ event_id: null, lead: { email: 'walk.in@salon.example', first_name: 'Wanda', source: 'added by hand', is_test: false } });
    await w.settle();
    expect(await runsFor(r.body.lead.id)).toEqual([]);
    expect(w.fakes.loops.sendsTo('walk.in@salon.example')).toEqual([]);
    const { timeline } = (await api('GET', `/api/leads/${r.body.lead.id}`)).body;
    expect(timeline.map((i: { kind: string; activity?: { kind: string } }) => i.activity?.kind)).toEqual(expect.arrayContaining(['added', 'note']));
  });

  it('runs the sign-up automations when asked: the welcome email goes out', async () => {
    const r = await api('POST', '/api/leads', { email: 'phoned@salon.example', first_name: 'Phil', run_automations: true });
    expect(r.status).toBe(200);
    expect(r.body.event_id).toEqual(expect.any(String));
    await w.settle();
    const run = (await w.runsOf(r.body.event_id)).find((x) => x.flow === 'lead-optin')!;
    expect(run.lead_id).toBe(r.body.lead.id);
    expect(stepsOf(run).send_cta_email?.status).toBe('completed');
    expect(w.fakes.loops.sendsTo('phoned@salon.example', 'email-1-immediate-cta')).toHaveLength(1);
  });

  it('refuses what the webhook refuses, each field by name, and an email already held', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, 'email', 'is required'],
      [{ email: 'nope' }, 'email', 'must be a valid email address'],
      [{ email: 'a@b.example', first_name: 'x'.repeat(201) }, 'first_name', 'must be at most 200 characters'],
      [{ email: 'a@b.example', phone: 'x'.repeat(51) }, 'phone', 'must be at most 50 characters'],
      [{ email: 'a@b.example', run_automations: 'yes' }, 'run_automations', ''],
      [{ email: 'a@b.example', shoe_size: 9 }, '(input)', ''],
    ];
    for (const [body, path, message] of cases) {
      const r = await api('POST', '/api/leads', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const field = (r.body.error.fields as { path: string; message: string }[]).find((f) => f.path === path);
      expect(field, JSON.stringify(r.body.error)).toBeDefined();
      expect(field!.message).toContain(message);
    }
    const taken = await api('POST', '/api/leads', { email: 'WALK.IN@salon.example' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ message: 'walk.in@salon.example is already one of your leads', fields: [{ path: 'email' }] });
  });
});

describe('test leads', () => {
  it('a test-fire makes a test lead that calls no app, and counts in no stat, chart or export', async () => {
    const stats = async () => (await api('GET', '/api/stats')).body;
    const before = await stats();
    const fired = await api('POST', '/api/test-fire', { endpoint: 'lead-optin', body: { email: 'tester@salon.example', first_name: 'Tess' } });
    expect(fired.status).toBe(200);
    await w.settle();
    const lead = (await api('GET', '/api/leads/tester@salon.example')).body.lead as Lead;
    expect(lead.is_test).toBe(true);
    const runs = await w.runsOf(fired.body.body.event_id);
    const calls = runs.flatMap((r) => r.steps ?? []).filter((s) => ['send_cta_email', 'add_to_audience', 'mirror_to_notion', 'start_nurture', 'notify_slack', 'notify_discord'].includes(s.name));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const s of calls) expect(s, s.name).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(runs.flatMap((r) => r.steps ?? []).find((s) => s.name === 'send_cta_email')).toBeDefined();
    expect(w.fakes.loops.sendsTo('tester@salon.example')).toEqual([]);

    const after = await stats();
    expect(after.today.new_leads).toBe(before.today.new_leads);
    expect(after.funnel.opted_in).toBe(before.funnel.opted_in);
    expect(after.leads_per_day).toEqual(before.leads_per_day);
    const listed = async (q: string) => ((await api('GET', `/api/leads?limit=1000&${q}`)).body.items as Lead[]).map((l) => l.email);
    expect(await listed('')).not.toContain('tester@salon.example');
    expect(await listed('test_leads=show')).toContain('tester@salon.example');
    expect(await listed('test_leads=only')).toEqual(['tester@salon.example']);
    expect((await api('GET', '/api/leads-export')).body.csv).not.toContain('tester@salon.example');
    expect((await api('GET', '/api/leads-export?test_leads=show')).body.csv).toContain('tester@salon.example');
  });

  it('"send for real" calls the apps', async () => {
    const fired = await api('POST', '/api/test-fire', { endpoint: 'lead-optin', body: { email: 'for-real@salon.example' }, send_for_real: true });
    await w.settle();
    const run = (await w.runsOf(fired.body.body.event_id)).find((r) => r.flow === 'lead-optin')!;
    expect(stepsOf(run).send_cta_email?.status).toBe('completed');
    expect(w.fakes.loops.sendsTo('for-real@salon.example', 'email-1-immediate-cta')).toHaveLength(1);
    expect((await api('GET', '/api/leads/for-real@salon.example')).body.lead.is_test).toBe(true);
  });

  it('are all cleared in one action, with their events, requests and runs; real leads stay', async () => {
    const real = (await api('GET', '/api/leads/walk.in@salon.example')).body.lead as Lead;
    const r = await api('DELETE', '/api/test-leads');
    expect(r.body).toEqual({ cleared: 2, waiting: 0 });
    expect((await api('GET', '/api/leads/tester@salon.example')).status).toBe(404);
    expect((await api('GET', '/api/leads?test_leads=only')).body.total).toBe(0);
    const events = (await api('GET', '/api/events?limit=1000&search=tester@salon.example')).body;
    expect(events.total).toBe(0);
    const requests = (await api('GET', '/api/requests?limit=1000')).body.items as { via: string }[];
    expect(requests.filter((q) => q.via === 'test-fire')).toEqual([]);
    expect((await api('GET', `/api/leads/${real.id}`)).status).toBe(200);
    expect((await api('DELETE', '/api/test-leads')).body).toEqual({ cleared: 0, waiting: 0 });
  });
});
