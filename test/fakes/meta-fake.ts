/**
 * Meta Graph custom audiences: access token (header, query or body; a bad token 400 OAuthException
 * code 190, an expired one code 190 subcode 463, never a 401:
 * https://developers.facebook.com/docs/graph-api/guides/error-handling), POST /{audience_id}/users with payload {schema, data} of SHA-256 hex rows (at most
 * 10,000; row length must match the schema; entries that are not hashes count as invalid), unknown
 * audience 400 code 100 subcode 33, and throttling as Graph does it: 400 code 80003.
 */
import { randomBytes } from 'node:crypto';
import { FakeServer, numericId, type FakeAnswer, type FakeRequest, type RateRule } from './fake-server.js';

export const META_FAKE_VERSION = 'v25.0';
const SCHEMA_KEYS = new Set(['EMAIL_SHA256', 'PHONE_SHA256']);
const HASH = /^[0-9a-f]{64}$/;

const graphError = (message: string, code: number, subcode?: number, type = 'OAuthException'): FakeAnswer => ({
  status: 400,
  json: { error: { message, type, code, ...(subcode !== undefined && { error_subcode: subcode }), fbtrace_id: randomBytes(8).toString('base64url') } },
});

export interface MetaAudience {
  id: string;
  name: string;
  /** Hashes received, by schema key. */
  members: Map<string, Set<string>>;
}

export interface MetaUpload {
  audienceId: string;
  schema: string | string[];
  rows: number;
  invalid: number;
}

export interface MetaFakeOptions {
  accessToken?: string;
  /** Audience names to create, e.g. ['opted_in_leads']; each gets a numeric id. */
  audiences?: string[];
  rateLimit?: Pick<RateRule, 'limit' | 'windowMs'>;
}

export class MetaFake {
  accessToken: string;
  private readonly expired = new Set<string>();
  /** By id. */
  readonly audiences = new Map<string, MetaAudience>();
  readonly uploads: MetaUpload[] = [];
  /** Removal requests (DELETE /{audience}/users, the same payload as an addition). */
  readonly removals: MetaUpload[] = [];

  private constructor(readonly server: FakeServer, opts: MetaFakeOptions) {
    this.accessToken = opts.accessToken ?? `EAAfake${randomBytes(16).toString('hex')}`;
    for (const name of opts.audiences ?? ['opted_in_leads', 'assessment_completers', 'sales_page_visitors']) {
      const id = numericId();
      this.audiences.set(id, { id, name, members: new Map([...SCHEMA_KEYS].map((k) => [k, new Set<string>()])) });
    }
  }

