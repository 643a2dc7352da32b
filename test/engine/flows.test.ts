/**
 * Each built-in flow end to end: a webhook POSTed to the real receiver, the engine, and what the
 * fake vendors received (checked by the fakes against each vendor's contract).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveUpdate } from '../../shared/api/contract.js';
import type { Lead, Notification, TimelineItem } from '../../shared/api/models.js';
import { startWorld, stepsOf, type World } from './world.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let w: World;
const shown: Notification[] = [];
beforeAll(async () => {
  w = await startWorld({ notify: (n) => shown.push(n) });
});
afterAll(() => w.stop());

async function lead(email: string): Promise<{ lead: Lead; timeline: TimelineItem[] }> {
  const res = await w.tc.api('GET', `/api/leads/${encodeURIComponent(email)}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function optIn(body: Record<string, unknown>): Promise<string> {
  const id = await w.send('lead-optin', body);
  await w.settle();
  return id;
}

describe('lead opt-in', () => {
  it('stores the lead, sends the CTA email, marks the visitor, adds to the audience, mirrors to Notion, tells Slack', async () => {
    const eventId = await optIn({
      email: ' Ann@Example.com ',
      first_name: 'Ann',
      phone: '+1 (234) 567-890',
      visitor_id: 'visitor-ann',
      segment: 'beauty-salon',
      source: 'facebook-ad',
    });
    const runs = await w.runsOf(eventId);
    expect(runs.map((r) => r.flow).sort()).toEqual(['lead-optin', 'optin-notification', 'segment-routing']);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);

    const { lead: l, timeline } = await lead('ann@example.com');
    expect(l).toMatchObject({
      email: 'ann@example.com',
      first_name: 'Ann',
      phone: '+1 (234) 567-890',
      segment: 'beauty-salon',
      source: 'facebook-ad',
      stage: 'opted_in',
      status: 'new',
      score: null,
      engagement_score: 0,
      visitor_id: 'visitor-ann',
    });
    // The lead's timeline shows the event and all three runs, with their steps.
    const timelineRuns = timeline.flatMap((t) => (t.kind === 'run' ? [t.run] : []));
    expect(timelineRuns.map((r) => r.flow).sort()).toEqual(['lead-optin', 'optin-notification', 'segment-routing']);
    expect(timelineRuns.every((r) => (r.steps ?? []).length > 0)).toBe(true);
    expect(timeline.some((t) => t.kind === 'event' && t.event.id === eventId)).toBe(true);

    const optin = await w.run('lead-optin', eventId);
    const cta = w.fakes.loops.sendsTo('ann@example.com', 'email-1-immediate-cta');
    expect(cta).toHaveLength(1);
    expect(cta[0]!.body).toEqual({ transactionalId: 'email-1-immediate-cta', email: 'ann@example.com', dataVariables: { first_name: 'Ann' } });
    expect(cta[0]!.idempotencyKey).toBe(optin.steps!.find((s) => s.name === 'send_cta_email')!.idempotency_key);

    const visitor = w.tc.core.db.prepare('SELECT lead_id, stage FROM visitors WHERE id = ?').get('visitor-ann');
    expect(visitor).toEqual({ lead_id: l.id, stage: 'opted_in' });

    const audience = w.fakes.meta.audience('opted_in_leads');
    expect([...audience.members.get('EMAIL_SHA256')!]).toEqual([sha('ann@example.com')]);
    expect([...audience.members.get('PHONE_SHA256')!]).toEqual([sha('1234567890')]);

    const pages = w.fakes.notion.pagesWithEmail('ann@example.com');
    expect(pages).toHaveLength(1);
    expect(pages[0]!.properties).toMatchObject({
      Name: { title: [{ type: 'text', text: { content: 'Ann' } }] },
      Email: { email: 'ann@example.com' },
      Phone: { phone_number: '+1 (234) 567-890' },
      Segment: { select: { name: 'beauty-salon' } },
      Stage: { select: { name: 'opted_in' } },
      Status: { select: { name: 'new' } },
      Score: { number: null },
      Engagement: { number: 0 },
    });
    expect(l.notion_page_id).toBe(pages[0]!.id);

    expect(w.fakes.slack.messages.map((m) => m.text)).toContain('New lead: Ann (ann@example.com)');
  });

  it('a repeat opt-in updates the same lead and Notion page; missing fields do not wipe stored ones', async () => {
    const eventId = await optIn({ email: 'ann@example.com', first_name: 'Annie' });
    const { lead: l } = await lead('ann@example.com');
    expect(l).toMatchObject({ first_name: 'Annie', phone: '+1 (234) 567-890', segment: 'beauty-salon', visitor_id: 'visitor-ann' });
    expect(w.tc.core.db.prepare("SELECT count(*) AS n FROM leads WHERE email = 'ann@example.com'").get()).toEqual({ n: 1 });
    expect(w.fakes.notion.pagesWithEmail('ann@example.com')).toHaveLength(1);
    const steps = stepsOf(await w.run('lead-optin', eventId));
    expect(steps.mark_visitor_opted_in).toMatchObject({ status: 'skipped', output: { skipped: 'the event has no visitor_id' } });
  });
});

describe('segment routing', () => {
  it('starts the nurture named for the segment, else the general one', async () => {
    const cases: [string | undefined, string, string][] = [
      ['beauty-salon', 'nurture_beauty_salon', 'beauty-salon'],
      ['Auto-Repair', 'nurture_auto_repair', 'auto-repair'],
      ['fitness', 'nurture_fitness', 'fitness'],
      ['bakery', 'nurture_general', 'general'],
      [undefined, 'nurture_general', 'general'],
    ];
    for (const [segment, eventName, nurture] of cases) {
      const email = `seg-${segment ?? 'none'}@example.com`.toLowerCase();
      await optIn({ email, first_name: 'Sam', ...(segment && { segment }) });
      const sent = w.fakes.loops.sendsTo(email).filter((s) => s.kind === 'event');
      expect(sent.map((s) => s.body), email).toEqual([{ eventName, email, eventProperties: { nurture, first_name: 'Sam' } }]);
    }
  });
});

describe('assessment', () => {
  it('a hot lead: score, red Discord embed, desktop notification, hot nurture, audience, Notion', async () => {
    await optIn({ email: 'hot@example.com', first_name: 'Hana' });
    const eventId = await w.send('assessment', {
      email: 'hot@example.com',
      first_name: 'Hana',
      assessment_data: { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 },
    });
    await w.settle();
    const run = await w.run('assessment', eventId);
    expect(run.status).toBe('completed');
    const { lead: l } = await lead('hot@example.com');
    expect(l).toMatchObject({ score: 85, status: 'hot', priority: 'high', stage: 'assessment_complete' });

    const alert = w.fakes.discord.messages.find((m) => m.embeds[0]?.title === 'Hana - Score: 85');
    expect(alert).toBeDefined();
    expect(alert!.content).toBe('🔥 **HOT LEAD ALERT**');
    expect(alert!.embeds[0]).toEqual({
      title: 'Hana - Score: 85',
      description: 'Immediate follow-up recommended',
      color: 0xff0000,
      fields: [
        { name: 'Email', value: 'hot@example.com', inline: true },
        { name: 'Score', value: '85', inline: true },
      ],
    });

    const notifications = (await w.tc.api('GET', '/api/notifications')).body;
    const n = notifications.items.find((x: Notification) => x.lead_id === l.id);
    expect(n).toMatchObject({ kind: 'hot_lead', title: 'Hot lead: Hana', body: 'hot@example.com scored 85 on the assessment.' });
    expect(shown.map((s) => s.id)).toContain(n.id);

    expect(w.fakes.loops.sendsTo('hot@example.com', 'hot_lead_nurture').map((s) => s.body)).toEqual([
      { eventName: 'hot_lead_nurture', email: 'hot@example.com', eventProperties: { score: 85, status: 'hot', first_name: 'Hana' } },
    ]);
    expect(w.fakes.meta.audience('assessment_completers').members.get('EMAIL_SHA256')!.has(sha('hot@example.com'))).toBe(true);
    const page = w.fakes.notion.pagesWithEmail('hot@example.com');
    expect(page).toHaveLength(1);
    expect(page[0]!.properties).toMatchObject({ Score: { number: 85 }, Status: { select: { name: 'hot' } }, Priority: { select: { name: 'high' } } });
  });

  it('a warm lead: standard nurture, no alert (the skip says why)', async () => {
    const eventId = await w.send('assessment', {
      email: 'warm@example.com',
      first_name: 'Wes',
      assessment_data: { marketing: 6, sales: 5, operations: 6, finance: 5 },
    });
    await w.settle();
    const run = await w.run('assessment', eventId);
    const steps = stepsOf(run);
    expect(run.status).toBe('completed');
    expect(steps.hot_lead_alert).toMatchObject({ status: 'skipped', output: { skipped: 'the score 55 is warm, not hot' } });
    expect(steps.hot_lead_notification!.status).toBe('skipped');
    expect((await lead('warm@example.com')).lead).toMatchObject({ score: 55, status: 'warm', priority: 'medium' });
    expect(w.fakes.loops.sendsTo('warm@example.com').map((s) => s.name)).toEqual(['standard_nurture']);
    expect(w.fakes.discord.messages.some((m) => m.embeds[0]?.title?.toString().startsWith('Wes'))).toBe(false);
  });

  it('a ready score is used as given; cold below 50; the UI hears about runs, leads and the notification', async () => {
    const heard: LiveUpdate[] = [];
    const unsubscribe = w.tc.core.live.subscribe((u) => heard.push(u));
    await w.send('assessment', { email: 'ready@example.com', first_name: 'Rae', score: 92 });
    await w.send('assessment', { email: 'cold@example.com', assessment_data: { a: 2, b: 3 } });
    await w.settle();
    expect((await lead('ready@example.com')).lead).toMatchObject({ score: 92, status: 'hot' });
    expect((await lead('cold@example.com')).lead).toMatchObject({ score: 25, status: 'cold', priority: 'medium' });
    expect(w.fakes.discord.messages.some((m) => m.embeds[0]?.title === 'Rae - Score: 92')).toBe(true);
    unsubscribe();
    const rae = (await lead('ready@example.com')).lead;
    expect(heard).toContainEqual({ topic: 'lead', id: rae.id });
    expect(heard.filter((u) => u.topic === 'run').length).toBeGreaterThanOrEqual(2);
    const bell = heard.find((u) => u.topic === 'notification');
    expect(bell?.notification).toMatchObject({ kind: 'hot_lead', lead_id: rae.id, title: 'Hot lead: Rae' });
  });
});

describe('sales-page visit', () => {
  it('an anonymous visitor: the visit is recorded; points, email and audience are skipped with reasons', async () => {
    const eventId = await w.send('sales-page-visit', { visitor_id: 'anon-7', page_url: 'https://example.com/pricing', duration: 75 });
    await w.settle();
    const run = await w.run('sales-page-visit', eventId);
    expect(run.status).toBe('completed');
    expect(run.lead_id).toBeNull();
    const steps = stepsOf(run);
    expect(steps.record_visit!.status).toBe('completed');
    expect(steps.add_engagement).toMatchObject({ status: 'skipped', output: { skipped: 'visitor anon-7 is not a known lead' } });
    expect(steps.follow_up_email!.status).toBe('skipped');
    expect(steps.add_to_audience!.status).toBe('skipped');
    expect(steps.mirror_to_notion).toMatchObject({ status: 'skipped', output: { skipped: 'needs add_engagement, which was skipped' } });
    expect(String((steps.add_to_audience!.output as { skipped: string }).skipped)).toMatch(/anonymous visitor cannot be added/);
    expect(w.tc.core.db.prepare('SELECT stage, visits, last_page_url, last_duration FROM visitors WHERE id = ?').get('anon-7')).toEqual({
      stage: 'sales_page',
      visits: 1,
      last_page_url: 'https://example.com/pricing',
      last_duration: 75,
    });
  });

  it('a known lead: +20 points, the follow-up email after more than 30 s, the sales-page audience', async () => {
    await optIn({ email: 'vic@example.com', first_name: 'Vic', visitor_id: 'visitor-vic' });
    const long = await w.send('sales-page-visit', { visitor_id: 'visitor-vic', page_url: 'https://example.com/pricing', duration: 45 });
    await w.settle();
    const run = await w.run('sales-page-visit', long);
    expect(run.status).toBe('completed');
    expect((await lead('vic@example.com')).lead.engagement_score).toBe(20);
    expect(w.fakes.loops.sendsTo('vic@example.com', 'email-sales-page-follow-up').map((s) => s.body)).toEqual([
      {
        transactionalId: 'email-sales-page-follow-up',
        email: 'vic@example.com',
        dataVariables: { first_name: 'Vic', page_url: 'https://example.com/pricing' },
      },
    ]);
    expect(w.fakes.meta.audience('sales_page_visitors').members.get('EMAIL_SHA256')!.has(sha('vic@example.com'))).toBe(true);

    const short = await w.send('sales-page-visit', { visitor_id: 'visitor-vic', page_url: 'https://example.com/pricing', duration: 30 });
    await w.settle();
    expect(stepsOf(await w.run('sales-page-visit', short)).follow_up_email).toMatchObject({
      status: 'skipped',
      output: { skipped: 'the visit lasted 30 s; the follow-up needs more than 30 s' },
    });
    expect((await lead('vic@example.com')).lead.engagement_score).toBe(40);
    expect(w.fakes.loops.sendsTo('vic@example.com', 'email-sales-page-follow-up')).toHaveLength(1);
  });
});

describe('email engagement', () => {
  it('an unknown email is skipped, not an error', async () => {
    const eventId = await w.send('email-engagement', { email: 'stranger@example.com', event_type: 'open', email_id: 'email-1' });
    await w.settle();
    const run = await w.run('email-engagement', eventId);
    expect(run.status).toBe('completed');
    expect(stepsOf(run).add_engagement).toMatchObject({ status: 'skipped', output: { skipped: 'no lead has the email stranger@example.com' } });
  });

  it('open +5, click +10 with the link recorded; at 50 points one Discord alert and one notification', async () => {
    await optIn({ email: 'eve@example.com', first_name: 'Eve', visitor_id: 'visitor-eve' });
    for (let i = 0; i < 2; i++) await w.send('sales-page-visit', { visitor_id: 'visitor-eve', page_url: 'https://example.com/p', duration: 5 });
    await w.send('email-engagement', { email: 'eve@example.com', event_type: 'open', email_id: 'email-1-immediate-cta' });
    await w.settle();
    const { lead: before } = await lead('eve@example.com');
    expect(before.engagement_score).toBe(45);
    expect(w.fakes.discord.messages.some((m) => m.content === '📈 **High Email Engagement**')).toBe(false);

    const click = await w.send('email-engagement', {
      email: 'eve@example.com',
      event_type: 'click',
      email_id: 'email-1-immediate-cta',
      link_url: 'https://example.com/book',
    });
    await w.settle();
    expect((await lead('eve@example.com')).lead.engagement_score).toBe(55);
    expect(w.tc.core.db.prepare('SELECT email_id, link_url, event_id FROM email_clicks WHERE lead_id = ?').all(before.id)).toEqual([
      { email_id: 'email-1-immediate-cta', link_url: 'https://example.com/book', event_id: click },
    ]);
    const alerts = w.fakes.discord.messages.filter((m) => m.content === '📈 **High Email Engagement**');
    expect(alerts.map((m) => m.embeds)).toEqual([[{ title: 'Eve - 55 points', description: 'Clicked: https://example.com/book', color: 0x0099ff }]]);
    expect(shown.filter((n) => n.kind === 'high_engagement' && n.lead_id === before.id)).toHaveLength(1);
    // Notion follows the score: one page for the lead, with the new total.
    const pages = w.fakes.notion.pagesWithEmail('eve@example.com');
    expect(pages.map((p) => p.properties.Engagement)).toEqual([{ number: 55 }]);

    // Above the threshold already: no second alert.
    const again = await w.send('email-engagement', { email: 'eve@example.com', event_type: 'open', email_id: 'email-2' });
    await w.settle();
    expect(stepsOf(await w.run('email-engagement', again)).high_engagement_alert!.status).toBe('skipped');
    expect(w.fakes.discord.messages.filter((m) => m.content === '📈 **High Email Engagement**')).toHaveLength(1);
  });
});

describe('stored ids', () => {
  it('runs, steps, leads and notifications get time-ordered ids (their indexes grow at the end, not on random pages)', async () => {
    const first = await optIn({ email: 'order-1@example.com', first_name: 'One', segment: 'gym' });
    await new Promise((r) => setTimeout(r, 5));
    const second = await optIn({ email: 'order-2@example.com', first_name: 'Two', segment: 'gym' });
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const [a, b] = [await w.run('lead-optin', first), await w.run('lead-optin', second)];
    for (const run of [a, b]) {
      expect(run.steps?.length).toBeGreaterThan(0);
      expect(run.id).toMatch(v7);
      for (const step of run.steps ?? []) expect(step.id).toMatch(v7);
      expect(run.lead_id).toMatch(v7);
    }
    expect(a.id < b.id && a.lead_id! < b.lead_id!).toBe(true);
    const notifications = (await w.tc.api('GET', '/api/notifications?limit=5')).body.items as Notification[];
    expect(notifications.length).toBeGreaterThan(0);
    for (const n of notifications) expect(n.id).toMatch(v7);
  });
});
