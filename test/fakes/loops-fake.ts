/**
 * Loops, as its contract describes it: Bearer API key (401 {success:false, message}), JSON bodies
 * validated (400), unknown transactional ids (404), Idempotency-Key (<=100 chars) reused within
 * 24 h -> 409, and 10 requests/s per team -> 429 with x-ratelimit headers (no Retry-After: the
 * contract leaves it unverified, so the client must back off on its own).
 */
import { z } from 'zod';
import { FakeServer, issueText, type FakeAnswer, type FakeRequest, type RateRule } from './fake-server.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const transactional = z.object({
  transactionalId: z.string().min(1),
  email: z.email(),
  dataVariables: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  addToAudience: z.boolean().optional(),
});

const event = z
  .object({
    eventName: z.string().min(1),
    email: z.email().optional(),
    userId: z.string().min(1).optional(),
    eventProperties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    mailingLists: z.record(z.string(), z.boolean()).optional(),
  })
  // Contact properties sit beside the event fields.
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .refine((e) => e.email || e.userId, 'email or userId is required');

export interface LoopsSend {
  kind: 'transactional' | 'event';
  idempotencyKey: string | null;
  email: string | undefined;
  /** transactionalId or eventName */
  name: string;
  body: Record<string, unknown>;
}

export interface LoopsFakeOptions {
  apiKey?: string;
  transactionalIds?: string[];
  rateLimit?: Pick<RateRule, 'limit' | 'windowMs'>;
}

export class LoopsFake {
  readonly apiKey: string;
  readonly sends: LoopsSend[] = [];
  /** Contacts in the audience (events create them; so does a transactional email with addToAudience). */
  readonly contacts = new Set<string>();
  /** Every delete request (https://loops.so/docs/api-reference/delete-contact) and whether it found the contact. */
  readonly deletes: { email: string; found: boolean }[] = [];
  private readonly keys = new Map<string, number>();
  private readonly templates: Set<string>;
  private constructor(readonly server: FakeServer, opts: LoopsFakeOptions) {
    this.apiKey = opts.apiKey ?? 'loops_test_key_5f1c2e9a7b';
    this.templates = new Set(opts.transactionalIds ?? ['email-1-immediate-cta', 'email-sales-page-follow-up']);
  }

  static async start(opts: LoopsFakeOptions = {}): Promise<LoopsFake> {
    let fake: LoopsFake | undefined;
    const limit = opts.rateLimit ?? { limit: 10, windowMs: 1000 };
    const server = await FakeServer.start({
      name: 'Loops',
      handle: (req) => fake!.handle(req),
      rateLimit: limit,
      rateLimited: () => ({
        status: 429,
        headers: { 'x-ratelimit-limit': String(limit.limit), 'x-ratelimit-remaining': '0' },
        json: { success: false, message: 'Rate limit exceeded' },
      }),
      errorBody: (status) => ({ json: { success: false, message: status >= 500 ? 'Internal server error' : `Error ${status}` } }),
    });
    fake = new LoopsFake(server, opts);
    return fake;
  }

  /** Base URL including /api/v1, as the client's base_url. */
  get url(): string {
    return `${this.server.origin}/api/v1`;
  }

  /** Accepted sends per idempotency key: a duplicate email shows up as a count above 1. */
  sendsByKey(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.sends) if (s.idempotencyKey) out.set(s.idempotencyKey, (out.get(s.idempotencyKey) ?? 0) + 1);
    return out;
  }

  sendsTo(email: string, name?: string): LoopsSend[] {
    return this.sends.filter((s) => s.email === email && (name === undefined || s.name === name));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** By email or userId, not both; 404 when no contact matches, as Loops answers. */
  private deleteContact(body: unknown): FakeAnswer {
    const parsed = z.object({ email: z.email().optional(), userId: z.string().min(1).optional() }).strict().safeParse(body);
    if (!parsed.success) return { status: 400, json: { success: false, message: issueText(parsed.error.issues) } };
    const { email, userId } = parsed.data;
    if ((email === undefined) === (userId === undefined)) return { status: 400, json: { success: false, message: 'Provide either an email or a userId.' } };
    const key = (email ?? userId!).toLowerCase();
    const found = this.contacts.delete(key);
    this.deletes.push({ email: key, found });
    return found ? { status: 200, json: { success: true, message: 'Contact deleted.' } } : { status: 404, json: { success: false, message: 'Contact not found.' } };
  }

  private handle(req: FakeRequest): FakeAnswer {
    const fail = (status: number, message: string): FakeAnswer => ({ status, json: { success: false, message } });
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return fail(401, 'Invalid API key');
    const route = `${req.method} ${req.path}`;
    if (route === 'GET /api/v1/api-key') return { status: 200, json: { success: true, teamName: 'Fake Team' } };
    if (route !== 'POST /api/v1/transactional' && route !== 'POST /api/v1/events/send' && route !== 'POST /api/v1/contacts/delete') return fail(404, `No route ${route}`);
    if (!String(req.headers['content-type']).startsWith('application/json') || req.invalidJson) return fail(400, 'Invalid JSON body');
    if (route === 'POST /api/v1/contacts/delete') return this.deleteContact(req.body);

    const key = req.headers['idempotency-key'];
    if (Array.isArray(key)) return fail(400, 'Send one Idempotency-Key header');
    if (key !== undefined) {
      if (key.length === 0 || key.length > 100) return fail(400, 'Idempotency-Key must be 1 to 100 characters');
      const used = this.keys.get(key);
      if (used !== undefined && Date.now() - used < DAY_MS) return fail(409, 'Idempotency key has already been used');
    }

    let send: LoopsSend;
    if (req.path.endsWith('/transactional')) {
      const parsed = transactional.safeParse(req.body);
      if (!parsed.success) return fail(400, issueText(parsed.error.issues));
      if (!this.templates.has(parsed.data.transactionalId)) return fail(404, 'Transactional email not found');
      send = { kind: 'transactional', idempotencyKey: key ?? null, email: parsed.data.email, name: parsed.data.transactionalId, body: parsed.data };
    } else {
      const parsed = event.safeParse(req.body);
      if (!parsed.success) return fail(400, issueText(parsed.error.issues));
      send = { kind: 'event', idempotencyKey: key ?? null, email: parsed.data.email, name: parsed.data.eventName, body: parsed.data };
    }
    if (key !== undefined) this.keys.set(key, Date.now());
    this.sends.push(send);
    if (send.email && (send.kind === 'event' || (send.body as { addToAudience?: boolean }).addToAudience)) this.contacts.add(send.email.toLowerCase());
    return { status: 200, json: { success: true } };
  }
}
