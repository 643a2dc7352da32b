/**
 * A Discord incoming webhook: token in the URL (wrong token 401 code 50027, unknown or deleted
 * webhook 404 code 10015), message limits (400 code 50035 "Invalid Form Body" with errors, empty
 * message 50006), 204 without ?wait=true, and 5 messages per 2 s per webhook -> 429 with a
 * Retry-After header and {message, retry_after, global}.
 */
import { randomBytes } from 'node:crypto';
import { FakeServer, numericId, type FakeAnswer, type FakeRequest, type RateRule } from './fake-server.js';

const TOTAL_EMBED_CHARS = 6000;

type Errors = Record<string, unknown>;

/** Discord nests form errors by path: {embeds: {0: {title: {_errors: [...]}}}}. */
function addError(errors: Errors, path: (string | number)[], code: string, message: string): void {
  let node = errors;
  for (const p of path) node = (node[String(p)] ??= {}) as Errors;
  ((node._errors ??= []) as unknown[]).push({ code, message });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkString(errors: Errors, path: (string | number)[], v: unknown, max: number, required = false): number {
  if (v === undefined || v === null) {
    if (required) addError(errors, path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (typeof v !== 'string') {
    addError(errors, path, 'BASE_TYPE_STRING', 'Must be a string.');
    return 0;
  }
  if (v.length > max) addError(errors, path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  if (required && v.length === 0) addError(errors, path, 'BASE_TYPE_REQUIRED', 'This field is required');
  return v.length;
}

/** Validates a webhook message the way Discord does; returns the form errors (empty when valid). */
function validate(body: Record<string, unknown>): Errors {
  const errors: Errors = {};
  checkString(errors, ['content'], body.content, 2000);
  if (body.embeds !== undefined) {
    if (!Array.isArray(body.embeds)) addError(errors, ['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    else if (body.embeds.length > 10) addError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    else {
      let total = 0;
      body.embeds.forEach((e, i) => {
        if (!isObject(e)) return addError(errors, ['embeds', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        total += checkString(errors, ['embeds', i, 'title'], e.title, 256);
        total += checkString(errors, ['embeds', i, 'description'], e.description, 4096);
        if (e.color !== undefined && !(Number.isInteger(e.color) && (e.color as number) >= 0 && (e.color as number) <= 0xffffff)) {
          addError(errors, ['embeds', i, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
        }
        if (e.timestamp !== undefined && (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp)))) {
          addError(errors, ['embeds', i, 'timestamp'], 'DATE_TIME_TYPE_PARSE', 'Could not parse timestamp.');
        }
        if (isObject(e.footer)) total += checkString(errors, ['embeds', i, 'footer', 'text'], e.footer.text, 2048, true);
        if (isObject(e.author)) total += checkString(errors, ['embeds', i, 'author', 'name'], e.author.name, 256, true);
        if (e.fields !== undefined) {
          if (!Array.isArray(e.fields)) return addError(errors, ['embeds', i, 'fields'], 'BASE_TYPE_ARRAY', 'Must be an array.');
          if (e.fields.length > 25) addError(errors, ['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          e.fields.forEach((f, j) => {
            const field = isObject(f) ? f : {};
            total += checkString(errors, ['embeds', i, 'fields', j, 'name'], field.name, 256, true);
            total += checkString(errors, ['embeds', i, 'fields', j, 'value'], field.value, 1024, true);
          });
        }
      });
      if (total > TOTAL_EMBED_CHARS) addError(errors, ['embeds'], 'MESSAGE_EMBEDS_TOO_LARGE', `Embed size exceeds maximum size of ${TOTAL_EMBED_CHARS}`);
    }
  }
  return errors;
}

export interface DiscordMessageRecord {
  id: string;
  content: string | undefined;
  embeds: Record<string, unknown>[];
  allowed_mentions: unknown;
}

export interface DiscordFakeOptions {
  rateLimit?: Pick<RateRule, 'limit' | 'windowMs'>;
}

export class DiscordFake {
  readonly webhookId = numericId();
  readonly token = randomBytes(30).toString('base64url');
  readonly messages: DiscordMessageRecord[] = [];
  private deleted = false;

  private constructor(readonly server: FakeServer) {}

  static async start(opts: DiscordFakeOptions = {}): Promise<DiscordFake> {
    let fake: DiscordFake | undefined;
    const server = await FakeServer.start({
      name: 'Discord',
      handle: (req) => fake!.handle(req),
      rateLimit: { ...(opts.rateLimit ?? { limit: 5, windowMs: 2000 }), key: (req) => req.path.split('/').at(-2) ?? '' },
      rateLimited: (ms) => ({
        status: 429,
        headers: { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': (ms / 1000).toFixed(3) },
        json: { message: 'You are being rate limited.', retry_after: Number((ms / 1000).toFixed(3)), global: false },
      }),
      errorBody: (status) => ({ json: { message: status >= 500 ? '500: Internal Server Error' : `${status}`, code: 0 } }),
    });
    fake = new DiscordFake(server);
    return fake;
  }

  get webhookUrl(): string {
    return `${this.server.origin}/api/webhooks/${this.webhookId}/${this.token}`;
  }

  /** The owner deleted the webhook in Discord: from now on it answers 404 code 10015. */
  deleteWebhook(): void {
    this.deleted = true;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(req: FakeRequest): FakeAnswer {
    const m = /^\/api(?:\/v\d+)?\/webhooks\/([^/]+)\/([^/]+)$/.exec(req.path);
    if (!m) return { status: 404, json: { message: '404: Not Found', code: 0 } };
    if (req.method !== 'POST') return { status: 405, json: { message: '405: Method Not Allowed', code: 0 } };
    if (m[1] !== this.webhookId || this.deleted) return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
    if (m[2] !== this.token) return { status: 401, json: { message: 'Invalid Webhook Token', code: 50027 } };
    if (req.invalidJson || !isObject(req.body)) return { status: 400, json: { message: 'The request body contains invalid JSON.', code: 50109 } };
    const body = req.body;
    const errors = validate(body);
    if (Object.keys(errors).length) return { status: 400, json: { message: 'Invalid Form Body', code: 50035, errors } };
    const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
    if (!hasContent && !(Array.isArray(body.embeds) && body.embeds.length)) return { status: 400, json: { message: 'Cannot send an empty message', code: 50006 } };
    const message: DiscordMessageRecord = {
      id: numericId(),
      content: hasContent ? (body.content as string) : undefined,
      embeds: (body.embeds as Record<string, unknown>[] | undefined) ?? [],
      allowed_mentions: body.allowed_mentions,
    };
    this.messages.push(message);
    return req.query.get('wait') === 'true'
      ? { status: 200, json: { ...message, type: 0, webhook_id: this.webhookId, channel_id: '1' } }
      : { status: 204 };
  }
}
