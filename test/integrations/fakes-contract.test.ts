/**
 * The fakes must refuse what the real services refuse, or the client tests prove nothing. These
 * talk to the fakes with plain fetch, as a careless client would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordFake } from '../fakes/discord-fake.js';
import { LoopsFake } from '../fakes/loops-fake.js';
import { NotionFake } from '../fakes/notion-fake.js';
import { SLACK_TEXT_CUTOFF, SlackFake } from '../fakes/slack-fake.js';
import { startFakes, type Fakes } from '../fakes/vendors.js';

// Generous limits for the contract checks; each rate-limit check starts a fake with the vendor's own.
const LOOSE = { limit: 1000, windowMs: 1000 };
let f: Fakes;
beforeAll(async () => {
  f = await startFakes({ loops: LOOSE, discord: LOOSE, slack: LOOSE, notion: LOOSE, meta: LOOSE });
});

/** A fake with the vendor's documented rate limit, for one test. */
async function withFake<T extends { stop(): Promise<void> }>(start: () => Promise<T>, fn: (fake: T) => Promise<void>) {
  const fake = await start();
  try {
    await fn(fake);
  } finally {
    await fake.stop();
  }
}
afterAll(async () => f.stop());

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as any };
}

describe('Loops fake', () => {
  const auth = () => ({ authorization: `Bearer ${f.loops.apiKey}` });
  const tx = { transactionalId: 'email-1-immediate-cta', email: 'a@x.example' };

  it('401 without the key, 400 for a bad body or key length, 404 for an unknown template', async () => {
    expect(await call(`${f.loops.url}/transactional`, { body: tx })).toMatchObject({ status: 401, json: { success: false, message: 'Invalid API key' } });
    expect((await call(`${f.loops.url}/transactional`, { headers: auth(), body: { email: 'a@x.example' } })).status).toBe(400);
    expect((await call(`${f.loops.url}/transactional`, { headers: auth(), body: { ...tx, dataVariables: { nested: { no: 1 } } } })).status).toBe(400);
    expect((await call(`${f.loops.url}/transactional`, { headers: { ...auth(), 'idempotency-key': 'k'.repeat(101) }, body: tx })).status).toBe(400);
    expect((await call(`${f.loops.url}/transactional`, { headers: auth(), body: { ...tx, transactionalId: 'nope' } })).status).toBe(404);
    expect((await call(`${f.loops.url}/events/send`, { headers: auth(), body: { eventName: 'e' } })).json.message).toMatch(/email or userId/);
  });

  it('409 for an idempotency key used within 24 h', async () => {
    const h = { ...auth(), 'idempotency-key': 'contract-key-1' };
    expect((await call(`${f.loops.url}/transactional`, { headers: h, body: tx })).status).toBe(200);
    expect(await call(`${f.loops.url}/events/send`, { headers: h, body: { eventName: 'e', email: 'a@x.example' } })).toMatchObject({ status: 409, json: { success: false } });
  });

  it('429 with x-ratelimit headers past 10 requests a second', () =>
    withFake(LoopsFake.start, async (loops) => {
      const answers = await Promise.all(Array.from({ length: 13 }, () => call(`${loops.url}/api-key`, { method: 'GET', headers: { authorization: `Bearer ${loops.apiKey}` } })));
      const limited = answers.filter((a) => a.status === 429);
      expect(limited).toHaveLength(3);
      expect(limited[0]!.headers.get('x-ratelimit-limit')).toBe('10');
      expect(limited[0]!.json).toEqual({ success: false, message: 'Rate limit exceeded' });
    }));
});

