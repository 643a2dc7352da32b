/**
 * Notion mirrors that wait together behind Notion's pace share one lookup: a real core (SQLite
 * file, receiver, engine) posting opt-ins to the Notion fake over HTTP.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NOTION_BATCH_MAX } from '../../electron/core/flows/common-steps.js';
import { PacerRegistry, type RatePolicy } from '../../electron/core/outbound/rate-limiter.js';
import type { FakeRequest } from '../fakes/fake-server.js';
import { startWorld, stepsOf, type World } from './world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

/**
 * A world whose Notion client keeps to `notion` (the fake itself enforces 3 requests/s). Slack's
 * one message a second would hold every test up, so Slack is left unconfigured.
 */
async function world(notion?: RatePolicy): Promise<World> {
  w = await startWorld({ integrations: { pacers: new PacerRegistry(), timeoutMs: 2_000, ...(notion && { rateLimits: { notion } }) } });
  w.tc.core.stores.secrets.set('integration.slack.webhook_url', null);
  return w;
}

const isQuery = (r: FakeRequest) => r.method === 'POST' && r.path.endsWith('/query');
const isCreate = (r: FakeRequest) => r.method === 'POST' && r.path === '/v1/pages';
const orOf = (r: FakeRequest): string[] | null => {
  const filter = (r.body as { filter?: { or?: { email: { equals: string } }[] } }).filter;
  return filter?.or ? filter.or.map((c) => c.email.equals) : null;
};
const createdFor = (r: FakeRequest) => (r.body as { properties: { Email: { email: string } } }).properties.Email.email;

/** Posts an opt-in for each email at once; the event id of each. */
async function optIns(world: World, emails: string[]): Promise<Map<string, string>> {
  const ids = await Promise.all(emails.map((email) => world.send('lead-optin', { email, first_name: 'Ana', segment: 'beauty-salon' })));
  return new Map(emails.map((e, i) => [e, ids[i]!]));
}

async function mirrorStep(world: World, eventId: string) {
  return stepsOf(await world.run('lead-optin', eventId)).mirror_to_notion!;
}

