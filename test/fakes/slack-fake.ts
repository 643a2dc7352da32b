/**
 * A Slack incoming webhook: the URL is the credential; 200 with the plain-text body `ok`; errors
 * in plain text (400 invalid_payload / no_text, 403 invalid_token, 404 no_service, 410
 * channel_is_archived); about one message a second -> 429 with Retry-After. Like Slack, text past
 * 40,000 characters is cut off, not refused: the message is kept as the channel would show it.
 */
import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeAnswer, type FakeRequest, type RateRule } from './fake-server.js';

/** Slack truncates message text beyond this many characters. */
export const SLACK_TEXT_CUTOFF = 40_000;

export interface SlackFakeOptions {
  rateLimit?: Pick<RateRule, 'limit' | 'windowMs'>;
}

export class SlackFake {
  readonly team = 'T0FAKE001';
  readonly bot = 'B0FAKE001';
  readonly secret = randomBytes(12).toString('hex');
  /** Every message posted, in order, as the channel shows it (one entry per message). */
  readonly messages: { text: string | undefined; blocks: unknown[] | undefined }[] = [];
  private archived = false;

  private constructor(readonly server: FakeServer) {}

  static async start(opts: SlackFakeOptions = {}): Promise<SlackFake> {
    let fake: SlackFake | undefined;
    const server = await FakeServer.start({
      name: 'Slack',
      handle: (req) => fake!.handle(req),
      rateLimit: { ...(opts.rateLimit ?? { limit: 1, windowMs: 1000 }), key: (req) => req.path },
      rateLimited: (ms) => ({ status: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) }, text: 'rate_limited' }),
      errorBody: (status) => ({ text: status >= 500 ? 'internal_error' : 'invalid_payload' }),
    });
    fake = new SlackFake(server);
    return fake;
  }

  get webhookUrl(): string {
    return `${this.server.origin}/services/${this.team}/${this.bot}/${this.secret}`;
  }

  /** The channel was archived: answers 410 channel_is_archived from now on. */
  archiveChannel(): void {
    this.archived = true;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(req: FakeRequest): FakeAnswer {
    const text = (status: number, body: string): FakeAnswer => ({ status, text: body, headers: { 'content-type': 'text/html' } });
    const m = /^\/services\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(req.path);
    if (!m || m[1] !== this.team || m[2] !== this.bot) return text(404, 'no_service');
    if (req.method !== 'POST') return text(405, 'invalid_method');
    if (m[3] !== this.secret) return text(403, 'invalid_token');
    if (this.archived) return text(410, 'channel_is_archived');
    const body = req.body;
    if (req.invalidJson || typeof body !== 'object' || body === null || Array.isArray(body)) return text(400, 'invalid_payload');
    const { text: message, blocks } = body as { text?: unknown; blocks?: unknown };
    if (message !== undefined && typeof message !== 'string') return text(400, 'invalid_payload');
    if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50)) return text(400, 'invalid_blocks');
    if (!(typeof message === 'string' && message.trim()) && !(Array.isArray(blocks) && blocks.length)) return text(400, 'no_text');
    const shown = typeof message === 'string' ? message.slice(0, SLACK_TEXT_CUTOFF) : undefined;
    this.messages.push({ text: shown, blocks: blocks as unknown[] | undefined });
    return text(200, 'ok');
  }
}
