/**
 * Notion (API version 2025-09-03, where databases hold data sources): mirrors leads as pages.
 * A known page id is updated; otherwise the data source is queried by Email first and only then
 * a page created, so a retry after a lost answer finds the page instead of making a second one.
 * Leads mirrored together share that query (notion-lookup.ts), then are written one request each.
 */
import { z } from 'zod';
import { integrationSecretName } from '../../../shared/integrations/index.js';
import type { NotionPropertyNames } from '../../../shared/integrations/notion.js';
import { httpCall } from '../outbound/http-call.js';
import { answer, bodyText, readOptions, requireSecret, vendorProfile, type ClientDeps, type IntegrationClient, type TestAnswer } from './config.js';
import { emailKey, findPagesByEmail, readAnswer } from './notion-lookup.js';
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

/** A lead to mirror, with its page when Leadbell already knows it. */
export interface NotionUpsert {
  lead: NotionLead;
  pageId: string | null;
}

/** A lead's page, or why that lead alone could not be mirrored. */
export type NotionOutcome = { pageId: string } | Error;

export interface NotionClient extends IntegrationClient {
  upsertLead(lead: NotionLead, pageId: string | null, ctx: CallContext): Promise<{ pageId: string }>;
  /**
   * Mirrors many leads: one outcome per item, in order. Leads without a known page are looked up
   * with one query; a refused query is the outcome of each of them, a refused write only of its
   * own lead. Items with the same email share one page. Throws only when Notion is not set up.
   */
  upsertLeads(items: NotionUpsert[], ctx: CallContext): Promise<NotionOutcome[]>;
  /** Moves the lead's page to the trash (an erasure); `found` is false when it is gone already (404). */
  trashPage(pageId: string, ctx: CallContext): Promise<{ found: boolean }>;
}

const pageAnswer = z.object({ id: z.string().min(1) });

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

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

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
    const call = (method: 'POST' | 'PATCH', path: string, json: unknown, signal?: AbortSignal, accept?: number[]) =>
      httpCall(
        vendor,
        { method, url: `${base}${path}`, json, headers: { authorization: `Bearer ${token}`, 'notion-version': NOTION_VERSION }, accept },
        signal,
      );
    return { call, dataSourceId: options.data_source_id, names: options.properties };
  };

  // Two flows may mirror the same lead at once (an opt-in and a page visit moments apart): each
  // would find no page and create one. Upserts sharing an email wait for each other, and a page
  // this process created is remembered, since Notion's query can lag behind a fresh create.
  const perEmail = new Map<string, Promise<void>>();
  const createdPages = new Map<string, string>();
  const MAX_REMEMBERED = 10_000;

  const serialised = <T>(emails: string[], fn: () => Promise<T>): Promise<T> => {
    const before = emails.map((e) => perEmail.get(e)).filter((p) => p !== undefined);
    const next = Promise.all(before).then(fn);
    const settled = next.then(
      () => {},
      () => {},
    );
    for (const e of emails) perEmail.set(e, settled);
    void settled.then(() => {
      for (const e of emails) if (perEmail.get(e) === settled) perEmail.delete(e);
    });
    return next;
  };

  const remember = (email: string, pageId: string) => {
    if (createdPages.size >= MAX_REMEMBERED) createdPages.delete(createdPages.keys().next().value!);
    createdPages.set(email, pageId);
  };

  /** Outcomes by email key: known pages updated, the rest looked up together, then updated or created. */
  const mirror = async (leads: Map<string, NotionUpsert>, ctx: CallContext): Promise<Map<string, NotionOutcome>> => {
    const { call, dataSourceId, names } = connect();
    const outcomes = new Map<string, NotionOutcome>();
    const properties = (email: string) => leadProperties(leads.get(email)!.lead, names);
    const update = async (email: string, id: string) =>
      readAnswer(pageAnswer, await call('PATCH', `/pages/${encodeURIComponent(id)}`, { properties: properties(email) }, ctx.signal), 'page').id;
    const create = async (email: string) => {
      const parent = { type: 'data_source_id', data_source_id: dataSourceId };
      const id = readAnswer(pageAnswer, await call('POST', '/pages', { parent, properties: properties(email) }, ctx.signal), 'page').id;
      remember(email, id);
      return id;
    };
    const settle = async (email: string, write: () => Promise<string>) => {
      try {
        outcomes.set(email, { pageId: await write() });
      } catch (err) {
        outcomes.set(email, asError(err));
      }
    };

    const unknown: string[] = [];
    await Promise.all(
      [...leads].map(async ([email, { pageId }]) => {
        const known = pageId ?? createdPages.get(email);
        if (!known) return void unknown.push(email);
        try {
          outcomes.set(email, { pageId: await update(email, known) });
        } catch (err) {
          // The page was deleted or unshared: find or recreate it in the data source below.
          if (err instanceof PermanentError && err.status === 404) unknown.push(email);
          else outcomes.set(email, asError(err));
        }
      }),
    );
    if (!unknown.length) return outcomes;
    let found: Map<string, string>;
    try {
      const query = (body: Record<string, unknown>) => call('POST', `/data_sources/${encodeURIComponent(dataSourceId)}/query`, body, ctx.signal);
      found = await findPagesByEmail(query, names.email, unknown);
    } catch (err) {
      for (const email of unknown) outcomes.set(email, asError(err));
      return outcomes;
    }
    await Promise.all(unknown.map((email) => settle(email, () => (found.has(email) ? update(email, found.get(email)!) : create(email)))));
    return outcomes;
  };

  const upsertLeads = async (items: NotionUpsert[], ctx: CallContext): Promise<NotionOutcome[]> => {
    connect(); // not set up: thrown for the whole batch, whose steps are then skipped
    // One write per email (the latest data wins): two runs of one lead in a batch share its page.
    const leads = new Map<string, NotionUpsert>();
    for (const { lead, pageId } of items) {
      const key = emailKey(lead.email);
      leads.set(key, { lead, pageId: pageId ?? leads.get(key)?.pageId ?? null });
    }
    const outcomes = await serialised([...leads.keys()], () => mirror(leads, ctx));
    return items.map(({ lead }) => outcomes.get(emailKey(lead.email))!);
  };

  return {
    ready: () => void connect(),
    upsertLeads,
    // https://developers.notion.com/reference/patch-page: `in_trash: true` trashes the page.
    async trashPage(pageId, ctx) {
      const res = await connect().call('PATCH', `/pages/${encodeURIComponent(pageId)}`, { in_trash: true }, ctx.signal, [404]);
      return { found: res.status !== 404 };
    },
    async upsertLead(lead, pageId, ctx) {
      const [outcome] = await upsertLeads([{ lead, pageId }], ctx);
      if (outcome instanceof Error) throw outcome;
      return outcome!;
    },

    test: async () => {
      const { call, dataSourceId } = connect();
      return answer(await call('POST', `/data_sources/${encodeURIComponent(dataSourceId)}/query`, { page_size: 1 }));
    },
  };
}
