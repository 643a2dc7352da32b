/**
 * A used-up daily free allowance (Cloudflare's Workers Free plan: 100,000 rows written a day per
 * account; "further operations of that type will fail with an error" until 00:00 UTC,
 * https://developers.cloudflare.com/durable-objects/platform/pricing/). The relay runs in workerd
 * with its storage limited as Cloudflare's is (test/fakes/durable-object-storage.ts): the sender
 * is asked to send again after the reset (503 + Retry-After) rather than getting a 500, and the
 * owner reads it in words; what the relay stored before is delivered.
 */
import { afterEach, expect, it } from 'vitest';
import { secondsUntilUtcMidnight } from '../../shared/relay-wire.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { startWatchedRelay, until } from './world.js';

let relay: Awaited<ReturnType<typeof startWatchedRelay>> | undefined;
let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  await relay?.close();
  t = relay = undefined;
});

it('answers 503 with Retry-After until 00:00 UTC once the rows written today are used up, and tells the owner', async () => {
  relay = await startWatchedRelay({ FAKE_DAILY_ROWS_WRITTEN: '40' });
  t = await startTestCore({ secretEnv: { 'relay.secret': relay.secret }, relay: { backoffMs: { min: 100, max: 500 } } });
  t.core.stores.settings.update({ relay: { url: relay.url } });
  await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));

  const url = `${relay.url}/api/webhooks/lead-optin`;
  const answers: Awaited<ReturnType<typeof post>>[] = [];
  for (let i = 0; i < 40 && !answers.some((a) => a.status !== 202); i++) {
    answers.push(await post(url, { email: `quota${i}@example.com` }));
    // Each one delivered and acknowledged before the next, as a quiet day goes.
    await until('delivered', () => t!.core.db.prepare("SELECT count(*) FROM inbox WHERE via = 'relay'").pluck().get() === answers.filter((a) => a.status === 202).length);
  }
  const refused = answers.at(-1)!;
  const accepted = answers.filter((a) => a.status === 202).length;
  expect(accepted).toBeGreaterThan(3);
  expect(refused.status).toBe(503);
  expect(refused.body.error).toBe("the relay has used up today's free Cloudflare allowance: send again after 00:00 UTC");
  const wait = Number(refused.headers.get('retry-after'));
  expect(Math.abs(wait - secondsUntilUtcMidnight(Date.now()))).toBeLessThan(60);

  const status = await until('told', async () => {
    const s = (await t!.core.handlers.getStatus({})).relay;
    return s.usage?.exceeded_at && s;
  });
  expect(status.usage!.words).toBe("today's free allowance is used up");
  expect(status.usage!.rows_written).toBeGreaterThan(accepted);
  expect(t.logs.join('\n')).toMatch(/used up today's free Cloudflare allowance/);
  // Nothing the relay accepted was lost.
  expect(t.core.db.prepare("SELECT count(*) FROM inbox WHERE via = 'relay'").pluck().get()).toBe(accepted);
});
