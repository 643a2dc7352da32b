import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { audiencePayload, normalisePhone, sha256Hex } from '../../electron/core/integrations/meta.js';
import { NotConfiguredError } from '../../electron/core/integrations/types.js';
import { MetaFake } from '../fakes/meta-fake.js';
import { ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

// Vectors computed independently (coreutils sha256sum over the normalised text).
const TEST_EMAIL_SHA256 = '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b'; // test@example.com
const PHONE_SHA256 = 'd6736136ea896c1bfdc553e0e86e702c70d060d805696ca3e4e9e0961353860a'; // 15551234567
const ANA_SHA256 = '1bfb42710d1cf9b25643ade3dd49402bee697fd859a6722299d77e3e4c6d4dd7'; // ana@salon.example

const RATE = { limit: 5, windowMs: 100 };
let meta: MetaFake;
let h: Harness;

beforeAll(async () => {
  meta = await MetaFake.start({ rateLimit: RATE });
  h = startHarness({ rateLimits: { meta: RATE } });
  h.stores.secrets.set('integration.meta.access_token', meta.accessToken);
  h.stores.settings.update({ integrations: { meta: { base_url: meta.url, audiences: meta.audienceIds } } });
});
afterAll(async () => {
  h.close();
  await meta.stop();
});
beforeEach(() => meta.server.reset());

describe('Meta hashing', () => {
  it('normalises (trim, lower-case; phone digits only) and hashes to SHA-256 hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(audiencePayload([{ email: '  Test@Example.COM ' }])).toEqual({ schema: 'EMAIL_SHA256', data: [TEST_EMAIL_SHA256] });
    expect(normalisePhone('+1 (555) 123-4567')).toBe('15551234567');
    expect(audiencePayload([{ email: 'test@example.com', phone: '+1 (555) 123-4567' }, { email: 'ana@salon.example', phone: null }])).toEqual({
      schema: ['EMAIL_SHA256', 'PHONE_SHA256'],
      data: [
        [TEST_EMAIL_SHA256, PHONE_SHA256],
        [ANA_SHA256, ''],
      ],
    });
  });
});

describe('Meta custom audiences client', () => {
  it('adds hashed people to the audience named by key; the clear email never leaves', async () => {
    const r = await h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'Test@Example.com' }, { email: 'ana@salon.example' }], ctx());
    const audience = meta.audience('opted_in_leads');
    expect(r).toEqual({ audienceId: audience.id, numReceived: 2 });
    expect([...audience.members.get('EMAIL_SHA256')!]).toEqual([TEST_EMAIL_SHA256, ANA_SHA256]);
    const [req] = meta.server.requests;
    expect(req!.path).toBe(`/v25.0/${audience.id}/users`);
    expect(req!.raw.toString()).not.toContain('example.com');
    expect(req!.raw.toString()).not.toContain(meta.accessToken);
  });

  it('sends email and phone as a two-key schema when a phone is known', async () => {
    await h.integrations.meta.addToAudience('assessment_completers', [{ email: 'test@example.com', phone: '+1 555-123-4567' }], ctx());
    const a = meta.audience('assessment_completers');
    expect(a.members.get('PHONE_SHA256')!.has(PHONE_SHA256)).toBe(true);
    expect(meta.uploads.at(-1)).toMatchObject({ schema: ['EMAIL_SHA256', 'PHONE_SHA256'], rows: 1, invalid: 0 });
  });

  it('chunks more than 10,000 people into requests of at most 10,000 rows', async () => {
    const people = Array.from({ length: 10_001 }, (_, i) => ({ email: `p${i}@bulk.example` }));
    const r = await h.integrations.meta.addToAudience('sales_page_visitors', people, ctx());
    expect(r.numReceived).toBe(10_001);
    expect(meta.uploads.slice(-2).map((u) => u.rows)).toEqual([10_000, 1]);
    expect(meta.audience('sales_page_visitors').members.get('EMAIL_SHA256')!.size).toBe(10_001);
  });

  it('an audience key that is not configured is NotConfiguredError naming it; nobody is sent', async () => {
    const err = await failure(h.integrations.meta.addToAudience('vip_buyers', [{ email: 'a@x.example' }], ctx()));
    expect(err).toBeInstanceOf(NotConfiguredError);
    expect(err.message).toBe('Meta audience "vip_buyers" is not configured: add its id under audiences');
    expect(meta.server.requests).toHaveLength(0);
  });

  it('a bad token (OAuthException 190) and an audience Meta does not know (100/33) are permanent', async () => {
    h.stores.secrets.set('integration.meta.access_token', 'EAAwrongtoken000');
    try {
      const err = await permanent(h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx()));
      expect(err.message).toBe('Meta answered 400: Invalid OAuth access token - Cannot parse access token (code 190)');
    } finally {
      h.stores.secrets.set('integration.meta.access_token', meta.accessToken);
    }
    h.stores.settings.update({ integrations: { meta: { audiences: { ...meta.audienceIds, ghost: '123456789' } } } });
    const err = await permanent(h.integrations.meta.addToAudience('ghost', [{ email: 'a@x.example' }], ctx()));
    expect(err.message).toMatch(/Object with ID '123456789' does not exist.*\(code 100, subcode 33\)$/);
  });

  it("Meta's throttling code 80003 (a 400) is retryable and pauses the pacer; 500 and timeouts are retryable", async () => {
    meta.server.failNext(1, { status: 400, json: { error: { message: '(#80003) There have been too many calls to this ad-account.', type: 'OAuthException', code: 80003 } } });
    const throttled = await retryable(h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx()));
    expect(throttled.status).toBe(400);
    meta.server.failNext(1, { status: 500 });
    expect((await retryable(h.integrations.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx()))).status).toBe(500);
    const [first, second] = meta.server.requests;
    // Without a Retry-After the client backs off one window of its own.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(RATE.windowMs - 5);
    meta.server.failNext(1, { mode: 'hang' });
    expect((await retryable(h.quick.meta.addToAudience('opted_in_leads', [{ email: 'a@x.example' }], ctx()))).message).toBe('Meta did not answer within 0.3 s');
  });

  it('a paced burst stays within the fake Meta rate', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.integrations.meta.addToAudience('opted_in_leads', [{ email: `b${i}@x.example` }], ctx())));
    expect(meta.server.requests.every((r) => r.status === 200)).toBe(true);
    expect(meta.server.maxObservedRate(RATE.windowMs)).toBeLessThanOrEqual(RATE.limit);
  });
});
