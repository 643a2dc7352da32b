/**
 * Notion at API version 2025-09-03: Bearer token (401 unauthorized), Notion-Version required
 * (400 missing_version), one data source with a typed schema, pages validated against it (400
 * validation_error), queries with compound filters, array limits and pagination (see
 * notion-fake-query.ts), unknown ids (404 object_not_found), error bodies {object:"error",
 * status, code, message}, and an average of 3 requests/s -> 429 rate_limited with Retry-After in
 * seconds.
 */
import { randomUUID } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest, type RateRule } from './fake-server.js';
import { compileFilter, paginate } from './notion-fake-query.js';

export const NOTION_FAKE_VERSION = '2025-09-03';

type PropertyType = 'title' | 'rich_text' | 'email' | 'phone_number' | 'number' | 'select';

export const LEADS_SCHEMA: Record<string, PropertyType> = {
  Name: 'title',
  Email: 'email',
  Phone: 'phone_number',
  Segment: 'select',
  Source: 'rich_text',
  Stage: 'select',
  Score: 'number',
  Status: 'select',
  Priority: 'select',
  Engagement: 'number',
};

export interface NotionPage {
  id: string;
  data_source_id: string;
  /** The stored value of each property, in Notion's shape ({email: ...}, {select: {name}}, ...). */
  properties: Record<string, Record<string, unknown>>;
  /** Moved to the trash (https://developers.notion.com/reference/patch-page, `in_trash`): left out of queries, refused edits. */
  in_trash?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const error = (status: number, code: string, message: string): FakeAnswer => ({ status, json: { object: 'error', status, code, message } });

/** Why a property value does not fit its type (null when it does). */
function invalidValue(type: PropertyType, value: Record<string, unknown>): string | null {
  const v = value[type];
  const richText = (x: unknown) =>
    Array.isArray(x) &&
    x.every((t) => isObject(t) && (t.type === undefined || t.type === 'text') && isObject(t.text) && typeof t.text.content === 'string' && t.text.content.length <= 2000);
  switch (type) {
    case 'title':
    case 'rich_text':
      return richText(v) ? null : `should be an array of rich text items (text.content at most 2000 characters)`;
    case 'email':
    case 'phone_number':
      return v === null || (typeof v === 'string' && v.length <= 200) ? null : 'should be a string or null';
    case 'number':
      return v === null || (typeof v === 'number' && Number.isFinite(v)) ? null : 'should be a number or null';
    case 'select':
      return v === null || (isObject(v) && typeof v.name === 'string' && v.name.length <= 100 && !v.name.includes(','))
        ? null
        : 'should be {name} (at most 100 characters, no commas) or null';
  }
}

export interface NotionFakeOptions {
  token?: string;
  rateLimit?: Pick<RateRule, 'limit' | 'windowMs'>;
}

export class NotionFake {
  readonly token: string;
  readonly dataSourceId = randomUUID();
  readonly pages = new Map<string, NotionPage>();
  /** Every request that moved a page to the trash (a repeat on a trashed page is counted too). */
  readonly trashed: { id: string; wasInTrash: boolean }[] = [];

  private constructor(readonly server: FakeServer, opts: NotionFakeOptions) {
    this.token = opts.token ?? 'ntn_fake_token_8c0d7e2f4a61';
  }

  static async start(opts: NotionFakeOptions = {}): Promise<NotionFake> {
    let fake: NotionFake | undefined;
    const server = await FakeServer.start({
      name: 'Notion',
      handle: (req) => fake!.handle(req),
      rateLimit: opts.rateLimit ?? { limit: 3, windowMs: 1000 },
      rateLimited: (ms) => ({
        ...error(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'),
        headers: { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) },
      }),
      errorBody: (status) => ({
        json: { object: 'error', status, code: status >= 500 ? 'internal_server_error' : 'validation_error', message: `Error ${status}` },
      }),
    });
    fake = new NotionFake(server, opts);
    return fake;
  }

  /** Base URL including /v1. */
  get url(): string {
    return `${this.server.origin}/v1`;
  }

  pagesWithEmail(email: string): NotionPage[] {
    return [...this.pages.values()].filter((p) => p.properties.Email?.email === email);
  }

