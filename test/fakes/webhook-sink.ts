/**
 * The receiving end of Leadbell's outbound webhook: verifies the Standard Webhooks signature with
 * the spec's own library, as a real receiver would (401 with its message when it does not verify),
 * records deliveries by webhook-id so duplicates are visible, and answers a status the test chooses.
 */
import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { FakeServer, type FakeAnswer, type FakeRequest } from './fake-server.js';

export interface WebhookDelivery {
  id: string;
  timestamp: number;
  type: unknown;
  data: unknown;
  raw: string;
}

export class WebhookSink {
  readonly secret = `whsec_${randomBytes(24).toString('base64')}`;
  readonly deliveries: WebhookDelivery[] = [];
  /** Requests refused for their signature, with the reason. */
  readonly refused: string[] = [];
  private answerStatus = 200;

  private constructor(readonly server: FakeServer) {}

  static async start(): Promise<WebhookSink> {
    let sink: WebhookSink | undefined;
    const server = await FakeServer.start({ name: 'Webhook sink', handle: (req) => sink!.handle(req) });
    sink = new WebhookSink(server);
    return sink;
  }

  get url(): string {
    return `${this.server.origin}/hooks/leadbell`;
  }

  /** From now on, verified deliveries are answered with this status (e.g. 410 to say "gone"). */
  respondWith(status: number): void {
    this.answerStatus = status;
  }

  deliveriesById(): Map<string, number> {
    const out = new Map<string, number>();
    for (const d of this.deliveries) out.set(d.id, (out.get(d.id) ?? 0) + 1);
    return out;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(req: FakeRequest): FakeAnswer {
    if (req.method !== 'POST' || req.path !== '/hooks/leadbell') return { status: 404, json: { error: 'not found' } };
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    try {
      new Webhook(this.secret).verify(req.raw.toString('utf8'), headers, { jsonParse: false });
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      this.refused.push(err.message);
      return { status: 401, json: { error: err.message } };
    }
    if (req.invalidJson) return { status: 400, json: { error: 'body is not JSON' } };
    if (this.answerStatus < 200 || this.answerStatus >= 300) return { status: this.answerStatus, json: { error: `answering ${this.answerStatus}` } };
    const body = req.body as { type?: unknown; data?: unknown };
    this.deliveries.push({
      id: headers['webhook-id']!,
      timestamp: Number(req.headers['webhook-timestamp']),
      type: body.type,
      data: body.data,
      raw: req.raw.toString('utf8'),
    });
    return { status: 200, json: { received: true } };
  }
}
