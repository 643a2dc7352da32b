import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotConfiguredError, PermanentError } from '../../electron/core/integrations/types.js';
import { loopsIdempotencyKey } from '../../electron/core/integrations/loops.js';
import { LoopsFake } from '../fakes/loops-fake.js';
import { closedPortUrl, ctx, failure, permanent, retryable, startHarness, type Harness } from './harness.js';

let loops: LoopsFake;
let h: Harness;

beforeAll(async () => {
  loops = await LoopsFake.start();
  h = startHarness();
  h.stores.secrets.set('integration.loops.api_key', loops.apiKey);
  h.stores.settings.update({ integrations: { loops: { base_url: loops.url } } });
});
afterAll(async () => {
  h.close();
  await loops.stop();
});
beforeEach(() => loops.server.reset());

const cta = (email: string) => ({ transactionalId: 'email-1-immediate-cta', email, dataVariables: { first_name: 'Ana', visits: 3 } });

describe('Loops client', () => {
  it('sends a transactional email with the bearer key and the idempotency key', async () => {
    const c = ctx('run-1:step-2');
    expect(await h.integrations.loops.sendTransactional({ ...cta('ana@salon.example'), addToAudience: true }, c)).toEqual({ alreadySent: false });
    const [req] = loops.server.accepted;
    expect(req!.path).toBe('/api/v1/transactional');
    expect(req!.headers['idempotency-key']).toBe('run-1:step-2');
    expect(req!.body).toEqual({ transactionalId: 'email-1-immediate-cta', email: 'ana@salon.example', dataVariables: { first_name: 'Ana', visits: 3 }, addToAudience: true });
  });

  it('sends an event with event and contact properties', async () => {
    await h.integrations.loops.sendEvent(
      { eventName: 'nurture_beauty_salon', email: 'ana@salon.example', eventProperties: { segment: 'beauty-salon', hot: false }, contactProperties: { firstName: 'Ana' } },
      ctx(),
    );
    expect(loops.sends.at(-1)).toMatchObject({ kind: 'event', name: 'nurture_beauty_salon', body: { firstName: 'Ana', eventProperties: { segment: 'beauty-salon', hot: false } } });
  });

  it('a reused idempotency key is a 409 from Loops and means already sent, not an error', async () => {
    const c = ctx();
    expect(await h.integrations.loops.sendTransactional(cta('dup@x.example'), c)).toEqual({ alreadySent: false });
    expect(await h.integrations.loops.sendTransactional(cta('dup@x.example'), { ...c, attempt: 2 })).toEqual({ alreadySent: true });
    expect(loops.server.requests.map((r) => r.status)).toEqual([200, 409]);
    expect(loops.sendsTo('dup@x.example')).toHaveLength(1);
  });

  it('an answer lost after Loops sent the email: the retry gets 409, still exactly one email', async () => {
    loops.server.failNext(1, { mode: 'lose-answer' });
    const c = ctx();
    await retryable(h.integrations.loops.sendTransactional(cta('lost@x.example'), c));
    expect(await h.integrations.loops.sendTransactional(cta('lost@x.example'), { ...c, attempt: 2 })).toEqual({ alreadySent: true });
    expect(loops.sendsByKey().get(c.idempotencyKey)).toBe(1);
  });

  it('hashes an idempotency key longer than 100 characters, stably', async () => {
    const long = `run-${'x'.repeat(120)}:step-1`;
    expect(loopsIdempotencyKey(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(loopsIdempotencyKey(long)).toBe(loopsIdempotencyKey(long));
    await h.integrations.loops.sendTransactional(cta('long@x.example'), ctx(long));
    expect(await h.integrations.loops.sendTransactional(cta('long@x.example'), ctx(long))).toEqual({ alreadySent: true });
    expect(loops.server.accepted[0]!.headers['idempotency-key']).toBe(loopsIdempotencyKey(long));
  });

  it('401 for a bad API key is permanent, with Loops message', async () => {
    h.stores.secrets.set('integration.loops.api_key', 'wrong-key-123456');
    try {
      const err = await permanent(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
      expect(err.status).toBe(401);
      expect(err.message).toBe('Loops answered 401: Invalid API key');
    } finally {
      h.stores.secrets.set('integration.loops.api_key', loops.apiKey);
    }
  });

  it('400 for a body Loops refuses, 404 for an unknown transactional id: permanent', async () => {
    const bad = await permanent(h.integrations.loops.sendTransactional(cta('not-an-email'), ctx()));
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/email/);
    const unknown = await permanent(h.integrations.loops.sendTransactional({ transactionalId: 'nope', email: 'a@x.example' }, ctx()));
    expect(unknown.status).toBe(404);
    expect(unknown.message).toMatch(/Transactional email not found/);
    expect(loops.server.accepted).toHaveLength(0);
  });

  it('refuses contact properties that collide with event fields before sending', async () => {
    const err = await permanent(h.integrations.loops.sendEvent({ eventName: 'e', email: 'a@x.example', contactProperties: { email: 'other@x.example' } }, ctx()));
    expect(err.message).toMatch(/cannot be named email/);
    expect(loops.server.requests).toHaveLength(0);
  });

  it('500 is retryable', async () => {
    loops.server.failNext(1, { status: 500 });
    const err = await retryable(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
    expect(err.status).toBe(500);
    expect(err.message).toBe('Loops answered 500: Internal server error');
  });

  it('429 with Retry-After: retryable with the delay, and the pacer holds the next call that long', async () => {
    loops.server.failNext(1, { status: 429, retryAfter: 1 });
    const err = await retryable(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
    expect(err.retryAfterMs).toBe(1000);
    await h.integrations.loops.sendTransactional(cta('a@x.example'), ctx());
    const [first, second] = loops.server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('a pause longer than half a minute is left to the durable retry: the next call fails fast without reaching Loops', async () => {
    const own = startHarness({ fakes: undefined });
    own.stores.secrets.set('integration.loops.api_key', loops.apiKey);
    own.stores.settings.update({ integrations: { loops: { base_url: loops.url } } });
    try {
      loops.server.failNext(1, { status: 429, retryAfter: 120 });
      expect((await retryable(own.integrations.loops.sendTransactional(cta('a@x.example'), ctx()))).retryAfterMs).toBe(120_000);
      const held = await retryable(own.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
      expect(held.message).toMatch(/^Loops asked to slow down: next call allowed in 1[12]\d(\.\d)? s$/);
      expect(held.retryAfterMs).toBeGreaterThan(110_000);
      expect(loops.server.requests).toHaveLength(1);
    } finally {
      own.close();
    }
  });

  it('a hung request times out as retryable; a refused connection is retryable', async () => {
    loops.server.hang();
    const slow = await retryable(h.quick.loops.sendTransactional(cta('a@x.example'), ctx()));
    expect(slow.message).toBe('Loops did not answer within 0.3 s');
    loops.server.hang(false);

    h.stores.settings.update({ integrations: { loops: { base_url: await closedPortUrl('/api/v1') } } });
    try {
      const down = await retryable(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
      expect(down.message).toMatch(/^Loops could not be reached: .*ECONNREFUSED/);
    } finally {
      h.stores.settings.update({ integrations: { loops: { base_url: loops.url } } });
    }
  });

  it('a burst of 30 sends never exceeds 10 requests a second at Loops, and all get through', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => h.integrations.loops.sendTransactional(cta(`burst${i}@x.example`), ctx())));
    expect(results.every((r) => !r.alreadySent)).toBe(true);
    expect(loops.server.accepted).toHaveLength(30);
    expect(loops.server.requests.every((r) => r.status === 200)).toBe(true);
    expect(loops.server.maxObservedRate(1000)).toBeLessThanOrEqual(10);
    expect(loops.server.maxObservedRate(1000)).toBeGreaterThanOrEqual(5);
  });

  it('not configured or switched off: NotConfiguredError with the reason', async () => {
    h.stores.secrets.set('integration.loops.api_key', null);
    try {
      const err = await failure(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
      expect(err).toBeInstanceOf(NotConfiguredError);
      expect(err.message).toBe('Loops is not configured: add an API key');
    } finally {
      h.stores.secrets.set('integration.loops.api_key', loops.apiKey);
    }
    h.stores.settings.update({ integrations: { loops: { enabled: false } } });
    try {
      expect((await failure(h.integrations.loops.sendEvent({ eventName: 'e', email: 'a@x.example' }, ctx()))).message).toBe('Loops is turned off in settings');
    } finally {
      h.stores.settings.update({ integrations: { loops: { enabled: true } } });
    }
  });

  it('a bad stored option is a permanent error naming the field', async () => {
    h.stores.settings.update({ integrations: { loops: { base_url: 'ftp://x' } } });
    try {
      const err = await failure(h.integrations.loops.sendTransactional(cta('a@x.example'), ctx()));
      expect(err).toBeInstanceOf(PermanentError);
      expect(err.message).toMatch(/^Loops settings are invalid: loops\.base_url /);
    } finally {
      h.stores.settings.update({ integrations: { loops: { base_url: loops.url } } });
    }
  });
});
