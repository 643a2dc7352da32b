import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackFake } from '../fakes/slack-fake.js';
import { ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

// Slack's one message a second, scaled to one per 100 ms on both sides.
const RATE = { limit: 1, windowMs: 100 };
let slack: SlackFake;
let h: Harness;

beforeAll(async () => {
  slack = await SlackFake.start({ rateLimit: RATE });
  h = startHarness({ rateLimits: { slack: RATE } });
  h.stores.secrets.set('integration.slack.webhook_url', slack.webhookUrl);
});
afterAll(async () => {
  h.close();
  await slack.stop();
});
beforeEach(() => slack.server.reset());

const useUrl = async (url: string, fn: () => Promise<void>) => {
  h.stores.secrets.set('integration.slack.webhook_url', url);
  try {
    await fn();
  } finally {
    h.stores.secrets.set('integration.slack.webhook_url', slack.webhookUrl);
  }
};

describe('Slack client', () => {
  it('posts text (and blocks); Slack answers 200 "ok"', async () => {
    await h.integrations.slack.send({ text: 'New lead: Ana (ana@salon.example)' }, ctx());
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Ana*' } }];
    await h.integrations.slack.send({ text: 'fallback', blocks }, ctx());
    expect(slack.messages.slice(-2)).toEqual([{ text: 'New lead: Ana (ana@salon.example)', blocks: undefined }, { text: 'fallback', blocks }]);
    expect(slack.server.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('plain-text errors are permanent with Slack words: 400 no_text, 403 invalid_token, 404 no_service, 410 channel_is_archived', async () => {
    const noText = await permanent(h.integrations.slack.send({ text: '' }, ctx()));
    expect([noText.status, noText.message]).toEqual([400, 'Slack answered 400: no_text']);
    await useUrl(slack.webhookUrl.replace(slack.secret, 'revoked0000'), async () => {
      expect((await permanent(h.integrations.slack.send({ text: 'a' }, ctx()))).message).toBe('Slack answered 403: invalid_token');
    });
    await useUrl(`${slack.server.origin}/services/T0OTHER/B0OTHER/x`, async () => {
      expect((await permanent(h.integrations.slack.send({ text: 'a' }, ctx()))).message).toBe('Slack answered 404: no_service');
    });
    const archived = await SlackFake.start({ rateLimit: RATE });
    archived.archiveChannel();
    try {
      await useUrl(archived.webhookUrl, async () => {
        expect((await permanent(h.integrations.slack.send({ text: 'a' }, ctx()))).message).toBe('Slack answered 410: channel_is_archived');
      });
    } finally {
      await archived.stop();
    }
  });

  it('429 with Retry-After is retryable and holds the next message that long', async () => {
    slack.server.failNext(1, { status: 429, retryAfter: 1, text: 'rate_limited' });
    const err = await retryable(h.integrations.slack.send({ text: 'a' }, ctx()));
    expect([err.status, err.retryAfterMs, err.message]).toEqual([429, 1000, 'Slack answered 429: rate_limited']);
    await h.integrations.slack.send({ text: 'b' }, ctx());
    const [first, second] = slack.server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('a paced burst never sends two messages within Slack\'s window', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => h.integrations.slack.send({ text: `m${i}` }, ctx())));
    expect(slack.server.requests.every((r) => r.status === 200)).toBe(true);
    expect(slack.server.maxObservedRate(RATE.windowMs)).toBe(1);
  });

  it('500, timeouts and dropped connections are retryable', async () => {
    slack.server.failNext(1, { status: 503 });
    expect((await retryable(h.integrations.slack.send({ text: 'a' }, ctx()))).status).toBe(503);
    slack.server.failNext(1, { mode: 'hang' });
    expect((await retryable(h.quick.slack.send({ text: 'a' }, ctx()))).message).toBe('Slack did not answer within 0.3 s');
    slack.server.failNext(1, { mode: 'destroy' });
    expect((await retryable(h.integrations.slack.send({ text: 'a' }, ctx()))).message).toMatch(/^Slack could not be reached/);
  });

  it('never logs the webhook secret', async () => {
    await h.integrations.slack.send({ text: 'a' }, ctx());
    await failure(h.integrations.slack.send({ text: '' }, ctx()));
    expect(h.logs.join('\n')).not.toContain(slack.secret);
    expect(h.logs.join('\n')).toContain('/services/T0FAKE001/B0FAKE001/***');
  });
});
