/**
 * "I sent it: did anything happen, and if not, why?" For a request in the inbox, the API tells
 * which event it became, which lead it touched, and what each automation did with it: the run it
 * started, or why it did not run. A real core, a real SQLite file, real HTTP on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInfo, InboxRequest, RequestEffects, Run } from '../../shared/api/models.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

/** Posts to a webhook address, lets the automations run, and returns the request's inbox id. */
async function send(endpoint: string, body: Record<string, unknown>): Promise<number> {
  const res = await post(t.url(`/api/webhooks/${endpoint}`), body, { accept: 'application/json' });
  await t.core.engine.idle();
  const list = await t.api('GET', `/api/requests?endpoint=${endpoint}&limit=1`);
  const latest = list.body.items[0] as InboxRequest;
  expect(latest.status).toBe(res.status);
  return latest.id;
}

async function effects(requestId: number): Promise<RequestEffects> {
  const r = await t.api('GET', `/api/requests/${requestId}/effects`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as RequestEffects;
}

describe('what a request led to', () => {
  it('an opt-in: the lead it created and the three automations it started, in order, each with its run', async () => {
    const id = await send('lead-optin', { email: 'Ana@Salon.example', first_name: 'Ana', segment: 'beauty-salon' });
    const e = await effects(id);
    expect(e).toMatchObject({ request_id: id, state: 'dispatched', event: { event: 'lead.opted_in' } });
    expect(e.lead).toMatchObject({ email: 'ana@salon.example', name: 'Ana' });
    const lead = await t.api('GET', `/api/leads/${e.lead!.id}`);
    expect(lead.status).toBe(200);

    expect(e.automations.map((a) => [a.trigger_id, a.outcome])).toEqual([
      ['lead-optin', 'started'],
      ['optin-slack', 'started'],
      ['segment-nurture', 'started'],
    ]);
    for (const a of e.automations) {
      expect(a.reason).toBeNull();
      const run = (await t.api('GET', `/api/runs/${a.run!.id}`)).body as Run;
      expect(run).toMatchObject({ event_id: e.event!.id, flow: a.run!.flow, status: a.run!.status, trigger_id: a.trigger_id });
      expect(a.run!.flow_title).not.toBe('');
    }
    expect(e.automations[0]!.run!.flow_title).toBe('Lead opt-in');
  });

  it('a low-score assessment: the hot-lead notification left out and why; an automation held back by its threshold; one turned off', async () => {
    const flows = (await t.api('GET', '/api/flows')).body.items as FlowInfo[];
    const usual = flows.find((f) => f.name === 'assessment')!.usual;
    const save = async (draft: Record<string, unknown>) => expect((await t.api('PUT', '/api/triggers', { flow: 'assessment', ...usual, ...draft })).status).toBe(200);
    await save({ id: 'second-assessment', name: 'Second assessment within a day: score again', threshold: { count: 2, within_seconds: 86_400 } });
    await save({ id: 'paused-assessment', name: 'Assessment: paused copy', enabled: false });

    const id = await send('assessment', { email: 'ana@salon.example', first_name: 'Ana', score: 30 });
    const e = await effects(id);
    expect(e.state).toBe('dispatched');
    expect(e.lead?.email).toBe('ana@salon.example');
    const byId = Object.fromEntries(e.automations.map((a) => [a.trigger_id, a]));

    expect(byId.assessment).toMatchObject({ outcome: 'started', run: { flow: 'assessment', flow_title: 'Assessment completed' } });
    expect(byId.assessment!.run!.skipped_steps).toContainEqual({ name: 'hot_lead_notification', reason: 'the score 30 is cold, not hot' });
    expect(byId['second-assessment']).toMatchObject({ outcome: 'counted', run: null });
    expect(byId['second-assessment']!.reason).toMatch(/^Not yet: .*1 of 2 within 86400 s/);
    expect(byId['paused-assessment']).toMatchObject({ outcome: 'off', reason: 'It is turned off', run: null });
    // The opt-in automations do not listen for assessments: they are not listed.
    expect(Object.keys(byId).sort()).toEqual(['assessment', 'paused-assessment', 'second-assessment']);
  });

  it('an event no automation listens for: dispatched, nothing to list', async () => {
    expect((await t.api('DELETE', '/api/triggers/sales-page-visit')).status).toBe(200);
    const id = await send('sales-page-visit', { visitor_id: 'anon-1', page_url: 'https://example.com/pricing', duration: 40 });
    expect(await effects(id)).toMatchObject({ state: 'dispatched', event: { event: 'visitor.sales_page_visit' }, lead: null, automations: [] });
  });

  it('a refused request made no event; an unknown request is 404', async () => {
    const id = await send('lead-optin', { first_name: 'No email' });
    expect(await effects(id)).toEqual({ request_id: id, state: 'no_event', event: null, lead: null, automations: [] });
    expect((await t.api('GET', '/api/requests/999999/effects')).status).toBe(404);
  });
});
