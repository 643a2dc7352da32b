/**
 * "Remind me": a reminder rings the bell (the notifier the core uses for hot leads) at its time,
 * survives a restart, rings once, and one missed while Leadbell was off rings at start, marked
 * missed. The core's clock is moved by hand; its timer is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/api/models.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';
import { ManualClock } from '../engine/world.js';

const clock = new ManualClock(Date.parse('2026-03-05T14:00:00.000Z'));
const rung: Notification[] = [];
let t: TestCore;
let leadId: string;
beforeAll(async () => {
  t = await startTestCore({ engine: { clock: clock.now }, notify: (n) => rung.push(n) });
  leadId = t.core.stores.leads.upsert('callback@salon.example', { first_name: 'Cara' }).lead.id;
});
afterAll(async () => t.stop());

const reminders = async () => (await t.api('GET', `/api/leads/${leadId}`)).body.reminders as { id: string; rang_at: string | null; missed: boolean }[];

describe('reminders', () => {
  it('a reminder set for a minute ahead rings after the core was restarted in between', async () => {
    const r = await t.api('POST', `/api/leads/${leadId}/reminders`, { at: '2026-03-05T15:01:00+01:00', text: 'Call Cara back' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ due_at: '2026-03-05T14:01:00.000Z', rang_at: null, missed: false });
    expect(t.core.reminders.check()).toEqual([]);

    await t.restart();
    expect(rung).toEqual([]);
    clock.advance(61_000);
    // What the shell does on wake from sleep (the core's timer would also ring it within a minute).
    t.core.reminders.check();
    await until('the bell', () => rung.length === 1);
    expect(rung[0]).toMatchObject({ kind: 'reminder', title: 'Reminder: Call Cara back', body: 'About Cara.', lead_id: leadId });
    const [stored] = await reminders();
    expect(stored).toMatchObject({ rang_at: '2026-03-05T14:01:01.000Z', missed: false });
    // The bell list (Home's latest alerts) has it too.
    const alerts = (await t.api('GET', '/api/notifications?limit=5')).body.items as Notification[];
    expect(alerts[0]).toMatchObject({ kind: 'reminder', lead_id: leadId });
  });

  it('rings by its own timer, once', async () => {
    const before = rung.length;
    await t.api('POST', `/api/leads/${leadId}/reminders`, { at: new Date(clock.ms + 100).toISOString(), text: 'Send the price list' });
    clock.advance(200);
    await until('the timer rings it', () => rung.length === before + 1, 5_000, 20);
    t.core.reminders.check();
    expect(rung.length).toBe(before + 1);
    expect(rung.at(-1)!.title).toBe('Reminder: Send the price list');
  });

  it('one that came due while Leadbell was off rings at start, marked missed', async () => {
    const before = rung.length;
    await t.api('POST', `/api/leads/${leadId}/reminders`, { at: new Date(clock.ms + 120_000).toISOString(), text: 'Book the colour' });
    await t.stop();
    clock.advance(3_600_000);
    t = await startTestCore({ engine: { clock: clock.now }, notify: (n) => rung.push(n) }, t.dataDir);
    expect(rung.length).toBe(before + 1);
    expect(rung.at(-1)).toMatchObject({ kind: 'reminder', title: 'Missed reminder: Book the colour' });
    expect(rung.at(-1)!.body).toMatch(/^About Cara, due .* while Leadbell was not running\.$/);
    expect((await reminders()).find((r) => r.missed)).toBeDefined();
  });

  it('refuses a time in the past, or not a time, by field; cancels', async () => {
    const past = await t.api('POST', `/api/leads/${leadId}/reminders`, { at: '2020-01-01T09:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toEqual([{ path: 'at', message: 'is in the past: choose a time to come' }]);
    const bad = await t.api('POST', `/api/leads/${leadId}/reminders`, { at: 'Thursday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'at', message: 'must be a date and time, like 2026-03-05T15:00:00+01:00' });
    const r = await t.api('POST', `/api/leads/${leadId}/reminders`, { at: new Date(clock.ms + 3_600_000).toISOString() });
    expect(r.body.text).toBe('Follow up');
    expect((await t.api('DELETE', `/api/reminders/${r.body.id}`)).status).toBe(200);
    expect((await reminders()).some((x) => x.id === r.body.id)).toBe(false);
    expect((await t.api('DELETE', `/api/reminders/${r.body.id}`)).status).toBe(404);
  });
});
