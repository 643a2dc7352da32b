/**
 * Prefect 3's events API, as a self-hosted server or Prefect Cloud exposes it:
 * `POST {api}/events` with a JSON array of events -> 204 (no body).
 * - Auth: with an auth string ("user:pass", PREFECT_SERVER_API_AUTH_STRING) every route needs
 *   HTTP Basic with exactly that -> else 401 {"exception_message": "Unauthorized"}; with an API
 *   key (Cloud) a Bearer token -> else 401.
 * - Schema, as the server's Event model: a UUID `id`, an ISO `occurred`, `event` of 1-1,024
 *   characters, a `resource` of string labels with a non-empty `prefect.resource.id` and at most
 *   500 labels, at most 100 `related` each with `prefect.resource.id` and `prefect.resource.role`,
 *   an object `payload`. Anything else -> 422 in FastAPI's shape
 *   {"exception_message": "Invalid request received.", "exception_detail": [{loc, msg, type}]}.
 * - Size: over 1,500,000 bytes as the server stores it (the event plus `follows` and the time
 *   received) -> 422 here. A real server accepts the request and then
 *   drops such an event without a word, which is why the sender must never send one.
 * - An event id already stored is accepted again and kept once (Prefect stores events by id).
 * - Outages (503) and slow answers can be switched on; the base FakeServer adds failNext/hang.
 * - `refuse(predicate, reason)` makes the server refuse matching events with a 422 naming their
 *   index (as a server with a stricter schema, or a validating proxy, would): the whole batch is
 *   refused and nothing of it stored.
 */
import { z } from 'zod';
import { FakeServer, type FakeAnswer, type FakeRequest } from './fake-server.js';

export interface PrefectFakeOptions {
  /** "user:pass": require HTTP Basic, as PREFECT_SERVER_API_AUTH_STRING does. */
  authString?: string;
  /** Require `Authorization: Bearer <key>`, as Prefect Cloud does. */
  apiKey?: string;
  /** The API's path, e.g. "/api" (self-hosted) or "/api/accounts/<a>/workspaces/<w>" (Cloud). */
  basePath?: string;
}

const MAX_BYTES = 1_500_000;
const label = z.string();
const labels = z
  .record(z.string(), label)
  .refine((r) => Object.keys(r).length <= 500, 'The maximum number of labels per resource is 500')
  .refine((r) => Boolean(r['prefect.resource.id']), 'Resources must include a non-empty prefect.resource.id label');
const relatedLabels = labels.refine((r) => Boolean(r['prefect.resource.role']), 'Related Resources must include the prefect.resource.role label');

const event = z.object({
  id: z.uuid(),
  occurred: z.iso.datetime({ offset: true }),
  event: z.string().min(1).max(1024, 'Event name must be at most 1024 characters'),
  resource: labels,
  related: z.array(relatedLabels).max(100, 'The maximum number of related resources is 100').default([]),
  payload: z.record(z.string(), z.unknown()).default({}),
  follows: z.uuid().nullable().optional(),
});
export type ReceivedPrefectEvent = z.infer<typeof event>;

export class PrefectFake {
  /** Stored events by id (each kept once). */
  readonly events = new Map<string, ReceivedPrefectEvent>();
  /** Accepted POSTs, each with how many events it carried. */
  readonly batches: number[] = [];
  private outage: number | null = null;
  private refusal: { when: (e: ReceivedPrefectEvent) => boolean; reason: string } | null = null;
  private delayMs = 0;
  private answerDelayMs = 0;
  /** Requests whose events are stored but whose answer has not gone out yet. */
  unanswered = 0;

  private constructor(
    readonly server: FakeServer,
    private readonly opts: PrefectFakeOptions,
  ) {}

  static async start(opts: PrefectFakeOptions = {}): Promise<PrefectFake> {
    let fake: PrefectFake | undefined;
    const server = await FakeServer.start({
      name: 'Prefect',
      handle: (req) => fake!.handle(req),
      errorBody: (status) => ({ json: { exception_message: status >= 500 ? 'Internal Server Error' : status === 429 ? 'Too Many Requests' : 'Invalid request received.' } }),
    });
    fake = new PrefectFake(server, opts);
    return fake;
  }

  /** PREFECT_API_URL for a client. */
  get apiUrl(): string {
    return `${this.server.origin}${this.opts.basePath ?? '/api'}`;
  }

  /** While set, every request is answered with this status (an outage, a proxy in front failing). */
  setOutage(status: number | null = 503): void {
    this.outage = status;
  }

  /** Events matching `when` are refused (422) with `reason`; null stops refusing. */
  refuse(when: ((e: ReceivedPrefectEvent) => boolean) | null, reason = 'Value error, refused by this server'): void {
    this.refusal = when ? { when, reason } : null;
  }

  /** Accepted events are stored at once, and the 204 goes out this much later (a slow answer). */
  setAnswerDelay(ms: number): void {
    this.answerDelayMs = ms;
  }

  /** Every answer waits this long first. */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private authorized(req: FakeRequest): boolean {
    const header = req.headers.authorization ?? '';
    if (this.opts.authString !== undefined) {
      const m = /^Basic (.+)$/.exec(header);
      return m !== null && Buffer.from(m[1]!, 'base64').toString('utf8') === this.opts.authString;
    }
    if (this.opts.apiKey !== undefined) return header === `Bearer ${this.opts.apiKey}`;
    return true;
  }

  private async handle(req: FakeRequest): Promise<FakeAnswer> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.outage !== null) return { status: this.outage, json: { exception_message: 'Service Unavailable' } };
    if (!this.authorized(req)) return { status: 401, json: { exception_message: 'Unauthorized' } };
    if (req.path !== `${this.opts.basePath ?? '/api'}/events`) return { status: 404, json: { detail: 'Not Found' } };
    if (req.method !== 'POST') return { status: 405, json: { detail: 'Method Not Allowed' } };
    const invalid = (detail: { loc: (string | number)[]; msg: string; type: string }[]): FakeAnswer => ({
      status: 422,
      json: { exception_message: 'Invalid request received.', exception_detail: detail, request_body: req.invalidJson ? req.raw.toString('utf8') : req.body },
    });
    if (req.invalidJson) return invalid([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
    if (!Array.isArray(req.body)) return invalid([{ loc: ['body'], msg: 'Input should be a valid list', type: 'list_type' }]);
    const parsed: ReceivedPrefectEvent[] = [];
    const problems: { loc: (string | number)[]; msg: string; type: string }[] = [];
    req.body.forEach((item: unknown, i) => {
      const r = event.safeParse(item);
      if (!r.success) {
        for (const issue of r.error.issues) problems.push({ loc: ['body', i, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))], msg: issue.message, type: 'value_error' });
      } else if (Buffer.byteLength(JSON.stringify({ ...r.data, follows: r.data.follows ?? null, received: new Date().toISOString().replace('Z', '000Z') })) > MAX_BYTES) {
        problems.push({ loc: ['body', i], msg: `Event is larger than ${MAX_BYTES} bytes`, type: 'value_error' });
      } else if (this.refusal?.when(r.data)) {
        problems.push({ loc: ['body', i, 'payload'], msg: this.refusal.reason, type: 'value_error' });
      } else parsed.push(r.data);
    });
    if (problems.length) return invalid(problems);
    for (const e of parsed) if (!this.events.has(e.id)) this.events.set(e.id, e);
    this.batches.push(parsed.length);
    if (this.answerDelayMs) {
      this.unanswered++;
      await new Promise((r) => setTimeout(r, this.answerDelayMs));
      this.unanswered--;
    }
    return { status: 204 };
  }
}
