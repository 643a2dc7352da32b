/**
 * What "busy" means for a restart into an update: a request received in the last 30 s, or a
 * step whose call is in flight (here Loops has the call and its answer is held back). Runs that
 * only wait for a later retry do not count. The engine's clock is moved by hand.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { RECEIVING_MS } from '../../electron/core/app.js';
import { HoldingProxy } from './holding-proxy.js';
import { ManualClock, startWorld, type World } from './world.js';

let w: World;
let proxy: HoldingProxy;
const clock = new ManualClock();
beforeAll(async () => {
  w = await startWorld({ engine: { clock: clock.now } });
  proxy = await HoldingProxy.start(w.fakes.loops.server.origin);
});
afterAll(async () => {
  await w.stop();
  await proxy.stop();
});

it('is busy while requests arrive and while a call is in flight, and not otherwise', async () => {
  await w.settle();
  clock.advance(RECEIVING_MS);
  expect(w.tc.core.busy()).toBe(false);

  await w.send('lead-optin', { email: 'busy@example.com', first_name: 'Bea' });
  expect(w.tc.core.busy()).toBe(true);
  await w.settle();
  clock.advance(RECEIVING_MS - 1);
  expect(w.tc.core.busy(), 'a request 29.999 s ago').toBe(true);
  clock.advance(1);
  expect(w.tc.core.busy()).toBe(false);

  // Loops takes the next call but its answer never comes back: the step is in flight.
  expect((await w.tc.api('PUT', '/api/settings', { integrations: { loops: { base_url: `${proxy.origin}/api/v1` } } })).status).toBe(200);
  await w.send('lead-optin', { email: 'held@example.com', first_name: 'Hal' });
  await vi.waitFor(() => expect(w.fakes.loops.sendsTo('held@example.com').length).toBeGreaterThan(0), { timeout: 10_000, interval: 25 });
  clock.advance(RECEIVING_MS);
  expect(w.tc.core.busy(), 'a call in flight').toBe(true);
  // The call times out and waits for its retry: nothing is in flight any more.
  await w.settle();
  expect(w.tc.core.busy()).toBe(false);
});
