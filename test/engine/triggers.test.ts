/**
 * Triggers as data through the admin API: validation, fan-out, firings, thresholds and delays
 * (with a clock the test moves), dry runs, replays, and per-flow settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowInfo, Run, Trigger } from '../../shared/api/models.js';
import { ManualClock, startWorld, stepsOf, type World } from './world.js';

const DAY = 86_400_000;
const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now } });
});
afterAll(() => w.stop());

const save = (draft: Record<string, unknown>) => w.tc.api('PUT', '/api/triggers', draft);

async function runsOfTrigger(triggerId: string): Promise<Run[]> {
  const list = await w.tc.api('GET', '/api/runs?limit=1000');
  return (list.body.items as Run[]).filter((r) => r.trigger_id === triggerId);
}

describe('defaults', () => {
  it('a new data folder starts with the guide\'s triggers, and the flows list their settings and defaults', async () => {
    const triggers = (await w.tc.api('GET', '/api/triggers')).body.items as Trigger[];
    expect(triggers.map((t) => [t.id, t.flow, t.expect])).toEqual([
      ['lead-optin', 'lead-optin', ['lead.opted_in']],
      ['optin-slack', 'optin-notification', ['lead.opted_in']],
      ['segment-nurture', 'segment-routing', ['lead.opted_in']],
      ['assessment', 'assessment', ['lead.assessment_complete']],
      ['lead-booked', 'lead-booked', ['lead.booked']],
      ['lead-booking-canceled', 'lead-booking-canceled', ['lead.booking_canceled']],
      ['lead-purchased', 'lead-purchased', ['lead.purchased']],
      ['sales-page-visit', 'sales-page-visit', ['visitor.sales_page_visit']],
      ['email-engagement', 'email-engagement', ['email.opened', 'email.clicked']],
    ]);
    const flows = (await w.tc.api('GET', '/api/flows')).body.items as FlowInfo[];
    const assessment = flows.find((f) => f.name === 'assessment')!;
    expect(assessment.defaults).toMatchObject({ hot_threshold: 80, warm_threshold: 50, hot_nurture_event: 'hot_lead_nurture' });
    expect(assessment.settings).toEqual(assessment.defaults);
    expect(flows.find((f) => f.name === 'lead-optin')!.defaults).toMatchObject({ cta_transactional_id: 'email-1-immediate-cta', audience: 'opted_in_leads' });
  });
});

describe('saving a trigger', () => {
  const base = { name: 'Custom', flow: 'outbound-webhook', expect: ['lead.opted_in'], parameters: { type: 'lead.new', data: '{{ event.payload }}' } };

  it('refuses an unknown flow, a bad template, an unknown filter, prototype access and bad patterns, naming each field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, flow: 'nope' }, 'flow', /unknown flow "nope" \(known: lead-optin/],
      [{ ...base, parameters: { type: '{{ event.payload.email | shout }}' } }, 'parameters.type', /unknown filter "shout"/],
      [{ ...base, parameters: { type: 'x', data: { deep: ['{{ event.payload.email' ] } } }, 'parameters.data.deep.0', /never closed/],
      [{ ...base, parameters: { type: '{{ event.__proto__ }}' } }, 'parameters.type', /"__proto__" is not allowed/],
      [{ ...base, match: { 'prefect.resource.id': 'le*d' } }, 'match.prefect.resource.id', /only allowed at the end/],
      [{ ...base, expect: ['!lead.opted_in'] }, 'expect.0', /"!" is not supported/],
    ];
    for (const [draft, path, message] of cases) {
      const res = await save(draft);
      expect(res.status, JSON.stringify(draft)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(/^the trigger is invalid: /);
      const field = res.body.error.fields.find((f: { path: string }) => f.path === path);
      expect(field, JSON.stringify(res.body)).toBeDefined();
      expect(field.message).toMatch(message);
    }
    expect((await w.tc.api('GET', '/api/triggers')).body.items).toHaveLength(9);
  });

  it('fan-out: every matching trigger runs, and every firing is recorded', async () => {
    const saved = await save({ ...base, id: 'forward-optins', match: { 'prefect.resource.id': ['lead.*', '!lead.ops@internal.test'] } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: 'forward-optins', enabled: true, threshold: null, schedule_after_seconds: 0 });

    const eventId = await w.send('lead-optin', { email: 'fan@example.com', first_name: 'Fan' });
    await w.settle();
    const runs = await w.runsOf(eventId);
    expect(runs.map((r) => r.flow).sort()).toEqual(['lead-optin', 'optin-notification', 'outbound-webhook', 'segment-routing']);
    const firings = w.tc.core.db.prepare('SELECT trigger_id, run_id, outcome FROM trigger_firings WHERE event_id = ? ORDER BY trigger_id').all(eventId);
    expect(firings).toEqual(
      runs.map((r) => ({ trigger_id: r.trigger_id, run_id: r.id, outcome: 'fired' })).sort((a, b) => a.trigger_id!.localeCompare(b.trigger_id!)),
    );
    const forwarded = w.fakes.webhook.deliveries.find((d) => (d.data as { email?: string }).email === 'fan@example.com');
    expect(forwarded).toMatchObject({ type: 'lead.new', data: { email: 'fan@example.com', first_name: 'Fan' } });
    const step = runs.find((r) => r.flow === 'outbound-webhook')!.steps![0]!;
    expect(forwarded!.id).toBe(step.idempotency_key);

    // The negated pattern keeps internal addresses out.
    const internal = await w.send('lead-optin', { email: 'ops@internal.test' });
    await w.settle();
    expect((await w.runsOf(internal)).map((r) => r.flow)).not.toContain('outbound-webhook');
  });

  it('parameters that do not fit the flow make a visible failed run saying why', async () => {
    const eventId = await w.send('events', { event: 'lead.opted_in', id: 'no-email-1', payload: { first_name: 'Nomail' } });
    await w.settle();
    const run = await w.run('lead-optin', eventId);
    expect(run.status).toBe('failed');
    expect(run.steps!.map((s) => [s.name, s.status, s.error])).toEqual([
      ['check_parameters', 'failed', 'the parameters do not fit the flow: parameters.email is required'],
    ]);
    const firing = w.tc.core.db.prepare("SELECT outcome, detail FROM trigger_firings WHERE event_id = ? AND trigger_id = 'lead-optin'").get(eventId);
    expect(firing).toEqual({ outcome: 'rejected', detail: 'the parameters do not fit the flow: parameters.email is required' });
    // The step only records why: there is nothing to run again, so it is not offered for a retry.
    expect(run.steps![0]!.retryable).toBe(false);
    const retry = await w.tc.api('POST', `/api/steps/${run.steps![0]!.id}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toMatch(/records why the run could not start/);
    expect((await w.run('lead-optin', eventId)).steps!.map((s) => [s.status, s.attempts])).toEqual([['failed', 0]]);
  });

  it('delete: gone from the list, no longer fires, and the defaults are not brought back on restart', async () => {
    expect((await w.tc.api('DELETE', '/api/triggers/forward-optins')).status).toBe(200);
    expect((await w.tc.api('DELETE', '/api/triggers/forward-optins')).status).toBe(404);
    expect((await w.tc.api('DELETE', '/api/triggers/optin-slack')).status).toBe(200);
    await w.tc.restart();
    const ids = ((await w.tc.api('GET', '/api/triggers')).body.items as Trigger[]).map((t) => t.id);
    expect(ids).not.toContain('optin-slack');
    expect(ids).not.toContain('forward-optins');
    const eventId = await w.send('lead-optin', { email: 'after-delete@example.com' });
    await w.settle();
    expect((await w.runsOf(eventId)).map((r) => r.flow).sort()).toEqual(['lead-optin', 'segment-routing']);
  });
});

describe('threshold and delay', () => {
  it('"3 sales-page visits within 7 days" per visitor, counting again after it fires', async () => {
    const t = await save({
      id: 'three-visits',
      name: 'Three visits in a week',
      flow: 'outbound-webhook',
      match: { 'prefect.resource.id': 'visitor.*' },
      expect: ['visitor.sales_page_visit'],
      parameters: { type: 'visitor.keen', data: { visitor: '{{ event.payload.visitor_id }}' } },
      threshold: { count: 3, within_seconds: 7 * 86_400 },
    });
    expect(t.status).toBe(200);
    const visit = async (visitor: string, advanceDays: number) => {
      clock.advance(advanceDays * DAY);
      const id = await w.send('sales-page-visit', { visitor_id: visitor, page_url: 'https://example.com/pricing', duration: 5 });
      await w.settle();
      return w.tc.core.db.prepare("SELECT outcome, detail FROM trigger_firings WHERE trigger_id = 'three-visits' AND event_id = ?").get(id);
    };
    // Spread out: never three inside one week.
    expect(await visit('slow', 0)).toEqual({ outcome: 'counted', detail: '1 of 3 within 604800 s' });
    expect(await visit('slow', 5)).toEqual({ outcome: 'counted', detail: '2 of 3 within 604800 s' });
    expect(await visit('slow', 5)).toEqual({ outcome: 'counted', detail: '2 of 3 within 604800 s' });
    // Another visitor's visits do not count toward this one's.
    expect(await visit('keen', 0)).toMatchObject({ outcome: 'counted' });
    expect(await visit('keen', 1)).toMatchObject({ outcome: 'counted' });
    expect(await visit('other', 0)).toMatchObject({ outcome: 'counted', detail: '1 of 3 within 604800 s' });
    expect(await visit('keen', 1)).toEqual({ outcome: 'fired', detail: null });
    // The count starts again after firing.
    expect(await visit('keen', 1)).toEqual({ outcome: 'counted', detail: '1 of 3 within 604800 s' });

    const runs = await runsOfTrigger('three-visits');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('completed');
    expect(w.fakes.webhook.deliveries.filter((d) => d.type === 'visitor.keen').map((d) => d.data)).toEqual([{ visitor: 'keen' }]);
  });

  it('schedule_after delays the run durably; it runs when its time comes', async () => {
    expect(
      (
        await save({
          id: 'later',
          name: 'An hour later',
          flow: 'outbound-webhook',
          expect: ['lead.assessment_complete'],
          parameters: { type: 'lead.followup', data: '{{ event.payload.email }}' },
          schedule_after_seconds: 3600,
        })
      ).status,
    ).toBe(200);
    const at = clock.ms;
    const eventId = await w.send('assessment', { email: 'later@example.com', score: 40 });
    await w.settle();
    let run = await w.run('outbound-webhook', eventId);
    expect(run.status).toBe('scheduled');
    expect(run.scheduled_for).toBe(new Date(at + 3_600_000).toISOString());
    expect(w.fakes.webhook.deliveries.some((d) => d.type === 'lead.followup')).toBe(false);

    // Still scheduled after a restart; runs once the hour has passed.
    await w.tc.restart();
    clock.advance(3_599_000);
    w.tc.core.engine.wake();
    await w.settle();
    expect((await w.run('outbound-webhook', eventId)).status).toBe('scheduled');
    clock.advance(1_000);
    w.tc.core.engine.wake();
    await w.settle();
    run = await w.run('outbound-webhook', eventId);
    expect(run.status).toBe('completed');
    expect(w.fakes.webhook.deliveries.filter((d) => d.type === 'lead.followup').map((d) => d.data)).toEqual(['later@example.com']);
  });
});

describe('dry runs and replays', () => {
  it('a dry run shows which stored events a draft would fire on, with rendered parameters, and stores nothing', async () => {
    const runsBefore = (await w.tc.api('GET', '/api/runs?limit=1')).body.total;
    const res = await w.tc.api('POST', '/api/triggers/dry-run', {
      trigger: { name: 'Draft', flow: 'outbound-webhook', expect: ['lead.assessment_complete'], parameters: { type: 'x', data: { e: '{{ event.payload.email | upper }}', s: '{{ event.payload.score }}' } } },
      limit: 1000,
    });
    expect(res.status).toBe(200);
    expect(res.body.examined).toBeGreaterThan(1);
    expect(res.body.matches).toEqual([
      expect.objectContaining({ event: 'lead.assessment_complete', parameters: { type: 'x', data: { e: 'LATER@EXAMPLE.COM', s: 40 } } }),
    ]);
    expect((await w.tc.api('GET', '/api/runs?limit=1')).body.total).toBe(runsBefore);
    const bad = await w.tc.api('POST', '/api/triggers/dry-run', { trigger: { name: 'Draft', flow: 'lead-optin', parameters: { email: '{{ event | nope }}' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('parameters.email');
  });

  it('a replay emits a copy of the event (new id, source "replay") and its triggers run again', async () => {
    const original = await w.send('lead-optin', { email: 'replay@example.com', first_name: 'Ray' });
    await w.settle();
    const res = await w.tc.api('POST', `/api/events/${original}/replay`);
    expect(res.status).toBe(200);
    const copy = res.body.event_id as string;
    expect(copy).not.toBe(original);
    await w.settle();
    const stored = (await w.tc.api('GET', '/api/events?search=replay%40example.com')).body.items;
    expect(stored.map((e: { id: string; source: string; idempotency_key: string | null }) => [e.id, e.source, e.idempotency_key])).toEqual([
      [copy, 'replay', null],
      [original, 'lead-optin', null],
    ]);
    expect((await w.runsOf(copy)).map((r) => r.flow).sort()).toEqual(['lead-optin', 'segment-routing']);
    expect(w.fakes.loops.sendsTo('replay@example.com', 'email-1-immediate-cta')).toHaveLength(2);
    expect((await w.tc.api('POST', '/api/events/nope/replay')).status).toBe(404);
  });
});

describe('per-flow settings', () => {
  it('are validated by the flow\'s schema and used by the next run', async () => {
    const bad = await w.tc.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 'high', colour: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['flows.assessment', 'flows.assessment.hot_threshold']);
    const unknown = await w.tc.api('PUT', '/api/settings', { flows: { nope: {} } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0]).toMatchObject({ path: 'flows.nope' });
    const badTemplate = await w.tc.api('PUT', '/api/settings', { flows: { 'optin-notification': { message: 'Hi {{ first_name | nope }}' } } });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.error.fields[0]).toMatchObject({ path: 'flows.optin-notification.message' });
    const inverted = await w.tc.api('PUT', '/api/settings', { flows: { assessment: { warm_threshold: 90 } } });
    expect(inverted.status).toBe(400);

    expect((await w.tc.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 90 } } })).status).toBe(200);
    const flows = (await w.tc.api('GET', '/api/flows')).body.items as FlowInfo[];
    expect(flows.find((f) => f.name === 'assessment')!.settings).toMatchObject({ hot_threshold: 90, warm_threshold: 50 });
    const eventId = await w.send('assessment', { email: 'eighty-five@example.com', score: 85 });
    await w.settle();
    const run = await w.run('assessment', eventId);
    expect(stepsOf(run).score_lead!.output).toMatchObject({ score: 85, status: 'warm' });
    expect(run.steps!.find((s) => s.name === 'score_lead')!.input).toMatchObject({ hot_threshold: 90 });
  });

  it('a flow describes itself from its current settings, and an alert channel turned off skips its step with a reason', async () => {
    const describe = async () => ((await w.tc.api('GET', '/api/flows')).body.items as FlowInfo[]).find((f) => f.name === 'assessment')!.description;
    expect((await w.tc.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 90, warm_threshold: 40, hot_alert_channels: ['desktop'] } } })).status).toBe(200);
    expect(await describe()).toContain('90 and up is hot, 40 and up is warm');
    expect(await describe()).toContain('alerts this computer for hot leads');
    const inverted = await w.tc.api('PUT', '/api/settings', { flows: { assessment: { warm_threshold: 95 } } });
    expect(inverted.body.error.fields).toContainEqual({ path: 'flows.assessment.warm_threshold', message: 'The warm score must not be above the hot score' });

    const eventId = await w.send('assessment', { email: 'channels@example.com', score: 97 });
    await w.settle();
    const steps = stepsOf(await w.run('assessment', eventId));
    expect(steps.hot_lead_alert).toMatchObject({ status: 'skipped', output: { skipped: "Discord alerts are turned off in this automation's settings" } });
    expect(steps.hot_lead_notification!.status).toBe('completed');
    expect((await w.tc.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 80, warm_threshold: 50, hot_alert_channels: ['discord', 'desktop'] } } })).status).toBe(200);
    expect(await describe()).toContain('80 and up is hot, 50 and up is warm), alerts Discord and this computer');
  });
});

describe('a new trigger wired the way its flow usually is', () => {
  it('each flow lists the parameters it requires and its usual wiring, the same as its built-in trigger', async () => {
    const flows = (await w.tc.api('GET', '/api/flows')).body.items as FlowInfo[];
    const byName = new Map(flows.map((f) => [f.name, f]));
    expect(byName.get('lead-optin')!.required_parameters).toEqual(['email']);
    expect(byName.get('sales-page-visit')!.required_parameters).toEqual(['visitor_id', 'page_url']);
    expect(byName.get('outbound-webhook')!.required_parameters).toEqual(['type']);
    expect(byName.get('lead-optin')!.usual).toEqual({
      expect: ['lead.opted_in'],
      match: { 'prefect.resource.id': 'lead.*' },
      parameters: Object.fromEntries(['email', 'first_name', 'last_name', 'phone', 'visitor_id', 'segment', 'source'].map((k) => [k, `{{ event.payload.${k} }}`])),
    });
    // A flow with no built-in trigger: the owner picks the events; the parameters still fit it.
    expect(byName.get('outbound-webhook')!.usual).toEqual({ expect: [], match: {}, parameters: { type: '{{ event.event }}', data: '{{ event.payload }}' } });
    const builtIn = (await w.tc.api('GET', '/api/triggers')).body.items as Trigger[];
    for (const t of builtIn.filter((b) => ['lead-optin', 'assessment', 'sales-page-visit', 'email-engagement'].includes(b.id))) {
      expect(byName.get(t.flow)!.usual, t.id).toEqual({ expect: t.expect, match: t.match, parameters: t.parameters });
    }
  });

  it('refuses to switch on a trigger that leaves out a required parameter, but lets it be saved switched off or for Prefect', async () => {
    const draft = { name: 'Sign-ups, no mapping', flow: 'lead-optin', expect: ['lead.opted_in'], parameters: { first_name: '{{ event.payload.first_name }}' } };
    const refused = await save(draft);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'parameters.email', message: expect.stringMatching(/^"Lead opt-in" needs email: without it every run fails \(usually "\{\{ event\.payload\.email \}\}"\)/) }]);
    expect((await save({ ...draft, parameters: { email: '' } })).body.error.fields[0].path).toBe('parameters.email');
    const dry = await w.tc.api('POST', '/api/triggers/dry-run', { trigger: draft });
    expect(dry.body.error.fields[0].path).toBe('parameters.email');

    const off = await save({ ...draft, enabled: false });
    expect(off.status).toBe(200);
    const forPrefect = await save({ ...draft, run_on: 'prefect', enabled: false });
    expect(forPrefect.status).toBe(200);
    expect((await save({ ...toDraftOf(forPrefect.body), enabled: true })).status).toBe(200);
    // Switching the broken one on again is refused, naming what is missing.
    expect((await save({ ...toDraftOf(off.body), enabled: true })).body.error.fields[0].path).toBe('parameters.email');
    for (const t of [off.body, forPrefect.body] as Trigger[]) expect((await w.tc.api('DELETE', `/api/triggers/${t.id}`)).status).toBe(200);
  });

  it('saved with only a name, a flow and the flow\'s usual wiring, it runs on its events and not on others', async () => {
    const flows = (await w.tc.api('GET', '/api/flows')).body.items as FlowInfo[];
    for (const flowName of ['sales-page-visit', 'outbound-webhook']) {
      const usual = flows.find((f) => f.name === flowName)!.usual;
      const expectEvents = usual.expect.length ? usual.expect : ['visitor.sales_page_visit'];
      const saved = await save({ name: `Usual ${flowName}`, flow: flowName, ...usual, expect: expectEvents });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const id = (saved.body as Trigger).id;

      const visit = await w.send('sales-page-visit', { visitor_id: `usual-${flowName}`, page_url: 'https://example.com/pricing', duration: 12 });
      const optin = await w.send('lead-optin', { email: `usual.${flowName}@example.com` });
      await w.settle();
      const ran = (await runsOfTrigger(id)).filter((r) => r.event_id === visit || r.event_id === optin);
      expect(ran.map((r) => [r.event_id, r.status])).toEqual([[visit, 'completed']]);
      expect((await w.tc.api('DELETE', `/api/triggers/${id}`)).status).toBe(200);
    }
    expect(w.fakes.webhook.deliveries.find((d) => d.type === 'visitor.sales_page_visit')).toMatchObject({
      data: { visitor_id: 'usual-outbound-webhook', page_url: 'https://example.com/pricing', duration: 12 },
    });
  });
});

function toDraftOf(t: Trigger): Record<string, unknown> {
  const { created_at: _c, updated_at: _u, ...draft } = t;
  return draft;
}
