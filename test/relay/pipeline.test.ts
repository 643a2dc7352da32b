/** The receiver's entry for relayed requests: same pipeline, the relay's clock and client IP, once per id. */
import { afterEach, expect, it } from 'vitest';
import { standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const secret = 'whsec_' + Buffer.from('pipeline-test-signing-key-0123456').toString('base64');
const body = JSON.stringify({ event: 'assessment.completed', email: 'late@example.com', score: 55 });

it('verifies a Standard Webhooks signature against the relay receipt time, 10 minutes before delivery', async () => {
  t = await startTestCore({ secretEnv: { 'webhook.default': secret } });
  const receivedAt = Date.now() - 10 * 60_000;
  const headers = { 'content-type': 'application/json', ...standardWebhooksHeaders(secret, 'msg_1', body, Math.floor(receivedAt / 1000)) };
  const relayed = await t.core.receiver.relayed({
    relayId: 'r-1',
    receivedAt: new Date(receivedAt).toISOString(),
    ip: '198.51.100.7',
    method: 'POST',
    path: '/api/webhooks/assessment',
    headers,
    body: Buffer.from(body),
  });
  expect(relayed).toEqual({ status: 202, stored: true, inboxId: expect.any(Number) });
  const row = t.core.stores.inbox.list({ limit: 1, offset: 0 }).items[0]!;
  expect(row).toMatchObject({ via: 'relay', client_ip: '198.51.100.7', outcome: 'accepted', received_at: new Date(receivedAt).toISOString() });

  // The same message posted directly now is 10 minutes stale: the rule is what makes it pass.
  const direct = await post(t.url('/api/webhooks/assessment'), body, { ...headers, 'webhook-id': 'msg_1' });
  expect(direct.status).toBe(401);
});

it('stores a redelivered request once, and answers stored for the copy', async () => {
  t = await startTestCore();
  const r = {
    relayId: 'r-dup',
    receivedAt: new Date().toISOString(),
    ip: '198.51.100.8',
    method: 'POST',
    path: '/api/webhooks/lead-optin',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ email: 'once@example.com' })),
  };
  const results = await Promise.all([t.core.receiver.relayed(r), t.core.receiver.relayed(r), t.core.receiver.relayed(r)]);
  expect(results.every((x) => x.stored)).toBe(true);
  expect(t.core.db.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: 1 });
  expect(t.core.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
});

it('applies the allowlist to the relayed client IP and stores the refusal', async () => {
  t = await startTestCore();
  t.core.stores.settings.update({ receiver: { allowed_ips: ['203.0.113.0/24'] } });
  const result = await t.core.receiver.relayed({
    relayId: 'r-ip',
    receivedAt: new Date().toISOString(),
    ip: '198.51.100.9',
    method: 'POST',
    path: '/api/webhooks/lead-optin',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ email: 'blocked@example.com' })),
  });
  expect(result).toEqual({ status: 403, stored: true, inboxId: expect.any(Number) });
  expect(t.core.stores.inbox.list({ limit: 1, offset: 0 }).items[0]).toMatchObject({ status: 403, outcome: 'rejected', client_ip: '198.51.100.9', via: 'relay' });
});

it('ignores a relayed marker header sent by an outside sender', async () => {
  t = await startTestCore();
  const res = await post(t.url('/api/webhooks/lead-optin'), { email: 'outside@example.com' }, { 'x-leadbell-relayed': 'guess' });
  expect(res.status).toBe(202);
  expect(t.core.stores.inbox.list({ limit: 1, offset: 0 }).items[0]).toMatchObject({ via: 'direct', client_ip: '127.0.0.1' });
});
