import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotConfiguredError } from '../../electron/core/integrations/types.js';
import { DiscordFake } from '../fakes/discord-fake.js';
import { closedPortUrl, ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

// Discord's 5 per 2 s, scaled to 5 per 200 ms on both sides so the suite stays quick.
const RATE = { limit: 5, windowMs: 200 };
let discord: DiscordFake;
let h: Harness;

beforeAll(async () => {
  discord = await DiscordFake.start({ rateLimit: RATE });
  h = startHarness({ rateLimits: { discord: RATE } });
  h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
});
afterAll(async () => {
  h.close();
  await discord.stop();
});
beforeEach(() => discord.server.reset());

const hotLead = {
  embeds: [{ title: 'Ana - Score: 92', color: 0xff0000, fields: [{ name: 'Email', value: 'ana@salon.example', inline: true }, { name: 'Score', value: '92', inline: true }] }],
};

describe('Discord client', () => {
  it('posts an embed; Discord answers 204 without ?wait=true; mentions are never parsed', async () => {
    await h.integrations.discord.send(hotLead, ctx());
    const [req] = discord.server.requests;
    expect(req!.status).toBe(204);
    expect(req!.query.get('wait')).toBeNull();
    expect(discord.messages.at(-1)).toMatchObject({ embeds: hotLead.embeds, allowed_mentions: { parse: [] } });
  });

  it.each([
    ['content over 2000 characters', { content: 'x'.repeat(2001) }, /content Too big/],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, /embeds Too big/],
    ['more than 25 fields', { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, /embeds\.0\.fields Too big/],
    ['a field value over 1024', { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }, /embeds\.0\.fields\.0\.value/],
    ['embeds over 6000 characters together', { embeds: [1, 2].map(() => ({ description: 'd'.repeat(3500) })) }, /at most 6000 characters/],
    ['neither content nor embeds', { content: '  ' }, /needs content or at least one embed/],
  ])('refuses %s before sending', async (_, msg, why) => {
    const err = await permanent(h.integrations.discord.send(msg, ctx()));
    expect(err.message).toMatch(/^Discord message is invalid: /);
    expect(err.message).toMatch(why);
    expect(discord.server.requests).toHaveLength(0);
  });

  it("400 Invalid Form Body from Discord is permanent with Discord's errors", async () => {
    // The client checks what it knows; Discord may still refuse, e.g. a colour the fake rejects.
    discord.server.failNext(1, { status: 400, json: { message: 'Invalid Form Body', code: 50035, errors: { embeds: { 0: { color: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } } } } } });
    const err = await permanent(h.integrations.discord.send({ content: 'hi' }, ctx()));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^Discord answered 400: Invalid Form Body \(code 50035\) \{"embeds"/);
  });

  it('a wrong token is 401 (code 50027), permanent', async () => {
    h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl.replace(discord.token, 'wrongtoken'));
    try {
      const err = await permanent(h.integrations.discord.send({ content: 'hi' }, ctx()));
      expect(err.status).toBe(401);
      expect(err.message).toBe('Discord answered 401: Invalid Webhook Token (code 50027)');
    } finally {
      h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
    }
  });

  it('a deleted webhook (404 code 10015) is permanent and says so', async () => {
    const fresh = await DiscordFake.start({ rateLimit: RATE });
    h.stores.secrets.set('integration.discord.webhook_url', fresh.webhookUrl);
    try {
      fresh.deleteWebhook();
      const err = await permanent(h.integrations.discord.send({ content: 'hi' }, ctx()));
      expect(err.status).toBe(404);
      expect(err.message).toMatch(/webhook was deleted \(Unknown Webhook, code 10015\)/);
    } finally {
      h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
      await fresh.stop();
    }
  });

  it('429: Retry-After header first, body retry_after as fallback', async () => {
    discord.server.failNext(1, { status: 429, retryAfter: 1, json: { message: 'You are being rate limited.', retry_after: 0.4, global: false } });
    expect((await retryable(h.integrations.discord.send({ content: 'a' }, ctx()))).retryAfterMs).toBe(1000);
    discord.server.failNext(1, { status: 429, json: { message: 'You are being rate limited.', retry_after: 0.25, global: false } });
    const err = await retryable(h.integrations.discord.send({ content: 'b' }, ctx()));
    expect(err.retryAfterMs).toBe(250);
    expect(err.status).toBe(429);
  });

  it("Discord's own 429 when a client sends too fast is retryable with its delay", async () => {
    // A client not pacing itself (limit 20 against Discord's 5) runs into the fake's limit.
    const eager = startHarness({ rateLimits: { discord: { limit: 20, windowMs: 200 } } });
    eager.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => eager.integrations.discord.send({ content: `m${i}` }, ctx())));
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
      // Eight at once against five per window: the late ones are refused (fewer only if the burst spread out).
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0].message).toBe('Discord answered 429: You are being rate limited.');
      expect(refused[0].retryAfterMs).toBe(1000);
    } finally {
      eager.close();
    }
  });

  it('a paced burst stays within 5 per window at Discord', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.integrations.discord.send({ content: `m${i}` }, ctx())));
    expect(discord.server.requests.every((r) => r.status === 204)).toBe(true);
    expect(discord.server.maxObservedRate(RATE.windowMs)).toBeLessThanOrEqual(5);
  });

  it('500, timeouts and refused connections are retryable', async () => {
    discord.server.failNext(1, { status: 500 });
    expect((await retryable(h.integrations.discord.send({ content: 'a' }, ctx()))).status).toBe(500);
    discord.server.failNext(1, { mode: 'hang' });
    expect((await retryable(h.quick.discord.send({ content: 'a' }, ctx()))).message).toBe('Discord did not answer within 0.3 s');
    discord.server.failNext(1, { mode: 'destroy' });
    expect((await retryable(h.integrations.discord.send({ content: 'a' }, ctx()))).message).toMatch(/^Discord could not be reached/);
    h.stores.secrets.set('integration.discord.webhook_url', await closedPortUrl('/api/webhooks/1/secrettoken'));
    try {
      expect((await retryable(h.integrations.discord.send({ content: 'a' }, ctx()))).message).toMatch(/ECONNREFUSED/);
    } finally {
      h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
    }
  });

  it('not configured: NotConfiguredError; a pasted non-URL is permanent and not echoed', async () => {
    h.stores.secrets.set('integration.discord.webhook_url', null);
    try {
      const err = await failure(h.integrations.discord.send({ content: 'a' }, ctx()));
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect(err.message).toBe('Discord is not configured: add a webhook URL');
      h.stores.secrets.set('integration.discord.webhook_url', 'discord.com/api/webhooks/1/pasted-token-abc');
      const bad = await permanent(h.integrations.discord.send({ content: 'a' }, ctx()));
      expect(bad.message).toBe('the Discord webhook URL is not a valid http(s) URL: paste it again');
    } finally {
      h.stores.secrets.set('integration.discord.webhook_url', discord.webhookUrl);
    }
  });

  it('logs show the webhook URL with its token masked', async () => {
    discord.server.failNext(1, { status: 500 });
    await failure(h.integrations.discord.send({ content: 'a' }, ctx()));
    await h.integrations.discord.send({ content: 'b' }, ctx());
    const lines = h.logs.join('\n');
    expect(lines).toContain(`${discord.server.origin}/api/webhooks/${discord.webhookId}/***`);
    expect(lines).not.toContain(discord.token);
  });
});
