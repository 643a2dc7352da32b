import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../electron/core/ingest/signatures.js';
import { NotConfiguredError } from '../../electron/core/integrations/types.js';
import { WebhookSink } from '../fakes/webhook-sink.js';
import { ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

let sink: WebhookSink;
let h: Harness;

beforeAll(async () => {
  sink = await WebhookSink.start();
  h = startHarness();
  h.stores.secrets.set('integration.webhook.secret', sink.secret);
  h.stores.settings.update({ integrations: { webhook: { url: sink.url } } });
});
afterAll(async () => {
  h.close();
  await sink.stop();
});
beforeEach(() => {
  sink.server.reset();
  sink.respondWith(200);
});

describe('outbound webhook', () => {
  it('delivers a Standard Webhooks signed event the sink verifies; webhook-id is the idempotency key', async () => {
    const c = ctx('run-7:step-3');
    expect(await h.integrations.webhook.send({ type: 'lead.hot', data: { email: 'ana@salon.example', score: 92 } }, c)).toEqual({ status: 200 });
    const d = sink.deliveries.at(-1)!;
    expect(d).toMatchObject({ id: 'run-7:step-3', type: 'lead.hot', data: { email: 'ana@salon.example', score: 92 } });
    expect(Math.abs(d.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const [req] = sink.server.requests;
    expect(req!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Verified again here over the raw bytes, independently of the sink.
    expect(verifySignature('standard-webhooks', sink.secret, req!.raw, req!.headers)).toEqual({ ok: true, scheme: 'standard-webhooks', id: 'run-7:step-3', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a retry keeps the same webhook-id, so the receiver can drop the duplicate', async () => {
    const c = ctx();
    sink.server.failNext(1, { mode: 'lose-answer' });
    await retryable(h.integrations.webhook.send({ type: 'lead.opted_in', data: {} }, c));
    await h.integrations.webhook.send({ type: 'lead.opted_in', data: {} }, { ...c, attempt: 2 });
    expect(sink.deliveriesById().get(c.idempotencyKey)).toBe(2);
  });

  it('a wrong secret is refused by the sink (401), permanent', async () => {
    h.stores.secrets.set('integration.webhook.secret', 'whsec_' + Buffer.from('not the right key at all').toString('base64'));
    try {
      const err = await permanent(h.integrations.webhook.send({ type: 'x', data: null }, ctx()));
      expect(err.status).toBe(401);
      expect(sink.refused.at(-1)).toBe('No matching signature found');
    } finally {
      h.stores.secrets.set('integration.webhook.secret', sink.secret);
    }
  });

  it('410 is permanent; 500, 429 and timeouts are retryable', async () => {
    sink.respondWith(410);
    expect((await permanent(h.integrations.webhook.send({ type: 'x', data: 1 }, ctx()))).status).toBe(410);
    sink.respondWith(200);
    sink.server.failNext(1, { status: 500 });
    expect((await retryable(h.integrations.webhook.send({ type: 'x', data: 1 }, ctx()))).status).toBe(500);
    sink.server.failNext(1, { status: 429, retryAfter: 1 });
    expect((await retryable(h.integrations.webhook.send({ type: 'x', data: 1 }, ctx()))).retryAfterMs).toBe(1000);
    sink.server.failNext(1, { mode: 'hang' });
    expect((await retryable(h.quick.webhook.send({ type: 'x', data: 1 }, ctx()))).message).toBe('Outbound webhook did not answer within 0.3 s');
  });

  it('a signing secret that is not Standard Webhooks base64 is a setup problem, and nothing is sent', async () => {
    h.stores.secrets.set('integration.webhook.secret', 'plain text, not base64');
    const before = sink.server.requests.length;
    try {
      const err = await failure(h.integrations.webhook.send({ type: 'x', data: 1 }, ctx()));
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect(err.message).toMatch(/whsec_ followed by base64/);
      expect(sink.server.requests.length).toBe(before);
    } finally {
      h.stores.secrets.set('integration.webhook.secret', sink.secret);
    }
  });

  it('needs a URL and a signing secret', async () => {
    h.stores.secrets.set('integration.webhook.secret', null);
    try {
      const err = await failure(h.integrations.webhook.send({ type: 'x', data: 1 }, ctx()));
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect(err.message).toBe('Outbound webhook is not configured: add a signing secret');
    } finally {
      h.stores.secrets.set('integration.webhook.secret', sink.secret);
    }
  });
});
