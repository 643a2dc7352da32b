/**
 * A captured signed delivery replayed as new. The dedupe key of a signed delivery is one the
 * sender signed (Standard Webhooks' webhook-id, the body's event id, else a fingerprint of all it
 * signed), never the Idempotency-Key header, which no signature covers. X-Leadbell-Signature
 * carries X-Leadbell-Timestamp, held to the same 5 minutes as the other timestamped schemes.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadbellSignature, standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

const SECRET = 'whsec_' + Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64');
const now = () => Math.floor(Date.now() / 1000);

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ secretEnv: { 'webhook.default': SECRET } });
});
afterAll(async () => t?.stop());

const total = async (path: string, search: string) => (await t.api('GET', `${path}?search=${encodeURIComponent(search)}&limit=1`)).body.total as number;

describe('a captured signed delivery is not a new event when replayed', () => {
  it('Standard Webhooks on events: a replay with any Idempotency-Key is a duplicate, and runs nothing again', async () => {
    const raw = JSON.stringify({ event: 'lead.opted_in', payload: { email: 'replayed@example.com', first_name: 'Rita' } });
    const headers = standardWebhooksHeaders(SECRET, 'msg_captured_1', raw);
    const first = await post(t.url('/api/webhooks/events'), raw, headers);
    expect(first.status).toBe(202);
    expect((await post(t.url('/api/webhooks/events'), raw, headers)).status).toBe(200);
    for (const key of ['anything', 'anything-2', 'msg_other']) {
      const replay = await post(t.url('/api/webhooks/events'), raw, { ...headers, 'idempotency-key': key });
      expect(replay.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
    }
    expect(await total('/api/events', 'replayed@example.com')).toBe(1);
  });

  it('X-Leadbell-Signature without a timestamp and without an event id: the same signed bytes count once', async () => {
    const raw = JSON.stringify({ email: 'old-sender@example.com', score: 88 });
    const headers = { 'x-leadbell-signature': leadbellSignature(SECRET, raw) };
    const first = await post(t.url('/api/webhooks/assessment'), raw, headers);
    expect(first.status).toBe(202);
    for (const extra of <Record<string, string>[]>[{}, { 'idempotency-key': 'fresh-1' }, { 'idempotency-key': 'fresh-2', 'webhook-id': 'msg_x' }]) {
      const replay = await post(t.url('/api/webhooks/assessment'), raw, { ...headers, ...extra });
      expect(replay.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
    }
    expect(await total('/api/events', 'old-sender@example.com')).toBe(1);
  });

  it('X-Leadbell-Timestamp is signed and held to 5 minutes; two deliveries of the same body are two events', async () => {
    const raw = JSON.stringify({ email: 'timed@example.com', score: 60 });
    const sign = (at: number, body = raw) => ({
      'x-leadbell-timestamp': String(at),
      'x-leadbell-signature': `sha256=${createHmac('sha256', SECRET).update(`${at}.${body}`).digest('hex')}`,
    });
    const at = now();
    const first = await post(t.url('/api/webhooks/assessment'), raw, sign(at));
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const replay = await post(t.url('/api/webhooks/assessment'), raw, { ...sign(at), 'idempotency-key': 'new' });
    expect(replay.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
    // A later, separately signed delivery of the same body is a new event.
    expect((await post(t.url('/api/webhooks/assessment'), raw, sign(at + 1))).status).toBe(202);
    // Moving the timestamp without re-signing breaks the signature; dropping it too.
    expect((await post(t.url('/api/webhooks/assessment'), raw, { ...sign(at), 'x-leadbell-timestamp': String(at + 2) })).status).toBe(401);
    expect((await post(t.url('/api/webhooks/assessment'), raw, { 'x-leadbell-signature': sign(at)['x-leadbell-signature'] })).status).toBe(401);
    const stale = await post(t.url('/api/webhooks/assessment'), raw, sign(at - 400));
    expect(stale.status).toBe(401);
    expect(stale.body.error).toMatch(/more than 5 minutes off/);
    expect(await total('/api/events', 'timed@example.com')).toBe(2);
  });

  it('a held delivery (a shape Leadbell cannot read yet) replayed with new Idempotency-Keys is one event once mapped', async () => {
    const raw = JSON.stringify({ submission: { answers: [{ q: 'Who?', a: 'Held Replay <held-replay@example.com>' }] } });
    const headers = standardWebhooksHeaders(SECRET, 'msg_held_1', raw);
    for (const extra of <Record<string, string>[]>[{}, { 'idempotency-key': 'again-1' }, { 'idempotency-key': 'again-2' }]) {
      expect((await post(t.url('/api/webhooks/lead-optin'), raw, { ...headers, ...extra })).body).toEqual({ status: 'held' });
    }
    const group = (await t.api('GET', '/api/held')).body.items.find((g: { count: number }) => g.count === 3);
    const saved = await t.api('PUT', '/api/mappings', { endpoint: 'lead-optin', shape: group.shape, mapping: { email: ['submission', 'answers', 0, 'a'] } });
    expect(saved.status).toBe(200);
    await until('released', async () => (await t.api('GET', '/api/held')).body.total === 0);
    expect(await total('/api/events', 'held-replay@example.com')).toBe(1);
  });

  it('an unsigned request still dedupes on its Idempotency-Key', async () => {
    const raw = JSON.stringify({ email: 'unsigned@example.com' });
    const a = await post(t.url('/api/webhooks/lead-optin'), raw, { 'idempotency-key': 'form-1' });
    const b = await post(t.url('/api/webhooks/lead-optin'), raw, { 'idempotency-key': 'form-1' });
    expect([a.status, b.status]).toEqual([202, 200]);
  });
});
