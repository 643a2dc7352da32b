/**
 * Failures through the real receiver, engine and fakes: one vendor failing leaves the run partial
 * while the others still send; Retry-After is honoured; the last attempt dead-letters a step,
 * and a manual retry re-queues it with the same idempotency key; unconfigured is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../shared/api/models.js';
import { ManualClock, startWorld, stepsOf, type World } from './world.js';

const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now, maxAttempts: 3 } });
});
afterAll(() => w.stop());

const stepOf = (run: Run, name: string) => run.steps!.find((s) => s.name === name)!;

describe('one vendor failing', () => {
  it('does not stop the other steps: the run ends partial, the others still sent', async () => {
    w.fakes.discord.deleteWebhook(); // 404 Unknown Webhook: permanent
    const eventId = await w.send('assessment', { email: 'partial@example.com', first_name: 'Pat', score: 95 });
    await w.settle();
    const run = await w.run('assessment', eventId);
    expect(run.status).toBe('partial');
    const steps = stepsOf(run);
    expect(steps.hot_lead_alert!.status).toBe('failed');
    expect(steps.hot_lead_alert!.error).toMatch(/Discord/);
    expect(steps.hot_lead_alert!.attempts).toBe(1);
    for (const name of ['score_lead', 'hot_lead_notification', 'start_nurture', 'add_to_audience', 'mirror_to_notion']) {
      expect(steps[name]!.status, name).toBe('completed');
    }
    expect(w.fakes.loops.sendsTo('partial@example.com', 'hot_lead_nurture')).toHaveLength(1);
    expect(w.fakes.notion.pagesWithEmail('partial@example.com')).toHaveLength(1);
    const failed = (await w.tc.api('GET', '/api/runs?status=partial')).body.items as Run[];
    expect(failed.map((r) => r.id)).toContain(run.id);
  });

  it('a run where nothing succeeded ends failed', async () => {
    // Segment routing has one step: with Loops refusing the data (400, its documented
    // { success: false, message } body), the run has no success at all.
    w.fakes.loops.server.failNext(1, { status: 400, json: { success: false, message: 'Invalid event properties' } }, (r) => r.path.endsWith('/events/send'));
    const eventId = await w.send('lead-optin', { email: 'refused@example.com', first_name: 'Ref' });
    await w.settle();
    const routing = await w.run('segment-routing', eventId);
    expect(routing.status).toBe('failed');
    expect(stepOf(routing, 'start_nurture')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stepOf(routing, 'start_nurture').error).toMatch(/400.*Invalid event properties/);
    expect(routing.steps!.find((s) => s.name === 'start_nurture')!.failure).toEqual({ kind: 'refused', said: 'Invalid event properties' });
    // The opt-in's own email was not refused: that run went through.
    expect((await w.run('lead-optin', eventId)).status).toBe('completed');
  });
});

describe('retries', () => {
  // A cold assessment makes exactly one Loops call (the standard nurture event) and no other send.
  const assess = async (email: string) => {
    const eventId = await w.send('assessment', { email, score: 10 });
    await w.settle();
    return eventId;
  };
  const nurture = async (eventId: string) => stepOf(await w.run('assessment', eventId), 'start_nurture');
  const advanceTo = async (iso: string) => {
    clock.advance(Date.parse(iso) - clock.ms);
    w.tc.core.engine.wake();
    await w.settle();
  };

  it('a 429 with Retry-After is retried no sooner than asked, with the same idempotency key, then succeeds', async () => {
    w.fakes.loops.server.failNext(1, { status: 429, retryAfter: 2 });
    const eventId = await assess('retry@example.com');
    const pending = await nurture(eventId);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.error).toMatch(/429/);
    expect(Date.parse(pending.next_attempt_at!) - clock.ms).toBeGreaterThanOrEqual(2_000);
    expect((await w.run('assessment', eventId)).status).toBe('running');
    expect(w.fakes.loops.sendsTo('retry@example.com')).toHaveLength(0);

    await advanceTo(pending.next_attempt_at!);
    const run = await w.run('assessment', eventId);
    expect(run.status).toBe('completed');
    expect(stepOf(run, 'start_nurture')).toMatchObject({ status: 'completed', attempts: 2, error: null, idempotency_key: pending.idempotency_key });
    expect(w.fakes.loops.sendsTo('retry@example.com')).toHaveLength(1);
    expect(w.fakes.loops.sendsByKey().get(pending.idempotency_key)).toBe(1);
  });

  it('after the last attempt a step is dead-lettered; a manual retry sends it once, with the same key', async () => {
    w.fakes.loops.server.failNext(3, { status: 500 });
    const eventId = await assess('dead@example.com');
    for (let attempt = 1; attempt < 3; attempt++) {
      const s = await nurture(eventId);
      expect(s).toMatchObject({ status: 'pending', attempts: attempt });
      await advanceTo(s.next_attempt_at!);
    }
    let run = await w.run('assessment', eventId);
    const dead = stepOf(run, 'start_nurture');
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, next_attempt_at: null });
    expect(dead.error).toMatch(/^gave up after 3 attempts: /);
    expect(run.status).toBe('partial');
    expect(w.fakes.loops.sendsTo('dead@example.com')).toHaveLength(0);
    const deadRuns = (await w.tc.api('GET', '/api/runs?dead=true')).body.items as Run[];
    expect(deadRuns.map((r) => r.id)).toEqual([run.id]);

    const refused = await w.tc.api('POST', `/api/steps/${stepOf(run, 'score_lead').id}/retry`);
    expect(refused.status).toBe(409);
    expect((await w.tc.api('POST', '/api/steps/nope/retry')).status).toBe(404);

    const res = await w.tc.api('POST', `/api/steps/${dead.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    expect(stepOf(res.body, 'start_nurture')).toMatchObject({ status: 'pending', attempts: 0, error: null });
    await w.settle();
    run = await w.run('assessment', eventId);
    expect(run.status).toBe('completed');
    expect(stepOf(run, 'start_nurture')).toMatchObject({ status: 'completed', attempts: 1, idempotency_key: dead.idempotency_key });
    expect(w.fakes.loops.sendsTo('dead@example.com')).toHaveLength(1);
    expect(w.fakes.loops.sendsByKey().get(dead.idempotency_key)).toBe(1);
    expect((await w.tc.api('GET', '/api/runs?dead=true')).body.items).toEqual([]);
  });

  it("a send whose answer was lost is retried with the same key, and Loops' 409 counts as already sent", async () => {
    w.fakes.loops.server.failNext(1, { mode: 'lose-answer' });
    const eventId = await assess('lost@example.com');
    const s = await nurture(eventId);
    expect(s.status).toBe('pending');
    expect(w.fakes.loops.sendsTo('lost@example.com')).toHaveLength(1);
    await advanceTo(s.next_attempt_at!);
    expect(await nurture(eventId)).toMatchObject({ status: 'completed', attempts: 2, output: { already_sent: true } });
    expect(w.fakes.loops.sendsTo('lost@example.com')).toHaveLength(1);
  });
});

describe('not configured', () => {
  it('an integration without credentials is skipped with the reason; configured later, a retry sends it', async () => {
    const slackUrl = w.fakes.slack.webhookUrl;
    w.tc.core.stores.secrets.set('integration.slack.webhook_url', null);
    const eventId = await w.send('lead-optin', { email: 'noslack@example.com', first_name: 'Nia' });
    await w.settle();
    const run = await w.run('optin-notification', eventId);
    expect(run.status).toBe('completed');
    const step = stepOf(run, 'notify_slack');
    // Skipped when its turn came, unattempted: never marked running nor handed to Slack's outbox.
    expect(step).toMatchObject({
      status: 'skipped',
      attempts: 0,
      error: null,
      output: { skipped: 'Slack is not configured: add a webhook URL', not_configured: true },
    });
    // A step skipped for another reason (here: no visitor id to mark) is not retryable.
    const optin = await w.run('lead-optin', eventId);
    const visitorStep = optin.steps!.find((s) => s.status === 'skipped' && !(s.output as { not_configured?: boolean }).not_configured);
    expect(visitorStep, 'a step skipped while planning').toBeTruthy();
    const refused = await w.tc.api('POST', `/api/steps/${visitorStep!.id}/retry`);
    expect(refused.status).toBe(409);

    w.tc.core.stores.secrets.set('integration.slack.webhook_url', slackUrl);
    expect((await w.tc.api('POST', `/api/steps/${step.id}/retry`)).status).toBe(200);
    await w.settle();
    expect(stepOf(await w.run('optin-notification', eventId), 'notify_slack').status).toBe('completed');
    expect(w.fakes.slack.messages.map((m) => m.text)).toContain('New lead: Nia (noslack@example.com)');
  });

  it('an audience with no id configured is skipped, and the rest of the run completes', async () => {
    const ids = w.fakes.meta.audienceIds;
    w.tc.core.stores.settings.update({ integrations: { meta: { audiences: { assessment_completers: ids.assessment_completers! } } } });
    const eventId = await w.send('lead-optin', { email: 'noaudience@example.com' });
    await w.settle();
    w.tc.core.stores.settings.update({ integrations: { meta: { audiences: ids } } });
    const run = await w.run('lead-optin', eventId);
    expect(run.status).toBe('completed');
    expect(stepOf(run, 'add_to_audience')).toMatchObject({ status: 'skipped' });
    expect(String((stepOf(run, 'add_to_audience').output as { skipped: string }).skipped)).toMatch(/opted_in_leads/);
  });

  it('testIntegration reports the vendor\'s answer', async () => {
    const ok = await w.tc.api('POST', '/api/integrations/loops/test');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, status: 200 });
    const unknown = await w.tc.api('POST', '/api/integrations/fax/test');
    expect(unknown.body).toMatchObject({ ok: false, status: null });
  });
});
