/**
 * Loops' own webhooks pointed at the email-engagement endpoint, through real HTTP against a real
 * core: signed as Loops signs them (Standard Webhooks, with the standardwebhooks package), in
 * Loops' body shape. Loops sends every event type to its one webhook address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxRequest, Lead } from '../../shared/api/models.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

let t: TestCore;
const secret = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
  t = await startTestCore();
  expect((await t.api('PUT', '/api/secrets/webhook.email-engagement', { value: secret })).status).toBe(200);
});
afterAll(async () => t.stop());

/** A delivery as Loops makes it: its body shape, a fresh webhook-id, signed now. */
function loopsDelivery(eventName: string, email: string | null, id = `msg_${randomUUID()}`) {
  const body = JSON.stringify({
    eventName,
    eventTime: Math.floor(Date.now() / 1000),
    webhookSchemaVersion: '1.0.0',
    ...(email && { contactIdentity: { id: 'cm1contact', email, userId: null } }),
    ...(email && { email: { id: 'cm1welcome', emailMessageId: 'cm1sent', subject: 'Welcome to the salon' }, sourceType: 'loop', loopId: 'cm1loop' }),
  });
  const at = new Date();
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
  return { id, body, headers };
}

const send = (d: { body: string; headers: Record<string, string> }) => post(t.url('/api/webhooks/email-engagement'), d.body, d.headers);

async function lead(email: string): Promise<Lead> {
  const r = await t.api('GET', `/api/leads/${encodeURIComponent(email)}`);
  return r.body.lead;
}

async function lastRequest(): Promise<InboxRequest> {
  const r = await t.api('GET', '/api/requests?limit=1');
  return r.body.items[0];
}

describe("Loops' webhooks on /api/webhooks/email-engagement", () => {
  it('an open and a click score the lead they are about (5 and 10 points)', async () => {
    expect((await post(t.url('/api/webhooks/lead-optin'), { email: 'mia@salon.example', first_name: 'Mia' })).status).toBe(202);
    await until('the lead', () => lead('mia@salon.example'));

    const open = await send(loopsDelivery('email.opened', 'Mia@Salon.example'));
    expect(open.status, JSON.stringify(open.body)).toBe(202);
    const event = (await t.api('GET', '/api/events?limit=1')).body.items[0];
    expect(event).toMatchObject({ id: open.body.event_id, event: 'email.opened', payload: { email: 'mia@salon.example', email_id: 'cm1welcome', source: 'loops' } });
    await until('5 points for the open', async () => (await lead('mia@salon.example')).engagement_score === 5);

    const click = await send(loopsDelivery('email.clicked', 'mia@salon.example'));
    expect(click.status).toBe(202);
    await until('10 more for the click', async () => (await lead('mia@salon.example')).engagement_score === 15);
  });

  it('a redelivery (the same webhook-id) is a duplicate, scored once', async () => {
    const before = (await lead('mia@salon.example')).engagement_score;
    const d = loopsDelivery('email.opened', 'mia@salon.example');
    const first = await send(d);
    expect(first.status).toBe(202);
    await until('5 points', async () => (await lead('mia@salon.example')).engagement_score === before + 5);
    const again = await send(d);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
    await t.core.engine.idle();
    expect((await lead('mia@salon.example')).engagement_score).toBe(before + 5);
  });

  it.each([
    ['email.delivered', 'mia@salon.example'],
    ['contact.created', 'mia@salon.example'],
    ['testing.testEvent', null],
  ])('%s: acknowledged with 200 and kept in the request log as ignored, no event', async (eventName, email) => {
    const before = (await t.api('GET', '/api/events?limit=1')).body.total;
    const r = await send(loopsDelivery(eventName, email));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ignored', reason: `Loops' "${eventName}" is not an open or a click: nothing to do` });
    expect(await lastRequest()).toMatchObject({ endpoint: 'email-engagement', status: 200, outcome: 'ignored', event_id: null });
    expect((await t.api('GET', '/api/events?limit=1')).body.total).toBe(before);
    const ignored = await t.api('GET', '/api/requests?outcome=ignored&limit=50');
    expect(ignored.body.items.some((i: InboxRequest) => i.reason?.includes(eventName))).toBe(true);
  });

  it('an unsigned or wrongly signed Loops delivery is refused like any other', async () => {
    const d = loopsDelivery('email.opened', 'mia@salon.example');
    const forged = await send({ body: d.body, headers: { ...d.headers, 'webhook-signature': new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign(d.id, new Date(), d.body) } });
    expect(forged.status).toBe(401);
    expect((await send({ body: d.body, headers: {} })).status).toBe(401);
  });

  it('pointed at another endpoint, Loops is told where to point instead (422 on eventName)', async () => {
    const d = loopsDelivery('email.opened', 'mia@salon.example');
    const r = await post(t.url('/api/webhooks/lead-optin'), d.body, d.headers);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'eventName', message: `is Loops' "email.opened" webhook: point Loops at /api/webhooks/email-engagement` }]);
  });
});
