/**
 * The forwarding seam against the Prefect fake: requests it builds are accepted, and every answer
 * (204, 401, 404, 422 with a reason per event, 503, no answer) is read as the sender must act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutBatches, eventsRequest, readPrefectAnswer, type PrefectAnswer, type PrefectServer } from '../../electron/core/prefect/events-client.js';
import { prefectSizeBytes, toPrefectEvent, type PrefectEvent } from '../../electron/core/prefect/event-mapping.js';
import { uuidv7 } from '../../electron/core/ids.js';
import { PrefectFake } from '../fakes/prefect-fake.js';

let fake: PrefectFake;
beforeAll(async () => {
  fake = await PrefectFake.start({ authString: 'leadbell:pw' });
});
afterAll(() => fake.stop());

const event = (payload: Record<string, unknown> = { email: 'a@b.co' }): PrefectEvent =>
  toPrefectEvent({
    id: uuidv7(),
    seq: 1,
    event: 'lead.opted_in',
    occurred: new Date().toISOString(),
    received_at: new Date().toISOString(),
    source: 'lead-optin',
    resource: { 'prefect.resource.id': 'lead.a@b.co' },
    payload,
    inbox_id: null,
    idempotency_key: null,
  });

async function send(server: PrefectServer, events: PrefectEvent[], timeoutMs = 2000): Promise<PrefectAnswer> {
  const r = eventsRequest(server, events);
  try {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(timeoutMs) });
    return readPrefectAnswer(res.status, await res.text(), res.headers.get('retry-after'));
  } catch (e) {
    return readPrefectAnswer(null, '', null, (e as Error).message);
  }
}

describe('sending a batch', () => {
  it('204: sent, every event stored once even when sent twice', async () => {
    const batch = [event(), event()];
    const server = { apiUrl: `${fake.apiUrl}/`, authString: 'leadbell:pw' };
    expect(await send(server, batch)).toEqual({ kind: 'sent' });
    expect(await send(server, batch)).toEqual({ kind: 'sent' });
    expect(batch.every((e) => fake.events.has(e.id))).toBe(true);
  });

  it('401 and a wrong URL stop the sender with the reason', async () => {
    expect(await send({ apiUrl: fake.apiUrl, authString: 'leadbell:wrong' }, [event()])).toEqual({
      kind: 'stopped',
      status: 401,
      detail: 'the API key or auth string was refused: Unauthorized',
    });
    expect(await send({ apiUrl: `${fake.server.origin}/nope`, authString: 'leadbell:pw' }, [event()])).toMatchObject({ kind: 'stopped', status: 404, detail: /check PREFECT_API_URL/ });
  });

  it("422: Prefect's reason for each refused event, by its place in the batch", async () => {
    const bad = { ...event(), occurred: 'yesterday' };
    const answer = await send({ apiUrl: fake.apiUrl, authString: 'leadbell:pw' }, [event(), bad]);
    expect(answer.kind).toBe('rejected');
    if (answer.kind !== 'rejected') return;
    expect([...answer.events.keys()]).toEqual([1]);
    expect(answer.events.get(1)).toMatch(/^occurred: /);
  });

  it('an outage, Retry-After and no answer at all: retry', async () => {
    fake.setOutage(503);
    expect(await send({ apiUrl: fake.apiUrl, authString: 'leadbell:pw' }, [event()])).toMatchObject({ kind: 'retry', status: 503 });
    fake.setOutage(null);
    fake.server.failNext(1, { status: 429, retryAfter: 7 });
    expect(await send({ apiUrl: fake.apiUrl, authString: 'leadbell:pw' }, [event()])).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 7000 });
    fake.server.hang();
    expect(await send({ apiUrl: fake.apiUrl, authString: 'leadbell:pw' }, [event()], 300)).toMatchObject({ kind: 'retry', status: null });
    fake.server.hang(false);
  });

  it('Prefect Cloud: Bearer API key', async () => {
    const cloud = await PrefectFake.start({ apiKey: 'pnu_x', basePath: '/api/accounts/a/workspaces/w' });
    try {
      expect(await send({ apiUrl: cloud.apiUrl, apiKey: 'pnu_x' }, [event()])).toEqual({ kind: 'sent' });
    } finally {
      await cloud.stop();
    }
  });
});

describe('cutting batches', () => {
  it('keeps order, and stays within the count and byte limits without splitting an event', () => {
    const events = Array.from({ length: 25 }, (_, i) => event({ i, blob: 'x'.repeat(i * 100) }));
    const limits = { events: 10, bytes: 6000 };
    const batches = cutBatches(events, limits);
    expect(batches.flat()).toEqual(events);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(10);
      if (b.length > 1) expect(b.reduce((n, e) => n + prefectSizeBytes(e) + 1, 2)).toBeLessThanOrEqual(6000);
    }
    expect(cutBatches([event({ blob: 'x'.repeat(10_000) })], limits)).toHaveLength(1);
  });
});
