/**
 * Do-not-contact: Loops' unsubscribes, hard bounces and spam reports (its own webhooks, on the
 * email-engagement endpoint) mark the lead, the owner can mark and clear by hand, and every step
 * that would reach the person (Loops emails and sequences, Meta audiences) is skipped with the
 * reason in the run, while steps that do not (Notion, team alerts) go on. Real core, real fakes.
 *
 * Loops' webhook bodies as documented: `eventName`, `webhookSchemaVersion` "1.0.0", `eventTime`
 * in unix seconds, a `contactIdentity` object, and for email events an `email` object with
 * `sourceType` and its campaign, loop or transactional id:
 * https://loops.so/docs/webhooks,
 * https://loops.so/docs/api-reference/webhooks/contact-unsubscribed,
 * https://loops.so/docs/api-reference/webhooks/email-unsubscribed,
 * https://loops.so/docs/api-reference/webhooks/email-hard-bounced,
 * https://loops.so/docs/api-reference/webhooks/email-spam-reported
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, TimelineItem } from '../../shared/api/models.js';
import { post } from '../helpers/core.js';
import { startWorld, stepsOf, type World } from '../engine/world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.stop());

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function loopsBody(eventName: string, email: string): Record<string, unknown> {
  const emailEvent = eventName.startsWith('email.');
  return {
    eventName,
    eventTime: 1_764_754_000, // 3 Dec 2025, 09:26 UTC
    webhookSchemaVersion: '1.0.0',
    contactIdentity: { id: 'cm1contact', email, userId: null },
    ...(emailEvent && { sourceType: 'campaign', campaignId: 'cm1campaign', email: { id: 'cm1email', emailMessageId: 'cm1msg', subject: 'Spring offers' } }),
  };
}

async function lead(email: string): Promise<{ lead: Lead; timeline: TimelineItem[] }> {
  const r = await w.tc.api('GET', `/api/leads/${encodeURIComponent(email)}`);
  expect(r.status).toBe(200);
  return r.body;
}

async function optIn(email: string): Promise<string> {
  const id = await w.send('lead-optin', { email, first_name: 'Una', phone: '+44 20 7946 0001', event_id: randomUUID() });
  await w.settle();
  return id;
}

const audienceHas = (email: string) => [...w.fakes.meta.audiences.values()].some((a) => a.members.get('EMAIL_SHA256')!.has(sha(email)));

describe("Loops' do-not-contact webhooks", () => {
  it.each([
    ['contact.unsubscribed', 'unsubscribed'],
    ['email.unsubscribed', 'unsubscribed'],
    ['email.hardBounced', 'hard_bounced'],
    ['email.spamReported', 'spam_reported'],
  ])('%s marks the lead (%s), with its source and time, on its timeline', async (eventName, reason) => {
    const email = `${eventName.replace('.', '-').toLowerCase()}@salon.example`;
    await optIn(email);
    const r = await post(w.tc.url('/api/webhooks/email-engagement'), loopsBody(eventName, email.toUpperCase()));
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    await w.settle();
    const { lead: l, timeline } = await lead(email);
    expect(l.do_not_contact).toEqual({ reason, source: 'loops', at: '2025-12-03T09:26:40.000Z', note: null });
    expect(timeline.some((i) => i.kind === 'event' && i.event.event === 'contact.do_not_contact')).toBe(true);
    expect(timeline.find((i) => i.kind === 'activity')).toMatchObject({ activity: { kind: 'do_not_contact', detail: { set: true, reason, source: 'loops' } } });
  });

  it('a bounce that also unsubscribes keeps the first mark', async () => {
    const email = 'twice@salon.example';
    await optIn(email);
    await post(w.tc.url('/api/webhooks/email-engagement'), loopsBody('email.hardBounced', email));
    await post(w.tc.url('/api/webhooks/email-engagement'), loopsBody('contact.unsubscribed', email));
    await w.settle();
    const { lead: l, timeline } = await lead(email);
    expect(l.do_not_contact?.reason).toBe('hard_bounced');
    expect(timeline.filter((i) => i.kind === 'activity' && i.activity.kind === 'do_not_contact')).toHaveLength(1);
  });

  it("an unsubscribed lead's later opt-in sends no Loops email and adds no Meta audience member; the run says why", async () => {
    const email = 'una@salon.example';
    await optIn(email);
    // The welcome email, and the segment's nurture sequence started.
    const sentBefore = w.fakes.loops.sendsTo(email).length;
    expect(w.fakes.loops.sendsTo(email, 'email-1-immediate-cta')).toHaveLength(1);
    expect(sentBefore).toBeGreaterThanOrEqual(1);
    expect(audienceHas(email)).toBe(true);
    const uploadsBefore = w.fakes.meta.uploads.length;
    // Meta keeps members; count what this person's later opt-in would have uploaded.
    await post(w.tc.url('/api/webhooks/email-engagement'), loopsBody('contact.unsubscribed', email));
    await w.settle();

    const eventId = await optIn(email);
    const run = await w.run('lead-optin', eventId);
    const steps = stepsOf(run);
    expect(steps.send_cta_email).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(steps.add_to_audience).toMatchObject({ status: 'skipped', attempts: 0 });
    // Not something to retry: the person asked not to be contacted.
    expect(run.steps!.find((s) => s.name === 'send_cta_email')!.retryable).toBe(false);
    // The reason is shown with the run (the request's effects list each skipped step's reason).
    const req = (await w.tc.api('GET', '/api/requests?limit=5')).body.items.find((i: { event_id: string }) => i.event_id === eventId);
    const fx = await w.tc.api('GET', `/api/requests/${req.id}/effects`);
    const skipped = fx.body.automations.flatMap((a: { run: { skipped_steps: { name: string; reason: string }[] } | null }) => a.run?.skipped_steps ?? []);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { name: 'send_cta_email', reason: 'Do not contact (unsubscribed via Loops on 3 Dec 2025): nothing was sent to Loops' },
        { name: 'add_to_audience', reason: 'Do not contact (unsubscribed via Loops on 3 Dec 2025): nothing was sent to Meta' },
      ]),
    );
    // Nothing more reached Loops for them: neither the welcome email nor a sequence.
    expect(w.fakes.loops.sendsTo(email)).toHaveLength(sentBefore);
    expect(w.fakes.meta.uploads.length).toBe(uploadsBefore);
    // What does not reach the person still happens: the Notion mirror.
    expect(steps.mirror_to_notion?.status).toBe('completed');
    expect(run.status).toBe('completed');
  });

  it("skips the quiz's nurture sequence too", async () => {
    const email = 'quiz@salon.example';
    await optIn(email);
    await post(w.tc.url('/api/webhooks/email-engagement'), loopsBody('email.spamReported', email));
    await w.settle();
    const sentBefore = w.fakes.loops.sendsTo(email).length;
    const eventId = await w.send('assessment', { email, score: 90 });
    await w.settle();
    const runs = await w.runsOf(eventId);
    const nurture = runs.flatMap((r) => r.steps ?? []).find((s) => s.name === 'start_nurture');
    expect(nurture).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(w.fakes.loops.sendsTo(email)).toHaveLength(sentBefore);
  });
});

describe('the owner marks and clears do-not-contact by hand', () => {
  it('is kept with the note and time; cleared, the next opt-in sends again', async () => {
    const email = 'phone@salon.example';
    await optIn(email);
    const { lead: l } = await lead(email);
    const set = await w.tc.api('PUT', `/api/leads/${l.id}/do-not-contact`, { do_not_contact: true, note: 'Asked on the phone' });
    expect(set.status).toBe(200);
    expect(set.body.lead.do_not_contact).toMatchObject({ reason: 'owner', source: 'owner', note: 'Asked on the phone' });
    const welcomes = () => w.fakes.loops.sendsTo(email, 'email-1-immediate-cta').length;
    const held = await optIn(email);
    expect(stepsOf(await w.run('lead-optin', held)).send_cta_email?.status).toBe('skipped');
    expect(welcomes()).toBe(1);

    const cleared = await w.tc.api('PUT', `/api/leads/${l.id}/do-not-contact`, { do_not_contact: false });
    expect(cleared.body.lead.do_not_contact).toBeNull();
    const sent = await optIn(email);
    expect(stepsOf(await w.run('lead-optin', sent)).send_cta_email?.status).toBe('completed');
    expect(welcomes()).toBe(2);
    const { timeline } = await lead(email);
    const marks = timeline.flatMap((i) => (i.kind === 'activity' && i.activity.kind === 'do_not_contact' ? [i.activity] : []));
    expect(marks.map((m) => m.detail.set)).toEqual([false, true]);
    expect(marks[1]!.text).toBe('Asked on the phone');
  });

  it('refuses a bad body by field name', async () => {
    const { lead: l } = await lead('phone@salon.example');
    const r = await w.tc.api('PUT', `/api/leads/${l.id}/do-not-contact`, { do_not_contact: 'yes' });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('do_not_contact');
  });
});