describe('Notion mirrors waiting together share one lookup', () => {
  it('N opt-ins at once, at Notion\'s 3 requests/s: about N + N/20 requests instead of 2N, one page per lead', async () => {
    const fakes = (await world()).fakes;
    const n = 40;
    const emails = Array.from({ length: n }, (_, i) => `burst${i}@salon.example`);
    await optIns(w!, emails);
    await w!.settle();

    const requests = fakes.notion.server.requests;
    const batches = Math.ceil(n / NOTION_BATCH_MAX);
    // The first mirror goes out alone at once (query and create); the rest wait behind it and Notion's pace.
    expect(requests.length, `${requests.length} requests to Notion`).toBeGreaterThanOrEqual(n + batches);
    expect(requests.length, `${requests.length} requests to Notion`).toBeLessThanOrEqual(n + batches + 3);
    expect(requests.filter(isQuery).length).toBe(requests.length - n);
    expect(requests.filter((r) => (orOf(r)?.length ?? 0) > 1).length).toBeGreaterThanOrEqual(batches);
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(fakes.notion.server.maxObservedRate(1000)).toBeLessThanOrEqual(3);
    for (const email of emails) {
      const pages = fakes.notion.pagesWithEmail(email);
      expect(pages, email).toHaveLength(1);
      expect(w!.tc.core.stores.leads.byEmail(email)!.notion_page_id).toBe(pages[0]!.id);
    }
  }, 90_000);

  it('a lone opt-in makes a query and a create, as before', async () => {
    const fakes = (await world()).fakes;
    const events = await optIns(w!, ['alone@salon.example']);
    await w!.settle();
    expect(fakes.notion.server.requests.map((r) => (isQuery(r) ? 'query' : isCreate(r) ? 'create' : r.method))).toEqual(['query', 'create']);
    expect(fakes.notion.server.requests[0]!.body).toEqual({ filter: { property: 'Email', email: { equals: 'alone@salon.example' } }, page_size: 1 });
    expect(await mirrorStep(w!, events.get('alone@salon.example')!)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  // Notion's pace halved for the client, so the first mirror (alone) is still under way when the
  // others are handed over, and they form a batch.
  const SLOW: RatePolicy = { limit: 1, windowMs: 500 };
  const emails = ['b0@salon.example', 'b1@salon.example', 'b2@salon.example', 'b3@salon.example', 'b4@salon.example'];

  it('a create refused for one lead of a batch fails that lead\'s step only', async () => {
    const fakes = (await world(SLOW)).fakes;
    fakes.notion.server.failNext(
      1,
      { status: 400, json: { object: 'error', status: 400, code: 'validation_error', message: 'body failed validation: body.properties.Name.title should be defined.' } },
      (r) => isCreate(r) && fakes.notion.server.requests.some((q) => orOf(q) !== null),
    );
    const events = await optIns(w!, emails);
    await w!.settle();

    const refused = fakes.notion.server.requests.find((r) => r.status === 400)!;
    const batch = orOf(fakes.notion.server.requests.find((r) => orOf(r) !== null)!)!;
    expect(batch).toContain(createdFor(refused));
    for (const email of emails) {
      const step = await mirrorStep(w!, events.get(email)!);
      if (email === createdFor(refused)) {
        expect(step.status).toBe('failed');
        expect(step.error).toContain('Notion answered 400: validation_error: body failed validation: body.properties.Name.title should be defined.');
        expect(fakes.notion.pagesWithEmail(email)).toHaveLength(0);
      } else {
        expect(step, email).toMatchObject({ status: 'completed', attempts: 1 });
        expect(fakes.notion.pagesWithEmail(email)).toHaveLength(1);
      }
    }
  }, 30_000);

  it('a query refused (401) pauses Notion: no step fails or spends an attempt, nothing is created, and the token saved again mirrors each lead once', async () => {
    const fakes = (await world(SLOW)).fakes;
    // Notion's documented 401 body (https://developers.notion.com/reference/status-codes).
    fakes.notion.server.failNext(1, { status: 401, json: { object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' } }, (r) => orOf(r) !== null);
    const events = await optIns(w!, emails);
    await w!.settle();

    const batch = orOf(fakes.notion.server.requests.find((r) => r.status === 401)!)!;
    expect(batch.length).toBeGreaterThan(1);
    const requestsWhilePaused = fakes.notion.server.requests.length;
    let waiting = 0;
    for (const email of emails) {
      const step = await mirrorStep(w!, events.get(email)!);
      // Mirrored before the refusal, or waiting for a new token (the refused batch and all after it).
      if (step.status === 'completed') continue;
      waiting++;
      expect(step).toMatchObject({ status: 'pending', attempts: 0 });
      expect(fakes.notion.pagesWithEmail(email)).toHaveLength(0);
    }
    expect(waiting).toBeGreaterThanOrEqual(batch.length);
    expect(fakes.notion.server.requests.filter(isCreate).map(createdFor).filter((e) => batch.includes(e))).toEqual([]);

    const saved = await w!.tc.api('PUT', '/api/secrets/integration.notion.token', { value: fakes.notion.token });
    expect(saved.status).toBe(200);
    await w!.settle();
    expect(fakes.notion.server.requests.length).toBeGreaterThan(requestsWhilePaused);
    for (const email of emails) {
      expect(await mirrorStep(w!, events.get(email)!)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(fakes.notion.pagesWithEmail(email)).toHaveLength(1);
    }
  }, 30_000);

  it('a 429 on the lookup pauses Notion and the batch is retried: every lead gets one page', async () => {
    const fakes = (await world(SLOW)).fakes;
    fakes.notion.server.failNext(
      1,
      { status: 429, retryAfter: 1, json: { object: 'error', status: 429, code: 'rate_limited', message: 'You have been rate limited.' } },
      (r) => orOf(r) !== null,
    );
    const events = await optIns(w!, emails);
    // The refused lookup's steps wait for their retry time: the engine is idle meanwhile.
    await vi.waitFor(
      async () => {
        for (const email of emails) expect((await mirrorStep(w!, events.get(email)!)).status).toBe('completed');
      },
      { timeout: 20_000, interval: 200 },
    );

    const limited = fakes.notion.server.requests.find((r) => r.status === 429)!;
    const batch = orOf(limited)!;
    // Nothing reached Notion during the second it asked for.
    const next = fakes.notion.server.requests.find((r) => r.at > limited.at)!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    for (const email of emails) {
      const step = await mirrorStep(w!, events.get(email)!);
      expect(step, email).toMatchObject({ status: 'completed', attempts: batch.includes(email) ? 2 : 1 });
      expect(fakes.notion.pagesWithEmail(email)).toHaveLength(1);
    }
  }, 30_000);
});
