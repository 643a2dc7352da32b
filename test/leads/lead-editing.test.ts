/**
 * The owner works a lead: edits its fields (every bad one refused by name), notes, the owner
 * stage from the list in settings, tags, a merge when the new email is another lead's, and the
 * list's filters and bulk changes. Through the real admin API over a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, TimelineItem } from '../../shared/api/models.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

const seed = (email: string, patch: Parameters<TestCore['core']['stores']['leads']['upsert']>[1] = {}) =>
  t.core.stores.leads.upsert(email, patch).lead;

async function getLead(id: string): Promise<{ lead: Lead; timeline: TimelineItem[] }> {
  const r = await t.api('GET', `/api/leads/${encodeURIComponent(id)}`);
  expect(r.status).toBe(200);
  return r.body;
}

const activities = (timeline: TimelineItem[]) => timeline.flatMap((i) => (i.kind === 'activity' ? [i.activity] : []));

describe('editing a lead', () => {
  it('changes only the given fields, empties a field given null, and notes the edit on the timeline', async () => {
    const l = seed('edit-me@example.com', { first_name: 'Ed', phone: '555 0100', segment: 'fitness' });
    const r = await t.api('PATCH', `/api/leads/${l.id}`, { first_name: 'Edwina', phone: null, segment: 'Beauty-Salon' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lead).toMatchObject({ first_name: 'Edwina', phone: null, segment: 'beauty-salon', email: 'edit-me@example.com', owner_stage: 'new' });
    const { timeline } = await getLead(l.id);
    expect(activities(timeline)).toEqual([expect.objectContaining({ kind: 'edit', detail: { fields: ['first_name', 'phone', 'segment'] } })]);
  });

  it('refuses each bad field with a 400 that names it', async () => {
    const l = seed('bad-fields@example.com');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ email: 'not an email' }, 'email', /valid email/],
      [{ first_name: 'x'.repeat(201) }, 'first_name', /at most 200/],
      [{ phone: 12345 }, 'phone', /string/i],
      [{ tags: ['ok', ''] }, 'tags.1', /empty/],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags', /at most 20/],
      [{ owner_stage: 'won' }, 'owner_stage', /one of the stages in your list: new, contacted, booked, customer, lost/],
      [{ favourite_colour: 'blue' }, '(input)', /favourite_colour/],
    ];
    for (const [body, path, message] of cases) {
      const r = await t.api('PATCH', `/api/leads/${l.id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const field = (r.body.error.fields as { path: string; message: string }[]).find((f) => f.path === path);
      expect(field, `${JSON.stringify(body)} → ${JSON.stringify(r.body.error.fields)}`).toBeDefined();
      expect(`${field!.message} ${r.body.error.message}`).toMatch(message);
    }
    expect((await getLead(l.id)).lead).toMatchObject({ first_name: null, tags: [], owner_stage: 'new' });
  });

  it('says there is no such lead (404) for an unknown id', async () => {
    expect((await t.api('PATCH', '/api/leads/no-such-lead', { first_name: 'X' })).status).toBe(404);
    expect((await t.api('POST', '/api/leads/no-such-lead/notes', { text: 'hi' })).status).toBe(404);
  });

  it('moves the owner stage through the list in settings, kept beside the automatic stage', async () => {
    const l = seed('stage@example.com', { stage: 'assessment_complete' });
    const r = await t.api('PATCH', `/api/leads/${l.id}`, { owner_stage: 'Booked' });
    expect(r.body.lead).toMatchObject({ owner_stage: 'booked', stage: 'assessment_complete' });
    // The owner's own list: a stage they add can be used, one they remove cannot.
    expect((await t.api('PUT', '/api/settings', { leads: { owner_stages: ['new', 'booked', 'follow up'] } })).status).toBe(200);
    expect((await t.api('PATCH', `/api/leads/${l.id}`, { owner_stage: 'follow up' })).body.lead.owner_stage).toBe('follow up');
    expect((await t.api('PATCH', `/api/leads/${l.id}`, { owner_stage: 'customer' })).status).toBe(400);
    const empty = await t.api('PUT', '/api/settings', { leads: { owner_stages: [] } });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.error)).toMatch(/at least one stage/);
    await t.api('PUT', '/api/settings', { leads: { owner_stages: ['new', 'contacted', 'booked', 'customer', 'lost'] } });
    const { timeline } = await getLead(l.id);
    expect(activities(timeline).filter((a) => a.kind === 'owner_stage').map((a) => a.detail)).toEqual([
      { from: 'booked', to: 'follow up' },
      { from: 'new', to: 'booked' },
    ]);
  });

  it('keeps tags once each, as typed', async () => {
    const l = seed('tags@example.com');
    const r = await t.api('PATCH', `/api/leads/${l.id}`, { tags: ['VIP', ' vip ', 'Walk-in'] });
    expect(r.body.lead.tags).toEqual(['VIP', 'Walk-in']);
  });
});

describe('notes', () => {
  it('join the timeline, newest first, with the events and runs', async () => {
    const res = await post(t.url('/api/webhooks/lead-optin'), { email: 'noted@example.com', first_name: 'Nora' });
    expect(res.status).toBe(202);
    await t.core.engine.idle();
    const { lead } = await getLead('noted@example.com');
    const first = await t.api('POST', `/api/leads/${lead.id}/notes`, { text: 'Called, wants Thursday' });
    expect(first.status).toBe(200);
    await t.api('POST', `/api/leads/${lead.id}/notes`, { text: 'Booked for Thursday 3pm' });
    const { timeline } = await getLead(lead.id);
    expect(timeline.map((i) => i.kind)).toEqual(expect.arrayContaining(['event', 'run', 'activity']));
    expect(activities(timeline).map((a) => a.text)).toEqual(['Booked for Thursday 3pm', 'Called, wants Thursday']);
    expect(timeline[0]).toMatchObject({ kind: 'activity', activity: { text: 'Booked for Thursday 3pm' } });
    const blank = await t.api('POST', `/api/leads/${lead.id}/notes`, { text: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields).toEqual([{ path: 'text', message: 'must not be empty' }]);
  });
});

describe('an email that is another lead\'s', () => {
  it('is refused with an offer to merge, then merged on request: one lead, both timelines, notes and tags', async () => {
    for (const [email, first_name] of [['walkin@example.com', 'Wal'], ['wal.k@example.com', null]] as const) {
      const res = await post(t.url('/api/webhooks/lead-optin'), { email, ...(first_name && { first_name }), phone: email.startsWith('wal.') ? '555 0199' : undefined });
      expect(res.status).toBe(202);
    }
    await t.core.engine.idle();
    const a = (await getLead('walkin@example.com')).lead;
    const b = (await getLead('wal.k@example.com')).lead;
    await t.api('POST', `/api/leads/${b.id}/notes`, { text: 'note on the other one' });
    await t.api('PATCH', `/api/leads/${b.id}`, { tags: ['gym'] });
    await t.api('PATCH', `/api/leads/${a.id}`, { tags: ['vip'] });

    const refused = await t.api('PATCH', `/api/leads/${a.id}`, { email: 'WAL.K@example.com' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/another lead already has the email wal\.k@example\.com: merge/);
    expect(refused.body.error.fields).toEqual([{ path: 'email', message: 'belongs to another lead' }]);

    const merged = await t.api('PATCH', `/api/leads/${a.id}`, { email: 'wal.k@example.com', merge: true });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.merged_with).toBe('wal.k@example.com');
    expect(merged.body.lead).toMatchObject({ id: a.id, email: 'wal.k@example.com', first_name: 'Wal', phone: '555 0199', tags: ['vip', 'gym'], former_emails: ['walkin@example.com'] });
    expect((await t.api('GET', `/api/leads/${b.id}`)).status).toBe(404);

    const { timeline } = await getLead(a.id);
    const events = timeline.flatMap((i) => (i.kind === 'event' ? [i.event.payload.email] : []));
    expect(events.sort()).toEqual(['wal.k@example.com', 'walkin@example.com']);
    const runLeads = timeline.flatMap((i) => (i.kind === 'run' ? [i.run.lead_id] : []));
    expect(runLeads.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runLeads)).toEqual(new Set([a.id]));
    expect(activities(timeline).map((a) => a.kind)).toEqual(expect.arrayContaining(['merge', 'note']));
    expect(activities(timeline).find((x) => x.kind === 'merge')!.detail.merged_email).toBe('wal.k@example.com');
    // The merged-in address still finds the lead, and the old one's later events join it.
    expect((await getLead('wal.k@example.com')).lead.id).toBe(a.id);
  });

  it('an email changed to a free address keeps the old one\'s events on the timeline', async () => {
    await post(t.url('/api/webhooks/lead-optin'), { email: 'old-addr@example.com' });
    await t.core.engine.idle();
    const { lead } = await getLead('old-addr@example.com');
    const r = await t.api('PATCH', `/api/leads/${lead.id}`, { email: 'new-addr@example.com' });
    expect(r.body).toMatchObject({ merged_with: null, lead: { email: 'new-addr@example.com', former_emails: ['old-addr@example.com'] } });
    const { timeline } = await getLead(lead.id);
    expect(timeline.some((i) => i.kind === 'event' && i.event.payload.email === 'old-addr@example.com')).toBe(true);
  });
});

describe('the Leads list', () => {
  it('filters by owner stage, tag, date range and source, and changes many at once', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => seed(`list${i}@shop.example`, { source: i % 2 ? 'Instagram' : 'walk-in' }).id);
    const bulk = await t.api('POST', '/api/leads/bulk', { ids: ids.slice(0, 4), owner_stage: 'contacted', add_tags: ['spring'] });
    expect(bulk.body).toEqual({ updated: 4 });
    await t.api('POST', '/api/leads/bulk', { ids: ids.slice(0, 2), remove_tags: ['SPRING'], add_tags: ['vip'] });
    const list = async (q: string) =>
      ((await t.api('GET', `/api/leads?search=shop.example&limit=100&${q}`)).body.items as Lead[]).map((l) => l.email).sort();
    expect(await list('owner_stage=Contacted')).toEqual(['list0@shop.example', 'list1@shop.example', 'list2@shop.example', 'list3@shop.example']);
    expect(await list('tag=spring')).toEqual(['list2@shop.example', 'list3@shop.example']);
    expect(await list('tag=VIP&source=instagram')).toEqual(['list1@shop.example']);
    expect(await list('owner_stage=new')).toEqual(['list4@shop.example', 'list5@shop.example']);
    // A date range: from a moment to before another (nothing was added in the future).
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await list(`created_since=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await list(`created_before=${encodeURIComponent(future)}`)).length).toBe(6);
    expect(await list(`created_before=2000-01-01T00:00:00Z`)).toEqual([]);
    // All or nothing: an unknown id changes no lead.
    const partial = await t.api('POST', '/api/leads/bulk', { ids: [ids[5], 'nope'], owner_stage: 'lost' });
    expect(partial.status).toBe(404);
    expect(partial.body.error.fields).toEqual([{ path: 'ids.1', message: 'is not a lead' }]);
    expect(await list('owner_stage=lost')).toEqual([]);
    // Or every lead a filter finds, as the list shows them.
    const byFilter = await t.api('POST', '/api/leads/bulk', { filter: { search: 'shop.example', tag: 'spring' }, owner_stage: 'booked' });
    expect(byFilter.body).toEqual({ updated: 2 });
    expect(await list('owner_stage=booked')).toEqual(['list2@shop.example', 'list3@shop.example']);
    const both = await t.api('POST', '/api/leads/bulk', { ids: [ids[5]], filter: {}, owner_stage: 'lost' });
    expect(both.status).toBe(400);
    expect(both.body.error.fields[0]).toMatchObject({ path: 'ids', message: 'give either ids or a filter' });
    const bad = await t.api('POST', '/api/leads/bulk', { ids: [ids[5]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'owner_stage', message: 'give a stage, tags to add or tags to remove' });
  });
});