describe('Discord fake', () => {
  it('204 without ?wait=true, 200 with the message object with it', async () => {
    const plain = await call(f.discord.webhookUrl, { body: { content: 'hi' } });
    expect([plain.status, plain.text]).toEqual([204, '']);
    const waited = await call(`${f.discord.webhookUrl}?wait=true`, { body: { content: 'hi' } });
    expect(waited.status).toBe(200);
    expect(waited.json).toMatchObject({ content: 'hi', webhook_id: f.discord.webhookId });
  });

  it('400 Invalid Form Body with nested errors; 50006 for an empty message; 401/404 for bad URLs', async () => {
    const long = await call(f.discord.webhookUrl, { body: { content: 'x'.repeat(2001) } });
    expect(long).toMatchObject({ status: 400, json: { code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
    const fields = await call(f.discord.webhookUrl, { body: { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'a', value: 'b' })) }] } });
    expect(fields.json.errors.embeds['0'].fields._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    expect((await call(f.discord.webhookUrl, { body: {} })).json).toEqual({ message: 'Cannot send an empty message', code: 50006 });
    expect((await call(f.discord.webhookUrl.replace(f.discord.token, 'nope'), { body: { content: 'a' } })).json.code).toBe(50027);
    expect((await call(f.discord.webhookUrl.replace(f.discord.webhookId, '1'), { body: { content: 'a' } })).json.code).toBe(10015);
  });

  it('at most 10 embeds a message, and at most 6000 characters across them all', async () => {
    const embed = (chars: number) => ({ title: 't', description: 'd'.repeat(chars - 1) });
    const eleven = await call(f.discord.webhookUrl, { body: { embeds: Array.from({ length: 11 }, () => embed(10)) } });
    expect(eleven.json.errors.embeds._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    const heavy = await call(f.discord.webhookUrl, { body: { embeds: [embed(3000), embed(3001)] } });
    expect(heavy).toMatchObject({ status: 400, json: { code: 50035 } });
    expect(heavy.json.errors.embeds._errors[0].code).toBe('MESSAGE_EMBEDS_TOO_LARGE');
    // Content does not count towards the embeds' total.
    const full = await call(f.discord.webhookUrl, { body: { content: 'c'.repeat(2000), embeds: [embed(3000), embed(3000)] } });
    expect(full.status).toBe(204);
  });

  it('429 with Retry-After and retry_after past 5 messages per 2 s', () =>
    withFake(DiscordFake.start, async (discord) => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(discord.webhookUrl, { body: { content: 'x' } })));
      expect(answers.map((a) => a.status).sort()).toEqual([204, 204, 204, 204, 204, 429]);
      const limited = answers.find((a) => a.status === 429)!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.json).toMatchObject({ message: 'You are being rate limited.', global: false });
      expect(limited.json.retry_after).toBeGreaterThan(0);
    }));
});

describe('Slack fake', () => {
  it('plain text: ok, invalid_payload, no_text', async () => {
    const ok = await call(f.slack.webhookUrl, { body: { text: 'hi' } });
    expect([ok.status, ok.text, ok.headers.get('content-type')]).toEqual([200, 'ok', 'text/html']);
    expect(await call(f.slack.webhookUrl, { body: 'not json' })).toMatchObject({ status: 400, text: 'invalid_payload' });
    expect(await call(f.slack.webhookUrl, { body: { text: ' ' } })).toMatchObject({ status: 400, text: 'no_text' });
    expect(await call(f.slack.webhookUrl.replace(f.slack.secret, 'x'), { body: { text: 'a' } })).toMatchObject({ status: 403, text: 'invalid_token' });
    expect(await call(f.slack.webhookUrl, { body: { blocks: [] } })).toMatchObject({ status: 400, text: 'no_text' });
  });

  it('text past 40,000 characters is cut off, not refused; each message counted once', async () => {
    const before = f.slack.messages.length;
    expect((await call(f.slack.webhookUrl, { body: { text: 'x'.repeat(SLACK_TEXT_CUTOFF + 5) } })).status).toBe(200);
    expect(f.slack.messages.length).toBe(before + 1);
    expect(f.slack.messages.at(-1)!.text).toHaveLength(SLACK_TEXT_CUTOFF);
  });

  it('429 with Retry-After past one message a second', () =>
    withFake(SlackFake.start, async (slack) => {
      expect((await call(slack.webhookUrl, { body: { text: 'hi' } })).status).toBe(200);
      const rushed = await call(slack.webhookUrl, { body: { text: 'again' } });
      expect([rushed.status, rushed.headers.get('retry-after'), rushed.text]).toEqual([429, '1', 'rate_limited']);
    }));
});

