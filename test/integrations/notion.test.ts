import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotConfiguredError } from '../../electron/core/integrations/types.js';
import { NotionFake } from '../fakes/notion-fake.js';
import { configureNotion, notionLead, startNotion } from './notion-setup.js';
import { ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

let notion: NotionFake;
let h: Harness;
beforeAll(async () => void ({ notion, h } = await startNotion()));
afterAll(async () => {
  h.close();
  await notion.stop();
});
beforeEach(() => notion.server.reset());
const lead = notionLead;

describe('Notion client', () => {
  it('creates a page under the data source, with the version header and typed properties', async () => {
    const { pageId } = await h.integrations.notion.upsertLead(lead('new@salon.example'), null, ctx());
    const [query, create] = notion.server.requests;
    expect(query!.path).toBe(`/v1/data_sources/${notion.dataSourceId}/query`);
    expect(query!.body).toEqual({ filter: { property: 'Email', email: { equals: 'new@salon.example' } }, page_size: 1 });
    expect(create!.path).toBe('/v1/pages');
    expect(create!.headers['notion-version']).toBe('2025-09-03');
    expect(create!.body).toMatchObject({ parent: { type: 'data_source_id', data_source_id: notion.dataSourceId } });
    const page = notion.pages.get(pageId)!;
    expect(page.properties).toMatchObject({
      Name: { title: [{ type: 'text', text: { content: 'Ana' } }] },
      Email: { email: 'new@salon.example' },
      Phone: { phone_number: '+1 555 123 4567' },
      Segment: { select: { name: 'beauty-salon' } },
      Source: { rich_text: [{ type: 'text', text: { content: 'facebook-ad' } }] },
      Score: { number: null },
      Engagement: { number: 0 },
    });
  });

  it('updates the same page when the lead changes: found by Email, never a second page', async () => {
    const first = await h.integrations.notion.upsertLead(lead('again@salon.example'), null, ctx());
    const second = await h.integrations.notion.upsertLead(lead('again@salon.example', { score: 85, status: 'hot', priority: 'high' }), null, ctx());
    expect(second.pageId).toBe(first.pageId);
    expect(notion.pagesWithEmail('again@salon.example')).toHaveLength(1);
    expect(notion.pages.get(first.pageId)!.properties).toMatchObject({ Score: { number: 85 }, Status: { select: { name: 'hot' } } });
    expect(notion.server.requests.at(-1)!.method).toBe('PATCH');
  });

  it('with a known page id, patches it directly', async () => {
    const { pageId } = await h.integrations.notion.upsertLead(lead('known@salon.example'), null, ctx());
    notion.server.reset();
    await h.integrations.notion.upsertLead(lead('known@salon.example', { engagement_score: 25 }), pageId, ctx());
    expect(notion.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /v1/pages/${pageId}`]);
    expect(notion.pages.get(pageId)!.properties.Engagement).toEqual({ number: 25 });
  });

  it('a page that was deleted (404) is found again or recreated', async () => {
    const { pageId } = await h.integrations.notion.upsertLead(lead('gone@salon.example'), null, ctx());
    notion.deletePage(pageId);
    const again = await h.integrations.notion.upsertLead(lead('gone@salon.example'), pageId, ctx());
    expect(again.pageId).not.toBe(pageId);
    expect(notion.pagesWithEmail('gone@salon.example')).toHaveLength(1);
  });

  it('an answer lost after the page was created: the retry finds it instead of duplicating', async () => {
    const email = 'lost@salon.example';
    notion.server.failNext(1, { mode: 'lose-answer' }, (r) => r.method === 'POST' && r.path === '/v1/pages');
    const c = ctx();
    await retryable(h.integrations.notion.upsertLead(lead(email), null, c));
    const [made] = notion.pagesWithEmail(email);
    expect(made).toBeDefined();
    const again = await h.integrations.notion.upsertLead(lead(email), null, { ...c, attempt: 2 });
    expect(again.pageId).toBe(made!.id);
    expect(notion.pagesWithEmail(email)).toHaveLength(1);
  });

  it('401 for a bad token, 404 for an unknown data source, 400 for a property the database lacks: permanent', async () => {
    h.stores.secrets.set('integration.notion.token', 'ntn_wrong_0000000000');
    const unauthorized = await permanent(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()));
    expect(unauthorized.message).toBe('Notion answered 401: unauthorized: API token is invalid.');
    h.stores.secrets.set('integration.notion.token', notion.token);

    const unknown = randomUUID();
    h.stores.settings.update({ integrations: { notion: { data_source_id: unknown } } });
    const notFound = await permanent(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()));
    expect(notFound.status).toBe(404);
    expect(notFound.message).toContain(`object_not_found: Could not find data source with ID: ${unknown}`);
    h.stores.settings.update({ integrations: { notion: { data_source_id: notion.dataSourceId, properties: { email: 'E-mail' } } } });
    try {
      const invalid = await permanent(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()));
      expect(invalid.status).toBe(400);
      expect(invalid.message).toBe('Notion answered 400: validation_error: Could not find property with name or id: E-mail');
    } finally {
      h.stores.settings.update({ integrations: { notion: { properties: { email: 'Email' } } } });
    }
  });

  it('409 conflict_error and 500 are retryable; 429 carries Retry-After in seconds', async () => {
    notion.server.failNext(1, { status: 409, json: { object: 'error', status: 409, code: 'conflict_error', message: 'Transaction could not be completed.' } });
    expect((await retryable(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()))).status).toBe(409);
    notion.server.failNext(1, { status: 502 });
    expect((await retryable(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()))).status).toBe(502);
    notion.server.failNext(1, { status: 429, retryAfter: 1, json: { object: 'error', status: 429, code: 'rate_limited', message: 'You have been rate limited.' } });
    const limited = await retryable(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()));
    expect([limited.status, limited.retryAfterMs]).toEqual([429, 1000]);
    notion.server.failNext(1, { mode: 'hang' });
    expect((await retryable(h.quick.notion.upsertLead(lead('a@x.example'), null, ctx()))).message).toBe('Notion did not answer within 0.3 s');
  });

  it('not configured without a token or a data source id', async () => {
    h.stores.settings.update({ integrations: { notion: { data_source_id: undefined } } });
    try {
      const err = await failure(h.integrations.notion.upsertLead(lead('a@x.example'), null, ctx()));
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect(err.message).toBe('Notion is not configured: add the data source id of the leads database');
    } finally {
      h.stores.settings.update({ integrations: { notion: { data_source_id: notion.dataSourceId } } });
    }
  });

  it('a burst of upserts never exceeds 3 requests a second at Notion', async () => {
    const real = await NotionFake.start();
    const own = startHarness();
    configureNotion(own, real);
    try {
      const emails = Array.from({ length: 5 }, (_, i) => `burst${i}@salon.example`);
      await Promise.all(emails.map((e) => own.integrations.notion.upsertLead(lead(e), null, ctx())));
      expect(real.server.requests).toHaveLength(10);
      expect(real.server.requests.every((r) => r.status === 200)).toBe(true);
      expect(real.server.maxObservedRate(1000)).toBeLessThanOrEqual(3);
      expect(emails.every((e) => real.pagesWithEmail(e).length === 1)).toBe(true);
    } finally {
      own.close();
      await real.stop();
    }
  });
});
