/**
 * Alerts on the owner's terms, through the real core: a hot lead posted to the receiver, scored
 * by the engine, and the bell decided by the owner's alert settings (quiet hours, which events
 * ring, sound). The clock is the engine's, moved by hand; times are local, as the owner sets them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveUpdate } from '../../shared/api/contract.js';
import type { Notification } from '../../shared/api/models.js';
import { isQuiet, lastWindow } from '../../electron/core/notify/quiet-hours.js';
import { ManualClock, startWorld, type World } from '../engine/world.js';

const local = (d: number, h: number, m = 0) => new Date(2026, 2, d, h, m).getTime();

let w: World;
const clock = new ManualClock(local(2, 22, 30));
const rang: { n: Notification; sound: boolean }[] = [];
const heard: LiveUpdate[] = [];
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now }, notify: (n, how) => rang.push({ n, sound: how.sound }) });
  w.tc.core.live.subscribe((u) => u.topic === 'notification' && heard.push(u));
});
afterAll(() => w.stop());
beforeEach(() => {
  rang.length = 0;
  heard.length = 0;
});

const alerts = async (a: Record<string, unknown>) => expect((await w.tc.api('PUT', '/api/settings', { alerts: a })).status).toBe(200);
async function hotLead(email: string, first_name: string): Promise<Notification> {
  await w.send('assessment', { email, first_name, score: 95 });
  await w.settle();
  const list = (await w.tc.api('GET', '/api/notifications?limit=100')).body.items as Notification[];
  const n = list.find((x) => x.kind === 'hot_lead' && x.title === `Hot lead: ${first_name}`);
  expect(n, 'the hot lead is listed in the app').toBeDefined();
  return n!;
}

describe('quiet hours', () => {
  it('a hot lead inside them rings nothing, and appears in the summary once they end', async () => {
    await alerts({ quiet_hours: true, quiet_from: '21:00', quiet_until: '07:00', sound: true });
    clock.ms = local(2, 22, 30);
    const n = await hotLead('hana@example.com', 'Hana');
    expect(rang).toEqual([]);
    // The UI's list is told, but gets no banner to show.
    expect(heard.find((u) => u.id === n.id)).toEqual({ topic: 'notification', id: n.id });

    clock.ms = local(3, 6, 59);
    expect(w.tc.core.engine.notifier.summarizeQuietHours()).toBeNull();
    expect(rang).toEqual([]);

    clock.ms = local(3, 7, 1);
    const summary = w.tc.core.engine.notifier.summarizeQuietHours();
    expect(summary).toMatchObject({ kind: 'quiet_summary', title: 'During quiet hours: 1 hot lead', body: 'Hot lead: Hana' });
    expect(rang.map((r) => r.n.id)).toEqual([summary!.id]);
    expect(heard.at(-1)?.notification?.id).toBe(summary!.id);
    // Given once: the stored summary says so, even to a notifier that has just started.
    expect(w.tc.core.engine.notifier.summarizeQuietHours()).toBeNull();
    expect(rang).toHaveLength(1);
  });

  it('outside them a hot lead rings at once, with sound as set', async () => {
    clock.ms = local(3, 12, 0);
    await hotLead('ola@example.com', 'Ola');
    expect(rang.map((r) => [r.n.title, r.sound])).toEqual([['Hot lead: Ola', true]]);
    rang.length = 0;
    await alerts({ sound: false });
    await hotLead('pia@example.com', 'Pia');
    expect(rang.map((r) => [r.n.title, r.sound])).toEqual([['Hot lead: Pia', false]]);
    await alerts({ sound: true });
  });

  it('an event the owner does not ring for stays listed, without a banner, and is not in the summary', async () => {
    await alerts({ ring: ['high_engagement', 'reminder', 'failure'] });
    clock.ms = local(3, 13, 0);
    const n = await hotLead('quinn@example.com', 'Quinn');
    expect(rang).toEqual([]);
    expect(heard.find((u) => u.id === n.id)?.notification).toBeUndefined();

    clock.ms = local(3, 23, 0);
    await hotLead('rae@example.com', 'Rae');
    clock.ms = local(4, 7, 5);
    expect(w.tc.core.engine.notifier.summarizeQuietHours()).toBeNull();
    await alerts({ ring: ['hot_lead', 'high_engagement', 'reminder', 'failure'] });
  });

  it('bad settings are refused field by field', async () => {
    const r = await w.tc.api('PUT', '/api/settings', { alerts: { quiet_from: '25:00', ring: ['fireworks'] } });
    expect(r.status).toBe(400);
    const fields = (r.body.error.fields as { path: string; message: string }[]).map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['alerts.quiet_from', 'alerts.ring.0']));
    expect(JSON.stringify(r.body.error)).toMatch(/a time like 21:00/);
  });
});

describe('quiet-hours windows', () => {
  const night = { from: '21:00', until: '07:00' };
  it('span midnight, end exactly at their end, and equal times mean none', () => {
    expect(isQuiet(local(2, 23, 59), night)).toBe(true);
    expect(isQuiet(local(3, 0, 30), night)).toBe(true);
    expect(isQuiet(local(3, 7, 0), night)).toBe(false);
    expect(isQuiet(local(3, 20, 59), night)).toBe(false);
    expect(lastWindow(local(3, 9, 0), night)).toEqual({ start: local(2, 21, 0), end: local(3, 7, 0) });
    expect(lastWindow(local(3, 2, 0), night, true)).toEqual({ start: local(2, 21, 0), end: local(3, 7, 0) });
    expect(isQuiet(local(3, 13, 0), { from: '12:00', until: '14:00' })).toBe(true);
    expect(isQuiet(local(3, 13, 0), { from: '09:00', until: '09:00' })).toBe(false);
  });
});
