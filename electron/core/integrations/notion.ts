/**
 * Notion (API version 2025-09-03, where databases hold data sources): mirrors a lead as a page.
 * A known page id is updated; otherwise the data source is queried by Email first and only then
 * a page created, so a retry after a lost answer finds the page instead of making a second one.
 */
import { z } from 'zod';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import type { NotionPropertyNames } from '../../../shared/integrations/notion.js';
import { httpCall, type OutboundResponse } from '../outbound/http-call.js';
import { answer, bodyText, readOptions, requireSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { NotConfiguredError, PermanentError, type CallContext } from './types.js';

export const NOTION_VERSION = '2025-09-03';

export interface NotionLead {
  email: string;
  first_name: string | null;
  phone: string | null;
  segment: string | null;
  source: string | null;
  stage: string;
  score: number | null;
  status: string;
  priority: string;
  engagement_score: number;
}

export interface NotionClient extends IntegrationClient {
  upsertLead(lead: NotionLead, pageId: string | null, ctx: CallContext): Promise<{ pageId: string }>;
}

const pageAnswer = z.object({ id: z.string().min(1) });
const queryAnswer = z.object({ results: z.array(pageAnswer) });

/** Notion's limits: rich text 2000 characters; select option names 100 and no commas. */
const text = (s: string) => [{ type: 'text', text: { content: s.slice(0, 2000) } }];
const select = (s: string | null) => ({ select: s ? { name: s.replace(/,/g, ' ').slice(0, 100) } : null });

export function leadProperties(lead: NotionLead, names: NotionPropertyNames): Record<string, unknown> {
  return {
    [names.name]: { title: text(lead.first_name || lead.email) },
    [names.email]: { email: lead.email },
    [names.phone]: { phone_number: lead.phone },
    [names.segment]: select(lead.segment),
    [names.source]: { rich_text: lead.source ? text(lead.source) : [] },
    [names.stage]: select(lead.stage),
    [names.score]: { number: lead.score },
    [names.status]: select(lead.status),
    [names.priority]: select(lead.priority),
    [names.engagement_score]: { number: lead.engagement_score },
  };
}

function parse<T>(schema: z.ZodType<T>, res: OutboundResponse, what: string): T {
  const parsed = schema.safeParse(res.json);
  if (!parsed.success) throw new PermanentError(`Notion answered ${res.status} with an unexpected ${what}`, res.status);
  return parsed.data;
}

export function createNotionClient(deps: ClientDeps): NotionClient {
  const connect = () => {
    const options = readOptions(deps, 'notion');
    const token = requireSecret(deps, integrationSecretName('notion', 'token'), 'Notion is not configured: add an integration token');
    if (!options.data_source_id) throw new NotConfiguredError('Notion is not configured: add the data source id of the leads database');
    const vendor = vendorProfile(deps, 'notion', options.base_url, [token], {
      errorMessage: (res) => {
        const message = bodyText(res, 'message');
        const code = bodyText(res, 'code');
        return message && (code ? `${code}: ${message}` : message);
      },
      // Notion's 409 conflict_error is a transaction collision: the same request can succeed later.
      classify: (res) => (res.status === 409 ? 'retryable' : undefined),
    });
    const base = options.base_url.replace(/\/+$/, '');
    const call = (method: 'POST' | 'PATCH', path: string, json: unknown, signal?: AbortSignal) =>
      httpCall(
        vendor,
        { method, url: `${base}${path}`, json, headers: { authorization: `Bearer ${token}`, 'notion-version': NOTION_VERSION } },
        signal,
      );
    return { call, dataSourceId: options.data_source_id, names: options.properties };
  };

  // Two flows may mirror the same lead at once (an opt-in and a page visit moments apart): each
  // would find no page and create one. Upserts for one email wait for each other, and a page
  // this process created is remembered, since Notion's query can lag behind a fresh create.
  const perEmail = new Map<string, Promise<void>>();
  const createdPages = new Map<string, string>();
  const MAX_REMEMBERED = 10_000;

  const serialised = <T>(email: string, fn: () => Promise<T>): Promise<T> => {
    const next = (perEmail.get(email) ?? Promise.resolve()).then(fn);
    const settled = next.then(
      () => {},
      () => {},
    );
    perEmail.set(email, settled);
    void settled.then(() => {
      if (perEmail.get(email) === settled) perEmail.delete(email);
    });
    return next;
  };

  const upsert = async (lead: NotionLead, pageId: string | null, ctx: CallContext): Promise<{ pageId: string }> => {
    const { call, dataSourceId, names } = connect();
    const properties = leadProperties(lead, names);
    const update = async (id: string) => {
      const res = await call('PATCH', `/pages/${encodeURIComponent(id)}`, { properties }, ctx.signal);
      return { pageId: parse(pageAnswer, res, 'page').id };
    };
    if (pageId) {
      try {
        return await update(pageId);
      } catch (err) {
        // The page was deleted or unshared: find or recreate it in the data source below.
        if (!(err instanceof PermanentError && err.status === 404)) throw err;
      }
    }
    const found = await call(
      'POST',
      `/data_sources/${encodeURIComponent(dataSourceId)}/query`,
      { filter: { property: names.email, email: { equals: lead.email } }, page_size: 1 },
      ctx.signal,
    );
    const hit = parse(queryAnswer, found, 'query result').results[0];
    if (hit) return update(hit.id);
    const created = await call(
      'POST',
      '/pages',
      { parent: { type: 'data_source_id', data_source_id: dataSourceId }, properties },
      ctx.signal,
    );
    const page = parse(pageAnswer, created, 'page').id;
    if (createdPages.size >= MAX_REMEMBERED) createdPages.delete(createdPages.keys().next().value!);
    createdPages.set(lead.email, page);
    return { pageId: page };
  };

  return {
    ready: () => void connect(),
    upsertLead: (lead, pageId, ctx) => serialised(lead.email, () => upsert(lead, pageId ?? createdPages.get(lead.email) ?? null, ctx)),

    test: async () => {
      const { call, dataSourceId } = connect();
      return answer(await call('POST', `/data_sources/${encodeURIComponent(dataSourceId)}/query`, { page_size: 1 }));
    },
  };
}
