/**
 * Events' bulk replay through the real core (receiver on loopback, a real SQLite file): requests
 * refused because the owner had pasted the wrong signing secret go through once the secret is
 * fixed, each exactly once, in the order they arrived; a request the receiver still refuses says
 * why; a second replay (or a replay after a restart) makes nothing new.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, InboxRequest } from '../../shared/api/models.js';
import type { ReplaySummary } from '../../shared/replay-words.js';
import { leadbellSignature, standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { InboxStore } from '../../electron/core/storage/inbox-store.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const RIGHT = `whsec_${randomBytes(24).toString('base64')}`;
const WRONG = `whsec_${randomBytes(24).toString('base64')}`;
let tc: TestCore;
let since: string;

beforeAll(async () => {
  tc = await startTestCore();
  since = new Date(Date.now() - 1000).toISOString();
  expect((await tc.api('PUT', '/api/secrets/webhook.default', { value: WRONG })).status).toBe(200);
});
afterAll(() => tc.stop());

/** A form tool signing with the secret it was given (the right one), the Leadbell way. */
async function signedOptIn(email: string, extra: Record<string, string> = {}) {
  const raw = JSON.stringify({ email, first_name: 'Ines' });
  return post(tc.url('/api/webhooks/lead-optin'), raw, { 'x-leadbell-signature': leadbellSignature(RIGHT, raw), ...extra });
}

const replay = async (input: unknown) => {
  const res = await tc.api('POST', '/api/requests/replay', input);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ReplaySummary;
};
const events = async () => (await tc.api('GET', '/api/events?limit=1000')).body.items as EventRecord[];
const leadsNamed = async (email: string) => (await tc.api('GET', `/api/leads?search=${encodeURIComponent(email)}`)).body.total as number;
const requests = async (q = '') => (await tc.api('GET', `/api/requests?limit=1000${q}`)).body.items as InboxRequest[];