describe('Notion fake', () => {
  const h = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${f.notion.token}`, 'notion-version': '2025-09-03', ...extra });

  it('401 unauthorized, 400 missing_version, 400 validation_error, 404 object_not_found, in Notion error bodies', async () => {
    const q = `${f.notion.url}/data_sources/${f.notion.dataSourceId}/query`;
    expect((await call(q, { headers: { 'notion-version': '2025-09-03' }, body: {} })).json).toMatchObject({ object: 'error', status: 401, code: 'unauthorized' });
    expect((await call(q, { headers: { authorization: `Bearer ${f.notion.token}` }, body: {} })).json).toMatchObject({ status: 400, code: 'missing_version' });
    const wrongProp = await call(`${f.notion.url}/pages`, { headers: h(), body: { parent: { type: 'data_source_id', data_source_id: f.notion.dataSourceId }, properties: { Nme: { title: [] } } } });
    expect(wrongProp.json).toMatchObject({ status: 400, code: 'validation_error', message: 'Nme is not a property that exists.' });
    const wrongType = await call(`${f.notion.url}/pages`, { headers: h(), body: { parent: { data_source_id: f.notion.dataSourceId }, properties: { Score: { number: 'high' } } } });
    expect(wrongType.json.code).toBe('validation_error');
    expect((await call(`${f.notion.url}/pages/${f.notion.dataSourceId}`, { method: 'PATCH', headers: h(), body: { properties: {} } })).json.code).toBe('object_not_found');
  });

  it('queries with an `or` of Email conditions, at most 100 of them, compound filters two levels deep at most', async () => {
    const q = `${f.notion.url}/data_sources/${f.notion.dataSourceId}/query`;
    const page = (email: string) =>
      call(`${f.notion.url}/pages`, { headers: h(), body: { parent: { data_source_id: f.notion.dataSourceId }, properties: { Email: { email } } } });
    await page('or-a@x.example');
    await page('or-b@x.example');
    const cond = (email: string) => ({ property: 'Email', email: { equals: email } });
    const both = await call(q, { headers: h(), body: { filter: { or: [cond('or-a@x.example'), cond('or-b@x.example'), cond('none@x.example')] } } });
    expect(both.json.results.map((r: any) => r.properties.Email.email).sort()).toEqual(['or-a@x.example', 'or-b@x.example']);
    expect(both.json).toMatchObject({ object: 'list', has_more: false, next_cursor: null });

    const many = Array.from({ length: 101 }, (_, i) => cond(`m${i}@x.example`));
    const tooMany = await call(q, { headers: h(), body: { filter: { or: many } } });
    expect([tooMany.status, tooMany.json.code, tooMany.json.message]).toEqual([400, 'validation_error', 'body failed validation: body.filter.or.length should be ≤ `100`, instead was `101`.']);
    expect((await call(q, { headers: h(), body: { filter: { or: many.slice(0, 100) } } })).status).toBe(200);
    const deep = await call(q, { headers: h(), body: { filter: { or: [{ and: [{ or: [cond('or-a@x.example')] }] }] } } });
    expect([deep.status, deep.json.code]).toEqual([400, 'validation_error']);
    expect((await call(q, { headers: h(), body: { filter: { or: [{ and: [cond('or-a@x.example')] }] } } })).json.results).toHaveLength(1);
    expect((await call(q, { headers: h(), body: { filter: { or: [] } } })).status).toBe(400);
    expect((await call(q, { headers: h(), body: { filter: { or: [cond('x@x.example')], and: [] } } })).status).toBe(400);
    expect((await call(q, { headers: h(), body: { page_size: 101 } })).json).toMatchObject({ status: 400, code: 'validation_error' });
  });

  it('pages results with has_more and next_cursor, passed back as start_cursor', () =>
    withFake(
      () => NotionFake.start({ rateLimit: LOOSE }),
      async (notion) => {
        const headers = { authorization: `Bearer ${notion.token}`, 'notion-version': '2025-09-03' };
        for (const email of ['p1@x.example', 'p2@x.example', 'p3@x.example']) {
          await call(`${notion.url}/pages`, { headers, body: { parent: { data_source_id: notion.dataSourceId }, properties: { Email: { email } } } });
        }
        const q = `${notion.url}/data_sources/${notion.dataSourceId}/query`;
        const first = await call(q, { headers, body: { page_size: 2 } });
        expect(first.json.results).toHaveLength(2);
        expect(first.json.has_more).toBe(true);
        expect(first.json.next_cursor).toEqual(expect.any(String));
        const rest = await call(q, { headers, body: { page_size: 2, start_cursor: first.json.next_cursor } });
        expect(rest.json.results.map((r: any) => r.properties.Email.email)).toEqual(['p3@x.example']);
        expect(rest.json).toMatchObject({ has_more: false, next_cursor: null });
        expect((await call(q, { headers, body: { start_cursor: 'not-a-cursor' } })).json).toMatchObject({ status: 400, code: 'validation_error' });
      },
    ));

  it('429 rate_limited with Retry-After in whole seconds past 3 requests a second', () =>
    withFake(NotionFake.start, async (notion) => {
      const q = `${notion.url}/data_sources/${notion.dataSourceId}/query`;
      const headers = { authorization: `Bearer ${notion.token}`, 'notion-version': '2025-09-03' };
      const answers = await Promise.all(Array.from({ length: 5 }, () => call(q, { headers, body: { page_size: 1 } })));
      const limited = answers.filter((a) => a.status === 429);
      expect(limited).toHaveLength(2);
      expect(limited[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited[0]!.json).toMatchObject({ object: 'error', status: 429, code: 'rate_limited' });
    }));
});

describe('Meta fake', () => {
  const users = () => `${f.meta.url}/${f.meta.audienceIds.opted_in_leads}/users`;
  const auth = () => ({ authorization: `Bearer ${f.meta.accessToken}` });
  const hash = 'a'.repeat(64);

  it('OAuthException 190 for a bad token; code 100 for bad payloads; counts entries that are not hashes', async () => {
    expect((await call(users(), { headers: { authorization: 'Bearer nope' }, body: { payload: { schema: 'EMAIL_SHA256', data: [hash] } } })).json.error).toMatchObject({ type: 'OAuthException', code: 190 });
    const mismatch = await call(users(), { headers: auth(), body: { payload: { schema: ['EMAIL_SHA256', 'PHONE_SHA256'], data: [[hash]] } } });
    expect([mismatch.status, mismatch.json.error.code]).toEqual([400, 100]);
    const tooMany = await call(users(), { headers: auth(), body: { payload: { schema: 'EMAIL_SHA256', data: Array.from({ length: 10_001 }, () => hash) } } });
    expect(tooMany.json.error.message).toMatch(/maximum of 10000/);
    const clear = await call(users(), { headers: auth(), body: { payload: JSON.stringify({ schema: 'EMAIL_SHA256', data: ['ana@salon.example', hash] }) } });
    expect(clear.json).toMatchObject({ num_received: 2, num_invalid_entries: 1 });
  });
});

describe('webhook sink and failure injection', () => {
  it('refuses an unsigned delivery', async () => {
    const r = await call(f.webhook.url, { body: { type: 'x' } });
    expect(r.status).toBe(401);
    expect(f.webhook.refused.at(-1)).toBe('Missing required headers');
  });

  it('a seeded random failure pattern repeats exactly', async () => {
    const pattern = async () => {
      f.webhook.server.reset();
      f.webhook.server.failRandomly(0.5, 42, [{ status: 500 }, { status: 503 }]);
      for (let i = 0; i < 12; i++) await call(f.webhook.url, { body: {} });
      return f.webhook.server.requests.map((r) => r.status);
    };
    const first = await pattern();
    expect(first).toEqual(await pattern());
    expect(first.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 500 || s === 503).length).toBeGreaterThan(0);
    f.webhook.server.reset();
  });
});
