/**
 * One case table for every signature scheme, signed by each sender's own library (or, where the
 * sender has none, by the document its signer names), through real HTTP against a real core.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { SENDERS, type Sender } from '../helpers/senders.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  // Many deliveries from one address: the per-address rate limit is not under test.
  t.core.stores.settings.update({ receiver: { rate_limit_per_minute: 0 } });
});
afterAll(async () => t.stop());

const url = () => t.url('/api/webhooks/assessment');
const now = () => Math.floor(Date.now() / 1000);

/** The endpoint checks `scheme` with the sender's secret as its own secret. */
async function configure(scheme: string, secret: string | null): Promise<void> {
  expect((await t.api('PUT', '/api/settings', { receiver: { endpoints: { assessment: { signature: scheme } } } })).status).toBe(200);
  expect((await t.api('PUT', '/api/secrets/webhook.assessment', { value: secret })).status).toBe(200);
}

/** A fresh delivery from `s`, signed at `at` with `key`. */
function delivery(s: Sender, key: string, at = now()) {
  const id = `dlv_${randomUUID()}`;
  const body = s.body(id, `${id.slice(4, 12)}@example.com`);
  return { id, body, headers: s.sign(key, body, id, at) };
}

/** The body with exactly one byte changed (the email's last letter). */
function oneByteChanged(body: string): string {
  const changed = body.replace('@example.com', '@example.con');
  expect(Buffer.compare(Buffer.from(changed), Buffer.from(body))).not.toBe(0);
  expect(Buffer.from(changed).length).toBe(Buffer.from(body).length);
  return changed;
}

for (const mode of ['the sender’s own scheme', 'automatic'] as const) {
  describe.each(SENDERS)(`$scheme, signed by $signer (endpoint set to ${mode})`, (s) => {
    const secret = s.secret();
    beforeAll(() => configure(mode === 'automatic' ? 'auto' : s.scheme, secret));
    afterAll(() => configure('auto', null));

    it('valid: accepted and stored', async () => {
      const d = delivery(s, secret);
      const r = await post(url(), d.body, d.headers);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      const email = `${d.id.slice(4, 12)}@example.com`;
      const stored = await t.api('GET', `/api/events?search=${encodeURIComponent(email)}&limit=5`);
      expect(stored.body.items.map((e: { id: string; payload: { email: string } }) => [e.id, e.payload.email])).toEqual([[r.body.event_id, email]]);
    });

    it('wrong key: 401, the signature does not match', async () => {
      const d = delivery(s, s.secret());
      const r = await post(url(), d.body, d.headers);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatch(/does not match/);
    });

    it('body changed by one byte: 401', async () => {
      const d = delivery(s, secret);
      const r = await post(url(), oneByteChanged(d.body), d.headers);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatch(/does not match/);
    });

    it.runIf(s.timestamped)('timestamp outside the 5-minute tolerance: 401 either way; just inside is accepted', async () => {
      for (const at of [now() - 360, now() + 360]) {
        const d = delivery(s, secret, at);
        const r = await post(url(), d.body, d.headers);
        expect(r.status).toBe(401);
        expect(r.body.error).toMatch(/more than 5 minutes off/);
      }
      const inside = delivery(s, secret, now() - 240);
      expect((await post(url(), inside.body, inside.headers)).status).toBe(202);
    });

    it('replay: the same signed request again is a duplicate of the first event', async () => {
      const d = delivery(s, secret);
      const first = await post(url(), d.body, d.headers);
      expect(first.status).toBe(202);
      const again = await post(url(), d.body, d.headers);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
    });

    it('replay with an Idempotency-Key of its own (a header the signature does not cover): still a duplicate', async () => {
      const d = delivery(s, secret);
      const first = await post(url(), d.body, d.headers);
      expect(first.status).toBe(202);
      for (const key of ['anything', 'anything-else']) {
        const again = await post(url(), d.body, { ...d.headers, 'idempotency-key': key });
        expect(again.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
      }
    });
  });
}

describe('each scheme reads the secret the way its sender does', () => {
  const b64Secret = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
  afterAll(() => configure('auto', null));

  it.each(SENDERS.filter((s) => s.scheme !== 'standard-webhooks'))(
    '$scheme: a whsec_ secret is the HMAC key as written, prefix included',
    async (s) => {
      await configure(s.scheme, b64Secret);
      const d = delivery(s, b64Secret);
      expect((await post(url(), d.body, d.headers)).status).toBe(202);
      // Keyed with the decoded bytes instead, as Standard Webhooks would: refused.
      const decoded = delivery(s, Buffer.from(b64Secret.slice(6), 'base64').toString('latin1'));
      expect((await post(url(), decoded.body, decoded.headers)).status).toBe(401);
    },
  );

  it('standard-webhooks: the key is the base64 after whsec_, and the prefix is optional', async () => {
    const sw = SENDERS.find((s) => s.scheme === 'standard-webhooks')!;
    await configure('standard-webhooks', b64Secret.slice(6));
    const d = delivery(sw, b64Secret);
    expect((await post(url(), d.body, d.headers)).status).toBe(202);
  });

  it('standard-webhooks: a secret that is not base64 is refused with the reason', async () => {
    const sw = SENDERS.find((s) => s.scheme === 'standard-webhooks')!;
    await configure('standard-webhooks', 'plain text secret');
    const d = delivery(sw, b64Secret);
    const r = await post(url(), d.body, d.headers);
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/not a Standard Webhooks secret \(whsec_ followed by base64\)/);
  });

  it('standard-webhooks: webhook-id is signed, so changing it is refused', async () => {
    const sw = SENDERS.find((s) => s.scheme === 'standard-webhooks')!;
    await configure('standard-webhooks', b64Secret);
    const d = delivery(sw, b64Secret);
    expect((await post(url(), d.body, { ...d.headers, 'webhook-id': `${d.id}x` })).status).toBe(401);
  });
});