describe('bulk replay of refused requests', () => {
  const emails = ['ana@replay.example', 'ben@replay.example', 'cai@replay.example', 'dee@replay.example'];

  it('refused, then the secret is fixed: all refused since then go through once each, in arrival order', async () => {
    for (const e of emails) expect((await signedOptIn(e)).status).toBe(401);
    // A Standard Webhooks sender retrying one delivery: two refused requests, one webhook-id.
    const raw = JSON.stringify({ email: 'eve@replay.example', first_name: 'Eve' });
    const sw = standardWebhooksHeaders(RIGHT, 'msg_replay_1', raw);
    expect((await post(tc.url('/api/webhooks/lead-optin'), raw, sw)).status).toBe(401);
    expect((await post(tc.url('/api/webhooks/lead-optin'), raw, sw)).status).toBe(401);
    // No email at all: refused for a reason no setting fixes.
    expect((await post(tc.url('/api/webhooks/lead-optin'), { first_name: 'Nomail' })).status).toBe(422);
    expect(await events()).toHaveLength(0);

    // Replaying before the fix changes nothing and says why.
    const early = await replay({ refused: { endpoint: 'lead-optin', since } });
    expect(early.items.map((i) => i.outcome)).toEqual(Array(7).fill('still_refused'));
    expect(early.items[0]!.reason).toMatch(/signature/);
    expect(await events()).toHaveLength(0);

    expect((await tc.api('PUT', '/api/secrets/webhook.default', { value: RIGHT })).status).toBe(200);
    const summary = await replay({ refused: { endpoint: 'lead-optin', since } });
    expect(summary.items.map((i) => i.outcome)).toEqual(['went_through', 'went_through', 'went_through', 'went_through', 'went_through', 'already', 'still_refused']);
    expect(summary.items[6]!.reason).toBe('email: is required');
    expect(summary.words).toBe('7 replayed: 5 went through, 1 had already gone through (nothing made twice), 1 still refused (email: is required)');

    const stored = await events();
    expect(stored).toHaveLength(5);
    // In arrival order: the store's sequence follows the order the requests first came in.
    const bySeq = [...stored].sort((a, b) => a.seq - b.seq).map((e) => e.payload.email);
    expect(bySeq).toEqual([...emails, 'eve@replay.example']);
    for (const e of [...emails, 'eve@replay.example']) await expect.poll(() => leadsNamed(e)).toBe(1);

    // Each original now shows the event its replay became; the replay's own row names its original.
    const refused = await requests('&outcome=rejected');
    const ana = refused.find((r) => r.replay_of === null && r.body.includes('ana@'))!;
    expect(ana.replayed_event_id).toBe(summary.items[0]!.event_id);
    const replayRow = (await requests()).find((r) => r.id === summary.items[0]!.replay_id)!;
    expect(replayRow).toMatchObject({ via: 'replay', outcome: 'accepted', replay_of: ana.id, received_at: ana.received_at });
  });

  it('a second replay, by filter or by the same ids, and one after a restart, make no new event', async () => {
    const again = await replay({ refused: { endpoint: 'lead-optin', since } });
    // Only the request no setting fixes is left to replay.
    expect(again.items.map((i) => i.outcome)).toEqual(['still_refused']);
    const originals = (await requests('&outcome=rejected')).filter((r) => r.replay_of === null).map((r) => r.id);
    const byIds = await replay({ ids: originals });
    expect(byIds.items.filter((i) => i.outcome === 'already')).toHaveLength(6);
    await tc.restart();
    const afterRestart = await replay({ ids: originals });
    expect(afterRestart.items.filter((i) => i.outcome === 'went_through')).toHaveLength(0);
    expect(await events()).toHaveLength(5);
  });

  it('the durable key holds even when the check before it is passed by (two replays of one request at once)', async () => {
    expect((await tc.api('PUT', '/api/secrets/webhook.default', { value: WRONG })).status).toBe(200);
    expect((await signedOptIn('fay@replay.example')).status).toBe(401);
    expect((await tc.api('PUT', '/api/secrets/webhook.default', { value: RIGHT })).status).toBe(200);
    const fay = (await requests('&outcome=rejected')).find((r) => r.body.includes('fay@'))!;
    const [a, b] = await Promise.all([replay({ ids: [fay.id] }), replay({ ids: [fay.id] })]);
    expect([a.items[0]!.outcome, b.items[0]!.outcome].sort()).toEqual(['already', 'went_through']);
    // Straight through the receiver, past the handler's own check: the stored key refuses a second event.
    const raw = tc.core.receiver;
    const direct = await raw.replayed({ replayOf: fay.id, receivedAt: fay.received_at, ip: fay.client_ip, method: 'POST', path: fay.path, headers: fay.headers, body: Buffer.from(fay.body) });
    expect(direct.status).toBe(200);
    expect((await events()).filter((e) => e.payload.email === 'fay@replay.example')).toHaveLength(1);
  });

  it("an accepted request's event runs again once per action, however often the action is sent", async () => {
    const accepted = (await requests('&outcome=accepted')).find((r) => r.via === 'replay')!;
    const key = 'action-key-0001';
    const first = await replay({ ids: [accepted.id], key });
    const second = await replay({ ids: [accepted.id], key });
    expect(first.items[0]).toMatchObject({ outcome: 'sent_again' });
    expect(second.items[0]).toMatchObject({ outcome: 'already', event_id: first.items[0]!.event_id });
    expect(first.words).toBe('1 replayed: 1 sent through your automations again');
    const copies = (await events()).filter((e) => e.source === 'replay');
    expect(copies).toHaveLength(1);
  });

  it('replays at most 1,000 at a time, the oldest first, and says how many are left', async () => {
    // 1,005 refused visits stored straight into the request log (posting them would meet the rate gate).
    const store = new InboxStore(tc.core.db);
    const ids: number[] = [];
    tc.core.db.transaction(() => {
      for (let i = 0; i < 1005; i++) {
        ids.push(
          store.insert({
            received_at: new Date(Date.parse('2026-01-05T10:00:00.000Z') + i * 1000).toISOString(),
            endpoint: 'sales-page-visit',
            method: 'POST',
            path: '/api/webhooks/sales-page-visit',
            client_ip: '203.0.113.7',
            via: 'direct',
            headers: { 'content-type': 'application/json' },
            content_type: 'application/json',
            body: Buffer.from(JSON.stringify({ page: `/offer-${i}` })),
            body_size: 20,
            body_truncated: false,
            status: 422,
            outcome: 'rejected',
            reason: 'visitor_id: is required',
            event_id: null,
          }),
        );
      }
    })();
    const summary = await replay({ refused: { endpoint: 'sales-page-visit' } });
    expect(summary.matched).toBe(1005);
    expect(summary.items).toHaveLength(1000);
    expect(summary.items.map((i) => i.request_id)).toEqual(ids.slice(0, 1000));
    expect(summary.words).toMatch(/^1,000 of 1,005 replayed: .*\. At most 1,000 go at once, oldest first: replay again for the rest$/);
  }, 60_000);

  it('refuses a request without a selection, or with more than 1,000 ids, naming the field', async () => {
    const none = await tc.api('POST', '/api/requests/replay', {});
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('give either ids or refused');
    const many = await tc.api('POST', '/api/requests/replay', { ids: Array.from({ length: 1001 }, (_, i) => i + 1) });
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).toContain('ids');
  });
});
