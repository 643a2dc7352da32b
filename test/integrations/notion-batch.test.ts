/**
 * Mirroring many leads at once: one data source query (an `or` of Email conditions, paged) for
 * every lead without a known page, then one write per lead with its own outcome.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotionLead, NotionOutcome } from '../../electron/core/integrations/notion.js';
import { PermanentError, RetryableError } from '../../electron/core/integrations/types.js';
import type { FakeRequest } from '../fakes/fake-server.js';
import { NotionFake } from '../fakes/notion-fake.js';
import { configureNotion, notionLead, RATE, startNotion } from './notion-setup.js';
import { ctx, startHarness, type Harness } from './harness.js';

let notion: NotionFake;
let h: Harness;
beforeAll(async () => void ({ notion, h } = await startNotion()));
afterAll(async () => {
  h.close();
  await notion.stop();
});
beforeEach(() => notion.server.reset());
const lead = (email: string, over: Partial<NotionLead> = {}): NotionLead => notionLead(email, { first_name: 'Bo', phone: null, segment: 'garage', source: null, ...over });
const fresh = (emails: string[]) => emails.map((email) => ({ lead: lead(email), pageId: null }));
const emailsLike = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}-${randomUUID().slice(0, 8)}@garage.example`);

const isQuery = (r: FakeRequest) => r.method === 'POST' && r.path.endsWith('/query');
const isCreate = (r: FakeRequest) => r.method === 'POST' && r.path === '/v1/pages';
/** What reached Notion, in order: query, create or update. */
const kinds = () => notion.server.requests.map((r) => (isQuery(r) ? 'query' : isCreate(r) ? 'create' : r.method === 'PATCH' ? 'update' : r.path));
const count = (kind: string) => kinds().filter((k) => k === kind).length;
const pageIds = (outcomes: NotionOutcome[]) =>
  outcomes.map((o) => {
    if (o instanceof Error) throw o;
    return o.pageId;
  });