  static async start(opts: MetaFakeOptions = {}): Promise<MetaFake> {
    let fake: MetaFake | undefined;
    const server = await FakeServer.start({
      name: 'Meta',
      handle: (req) => fake!.handle(req),
      rateLimit: opts.rateLimit ?? { limit: 5, windowMs: 1000 },
      rateLimited: () => graphError('(#80003) There have been too many calls to this ad-account. Wait a bit and try again.', 80003, 2446079),
      errorBody: () => ({ json: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2 } } }),
    });
    fake = new MetaFake(server, opts);
    return fake;
  }

  /** The Graph base including its version. */
  get url(): string {
    return `${this.server.origin}/${META_FAKE_VERSION}`;
  }

  /** Audience key -> id, as the client's settings take them. */
  get audienceIds(): Record<string, string> {
    return Object.fromEntries([...this.audiences.values()].map((a) => [a.name, a.id]));
  }

  audience(name: string): MetaAudience {
    const a = [...this.audiences.values()].find((x) => x.name === name);
    if (!a) throw new Error(`no audience ${name}`);
    return a;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The current token expires (as a token does after 60 days); the owner's new one is returned. */
  expireToken(): string {
    this.expired.add(this.accessToken);
    this.accessToken = `EAAfake${randomBytes(16).toString('hex')}`;
    return this.accessToken;
  }

  private token(req: FakeRequest): string | undefined {
    const auth = /^(?:Bearer|OAuth) (.+)$/.exec(req.headers.authorization ?? '');
    const fromBody = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>).access_token : undefined;
    return auth?.[1] ?? req.query.get('access_token') ?? (typeof fromBody === 'string' ? fromBody : undefined);
  }

  private handle(req: FakeRequest): FakeAnswer {
    const token = this.token(req);
    if (!token) return graphError('An access token is required to request this resource.', 104);
    if (this.expired.has(token)) {
      return graphError('Error validating access token: Session has expired on Monday, 02-Mar-26 01:00:00 PST.', 190, 463);
    }
    if (token !== this.accessToken) return graphError('Invalid OAuth access token - Cannot parse access token', 190);
    const m = new RegExp(`^/${META_FAKE_VERSION.replace('.', '\\.')}/(\\d+)(/users)?$`).exec(req.path);
    if (!m) return graphError(`Unknown path components: ${req.path}`, 2500);
    const audience = this.audiences.get(m[1]!);
    const kind = req.method === 'GET' ? 'get' : 'post';
    if (!audience || (m[2] ? req.method !== 'POST' && req.method !== 'DELETE' : req.method !== 'GET')) {
      return graphError(
        `Unsupported ${kind} request. Object with ID '${m[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        100,
        33,
        'GraphMethodException',
      );
    }
    if (!m[2]) {
      return { status: 200, json: { id: audience.id, name: audience.name, approximate_count_lower_bound: audience.members.get('EMAIL_SHA256')!.size } };
    }
    return this.users(audience, req, req.method === 'DELETE' ? 'remove' : 'add');
  }

  /**
   * Adds or (https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences#removing-users)
   * removes rows: the same payload and checks either way; removing someone absent changes nothing.
   */
  private users(audience: MetaAudience, req: FakeRequest, op: 'add' | 'remove'): FakeAnswer {
    if (req.invalidJson || typeof req.body !== 'object' || req.body === null) return graphError('(#100) Invalid parameter', 100);
    let payload = (req.body as Record<string, unknown>).payload;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        return graphError('(#100) param payload must be JSON', 100);
      }
    }
    if (typeof payload !== 'object' || payload === null) return graphError('(#100) The parameter payload is required', 100);
    const { schema, data } = payload as { schema?: unknown; data?: unknown };
    const keys = typeof schema === 'string' ? [schema] : Array.isArray(schema) ? schema : [];
    if (!keys.length || !keys.every((k) => typeof k === 'string' && SCHEMA_KEYS.has(k)) || new Set(keys).size !== keys.length) {
      return graphError(`(#100) Invalid schema: ${JSON.stringify(schema)}`, 100);
    }
    if (!Array.isArray(data) || data.length === 0) return graphError('(#100) Data is empty or not an array', 100);
    if (data.length > 10_000) return graphError('(#100) The number of users in the payload exceeds the maximum of 10000', 100);
    const multi = Array.isArray(schema);
    let invalid = 0;
    const accepted: string[][] = [];
    for (const row of data) {
      const cells = multi ? row : [row];
      if (!Array.isArray(cells) || cells.length !== keys.length) return graphError('(#100) Each row of data must have as many entries as the schema', 100);
      const ok = cells.every((c) => typeof c === 'string' && (HASH.test(c) || (multi && c === ''))) && cells.some((c) => c !== '');
      if (ok) accepted.push(cells as string[]);
      else invalid++;
    }
    for (const cells of accepted) {
      cells.forEach((c, i) => {
        const members = audience.members.get(keys[i] as string)!;
        if (c) op === 'add' ? members.add(c) : members.delete(c);
      });
    }
    (op === 'add' ? this.uploads : this.removals).push({ audienceId: audience.id, schema: schema as string | string[], rows: data.length, invalid });
    return {
      status: 200,
      json: { audience_id: audience.id, session_id: numericId(), num_received: data.length, num_invalid_entries: invalid, invalid_entry_samples: {} },
    };
  }
}