  /** The page was deleted or unshared: it answers 404 from now on. */
  deletePage(id: string): void {
    this.pages.delete(id);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private pageJson(p: NotionPage) {
    return {
      object: 'page',
      id: p.id,
      parent: { type: 'data_source_id', data_source_id: p.data_source_id },
      archived: p.in_trash === true,
      in_trash: p.in_trash === true,
      properties: Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, { type: LEADS_SCHEMA[k], ...v }])),
      url: `https://www.notion.so/${p.id.replace(/-/g, '')}`,
    };
  }

  private checkProperties(props: unknown): { refused: FakeAnswer } | { props: NotionPage['properties'] } {
    const refuse = (message: string) => ({ refused: error(400, 'validation_error', message) });
    if (!isObject(props)) return refuse('body failed validation: body.properties should be an object.');
    for (const [name, value] of Object.entries(props)) {
      const type = LEADS_SCHEMA[name];
      if (!type) return refuse(`${name} is not a property that exists.`);
      if (!isObject(value) || !(type in value)) return refuse(`${name} is expected to be ${type}.`);
      const why = invalidValue(type, value);
      if (why) return refuse(`body failed validation: body.properties.${name}.${type} ${why}.`);
    }
    return { props: props as NotionPage['properties'] };
  }

  private handle(req: FakeRequest): FakeAnswer {
    if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 'unauthorized', 'API token is invalid.');
    const version = req.headers['notion-version'];
    if (version === undefined) {
      return error(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
    }
    if (version !== NOTION_FAKE_VERSION) return error(400, 'validation_error', `This API speaks Notion-Version ${NOTION_FAKE_VERSION}, not ${String(version)}.`);
    if (req.method !== 'GET' && (req.invalidJson || !isObject(req.body))) return error(400, 'invalid_json', 'Error parsing JSON body.');
    const body = (req.body ?? {}) as Record<string, unknown>;

    let m = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(req.path);
    if (m && req.method === 'POST') return this.query(m[1]!, body);
    if (req.path === '/v1/pages' && req.method === 'POST') return this.create(body);
    m = /^\/v1\/pages\/([^/]+)$/.exec(req.path);
    if (m && req.method === 'PATCH') return this.update(m[1]!, body);
    return error(400, 'invalid_request_url', 'Invalid request URL.');
  }

  private query(id: string, body: Record<string, unknown>): FakeAnswer {
    if (id !== this.dataSourceId) {
      return error(404, 'object_not_found', `Could not find data source with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
    }
    let results = [...this.pages.values()].filter((p) => !p.in_trash);
    if (body.filter !== undefined) {
      const filter = compileFilter(body.filter, LEADS_SCHEMA);
      if ('refused' in filter) return error(400, 'validation_error', filter.refused);
      results = results.filter(filter.match);
    }
    const page = paginate(results, body);
    if ('refused' in page) return error(400, 'validation_error', page.refused);
    return {
      status: 200,
      json: { object: 'list', results: page.results.map((p) => this.pageJson(p)), next_cursor: page.next_cursor, has_more: page.has_more, type: 'page_or_data_source', page_or_data_source: {} },
    };
  }

  private create(body: Record<string, unknown>): FakeAnswer {
    const parent = body.parent;
    if (!isObject(parent) || (parent.type !== undefined && parent.type !== 'data_source_id') || typeof parent.data_source_id !== 'string') {
      return error(400, 'validation_error', 'body failed validation: body.parent.data_source_id should be defined, instead was `undefined`.');
    }
    if (parent.data_source_id !== this.dataSourceId) {
      return error(404, 'object_not_found', `Could not find data source with ID: ${parent.data_source_id}. Make sure the relevant pages and databases are shared with your integration.`);
    }
    const checked = this.checkProperties(body.properties);
    if ('refused' in checked) return checked.refused;
    const page: NotionPage = { id: randomUUID(), data_source_id: this.dataSourceId, properties: checked.props };
    this.pages.set(page.id, page);
    return { status: 200, json: this.pageJson(page) };
  }

  private update(id: string, body: Record<string, unknown>): FakeAnswer {
    const page = this.pages.get(id);
    if (!page) {
      return error(404, 'object_not_found', `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
    }
    const trash = body.in_trash ?? body.archived;
    if (trash !== undefined && typeof trash !== 'boolean') return error(400, 'validation_error', `body failed validation: body.in_trash should be a boolean, instead was \`${JSON.stringify(trash)}\`.`);
    if (page.in_trash && trash !== false && body.properties !== undefined) {
      return error(400, 'validation_error', "Can't edit block that is archived. You must unarchive the block before editing.");
    }
    const checked = this.checkProperties(body.properties ?? {});
    if ('refused' in checked) return checked.refused;
    page.properties = { ...page.properties, ...checked.props };
    if (trash === true) this.trashed.push({ id, wasInTrash: page.in_trash === true });
    if (trash !== undefined) page.in_trash = trash;
    return { status: 200, json: this.pageJson(page) };
  }
}