describe('Notion: many leads mirrored together', () => {
  it('new leads: one query with an `or` of their emails, then one create each', async () => {
    const emails = emailsLike('new', 5);
    const outcomes = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    expect(kinds()).toEqual(['query', 'create', 'create', 'create', 'create', 'create']);
    expect(notion.server.requests[0]!.body).toEqual({
      filter: { or: emails.map((e) => ({ property: 'Email', email: { equals: e } })) },
      page_size: 100,
    });
    const ids = pageIds(outcomes);
    emails.forEach((e, i) => expect(notion.pagesWithEmail(e).map((p) => p.id)).toEqual([ids[i]]));
  });

  it('known pages are updated without a query; the others share one query that names only them', async () => {
    const [known, gone, found, fresh1] = emailsLike('mix', 4);
    const [knownId, goneId] = pageIds(await h.integrations.notion.upsertLeads(fresh([known!, gone!]), ctx()));
    // A page made in Notion by hand: this client never saw it.
    const foundId = randomUUID();
    notion.pages.set(foundId, { id: foundId, data_source_id: notion.dataSourceId, properties: { Email: { email: found! } } });
    notion.deletePage(goneId!);
    notion.server.reset();

    const outcomes = await h.integrations.notion.upsertLeads(
      [
        { lead: lead(known!, { score: 40 }), pageId: knownId! },
        { lead: lead(gone!), pageId: goneId! },
        { lead: lead(found!), pageId: null },
        { lead: lead(fresh1!), pageId: null },
      ],
      ctx(),
    );
    // The deleted page answers 404, so that lead joins the lookup (and is recreated).
    expect(kinds().sort()).toEqual(['create', 'create', 'query', 'update', 'update', 'update']);
    const query = notion.server.requests.find(isQuery)!;
    const asked = (query.body as { filter: { or: { email: { equals: string } }[] } }).filter.or.map((c) => c.email.equals);
    expect(asked.sort()).toEqual([gone!, found!, fresh1!].sort());
    const ids = pageIds(outcomes);
    expect(ids[0]).toBe(knownId);
    expect(ids[1]).not.toBe(goneId);
    expect(ids[2]).toBe(foundId);
    expect(notion.pages.get(knownId!)!.properties.Score).toEqual({ number: 40 });
    for (const e of [known!, gone!, found!, fresh1!]) expect(notion.pagesWithEmail(e)).toHaveLength(1);
  });

  it('the same email twice in a batch makes one page, and both get it', async () => {
    const [twice, once] = emailsLike('twice', 2);
    const outcomes = await h.integrations.notion.upsertLeads(
      [{ lead: lead(twice!), pageId: null }, { lead: lead(once!), pageId: null }, { lead: lead(twice!, { engagement_score: 5 }), pageId: null }],
      ctx(),
    );
    const ids = pageIds(outcomes);
    expect(ids[0]).toBe(ids[2]);
    expect(notion.pagesWithEmail(twice!)).toHaveLength(1);
    // The latest data of the lead is what Notion keeps.
    expect(notion.pagesWithEmail(twice!)[0]!.properties.Engagement).toEqual({ number: 5 });
    expect(kinds()).toEqual(['query', 'create', 'create']);
  });

  it('repeated after a crash (pages created, answers lost), the batch finds its pages and creates none', async () => {
    const emails = emailsLike('crash', 4);
    notion.server.failNext(4, { mode: 'lose-answer' }, isCreate);
    const lost = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    expect(lost.every((o) => o instanceof RetryableError)).toBe(true);
    expect(emails.map((e) => notion.pagesWithEmail(e).length)).toEqual([1, 1, 1, 1]);

    // A new process: nothing remembered in memory, only what the query finds.
    const restarted = startHarness({ rateLimits: { notion: RATE } });
    configureNotion(restarted, notion);
    notion.server.reset();
    try {
      const again = pageIds(await restarted.integrations.notion.upsertLeads(fresh(emails), ctx()));
      expect(kinds()).toEqual(['query', 'update', 'update', 'update', 'update']);
      expect(again).toEqual(emails.map((e) => notion.pagesWithEmail(e)[0]!.id));
      expect(emails.map((e) => notion.pagesWithEmail(e).length)).toEqual([1, 1, 1, 1]);
    } finally {
      restarted.close();
    }
  });

  it('a create refused for one lead fails that lead only', async () => {
    const emails = emailsLike('one-bad', 3);
    const refusedFor = emails[1]!;
    notion.server.failNext(
      1,
      { status: 400, json: { object: 'error', status: 400, code: 'validation_error', message: 'body failed validation: body.properties.Phone.phone_number should be a string.' } },
      (r) => isCreate(r) && (r.body as { properties: { Email: { email: string } } }).properties.Email.email === refusedFor,
    );
    const outcomes = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    expect(outcomes[1]).toBeInstanceOf(PermanentError);
    expect((outcomes[1] as PermanentError).message).toBe('Notion answered 400: validation_error: body failed validation: body.properties.Phone.phone_number should be a string.');
    expect(outcomes[0]).toEqual({ pageId: notion.pagesWithEmail(emails[0]!)[0]!.id });
    expect(outcomes[2]).toEqual({ pageId: notion.pagesWithEmail(emails[2]!)[0]!.id });
    expect(notion.pagesWithEmail(refusedFor)).toHaveLength(0);
  });

  it('a query refused (401, 404) is the outcome of every lead that waited on it; nothing is created', async () => {
    const emails = emailsLike('refused', 3);
    h.stores.secrets.set('integration.notion.token', 'ntn_wrong_0000000000');
    try {
      const outcomes = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
      for (const o of outcomes) expect([o instanceof PermanentError, (o as PermanentError).status, (o as Error).message]).toEqual([true, 401, 'Notion answered 401: unauthorized: API token is invalid.']);
    } finally {
      h.stores.secrets.set('integration.notion.token', notion.token);
    }
    h.stores.settings.update({ integrations: { notion: { data_source_id: randomUUID() } } });
    try {
      const outcomes = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
      for (const o of outcomes) expect([o instanceof PermanentError, (o as PermanentError).status]).toEqual([true, 404]);
    } finally {
      h.stores.settings.update({ integrations: { notion: { data_source_id: notion.dataSourceId } } });
    }
    expect(count('query')).toBe(2);
    expect(count('create')).toBe(0);
  });

  it('a 429 on the query: every lead waits and retries; on one create: that lead only, and later calls wait out the pause', async () => {
    const emails = emailsLike('limited', 3);
    const rateLimited = { status: 429, retryAfter: 1, json: { object: 'error', status: 429, code: 'rate_limited', message: 'You have been rate limited.' } };
    notion.server.failNext(1, rateLimited, isQuery);
    const outcomes = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    for (const o of outcomes) expect([o instanceof RetryableError, (o as RetryableError).retryAfterMs]).toEqual([true, 1000]);

    notion.server.reset();
    notion.server.failNext(1, rateLimited, isCreate);
    const again = await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    expect(again.filter((o) => o instanceof RetryableError)).toHaveLength(1);
    expect(again.filter((o) => !(o instanceof Error))).toHaveLength(2);
    const limitedAt = notion.server.requests.find((r) => r.status === 429)!.at;
    // Calls not yet under way when the 429 came were held for its Retry-After (1 s).
    expect(notion.server.requests.at(-1)!.at - limitedAt).toBeGreaterThanOrEqual(950);
    expect(emails.filter((e) => notion.pagesWithEmail(e).length === 1)).toHaveLength(2);
  });

  it('follows the cursor when an email has more pages than one answer holds', async () => {
    const [crowded, late] = emailsLike('paged', 2);
    const seed = (email: string) => {
      const id = randomUUID();
      notion.pages.set(id, { id, data_source_id: notion.dataSourceId, properties: { Email: { email } } });
      return id;
    };
    // 150 pages of one email (an import gone wrong), then the other lead's page, after them.
    for (let i = 0; i < 150; i++) seed(crowded!);
    const lateId = seed(late!);

    const ids = pageIds(await h.integrations.notion.upsertLeads(fresh([crowded!, late!]), ctx()));
    expect(kinds()).toEqual(['query', 'query', 'update', 'update']);
    const second = notion.server.requests[1]!.body as { start_cursor?: string };
    expect(second.start_cursor).toEqual(expect.any(String));
    expect(ids[1]).toBe(lateId);
    expect(notion.pagesWithEmail(late!)).toHaveLength(1);
  });

  it('more than 100 leads: one query per 100 emails, as Notion takes at most 100 elements in an array', async () => {
    const emails = emailsLike('hundred', 101);
    await h.integrations.notion.upsertLeads(fresh(emails), ctx());
    const queries = notion.server.requests.filter(isQuery);
    expect(queries.map((q) => (q.body as { filter: { or?: unknown[]; email?: unknown } }).filter.or?.length ?? 1)).toEqual([100, 1]);
    expect(queries.every((q) => q.status === 200)).toBe(true);
    expect(count('create')).toBe(101);
  });
});
