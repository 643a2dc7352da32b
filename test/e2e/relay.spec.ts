/**
 * The always-on address in the UI: the app connects to a relay (the real Worker in workerd), the
 * status shows in Settings, and a relayed request with a wrong signature is visible in Events as
 * refused (401) although its sender got the relay's 202.
 */
import { randomBytes } from 'node:crypto';
import { startLocalRelay, type LocalRelay } from '../../scripts/relay-local.js';
import { standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { expect, test } from './fixtures.js';

let relay: LocalRelay;
const secret = randomBytes(32).toString('base64url');

test.beforeAll(async () => {
  relay = await startLocalRelay({ secret });
});

test.afterAll(async () => {
  await relay.close();
});

test('connects to the relay, shows its state, and lists a refused relayed request in Events', async ({ page, app }) => {
  const signing = 'whsec_' + Buffer.from('e2e-relay-signing-key-01234567').toString('base64');
  expect((await app.api('PUT', '/api/secrets/webhook.email-engagement', { value: signing })).status).toBe(200);
  expect((await app.api('PUT', '/api/relay', { url: relay.url, secret })).status).toBe(200);
  try {
    await expect.poll(async () => (await app.api('GET', '/api/status')).body.relay.state).toBe('connected');

    await page.goto('/#/settings');
    const card = page.getByRole('region', { name: 'Always-on address (recommended)' });
    await expect(card.getByText('Connected', { exact: true })).toBeVisible();
    await expect(card.getByTestId('relay-url')).toContainText(relay.url);

    const body = JSON.stringify({ email: 'relay-e2e@example.com', event_type: 'open', email_id: 'e-1' });
    const forged = { ...standardWebhooksHeaders(signing, 'msg_e2e', body), 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') };
    const sent = await fetch(`${relay.url}/api/webhooks/email-engagement`, { method: 'POST', headers: { 'content-type': 'application/json', ...forged }, body });
    expect(sent.status).toBe(202);
    await expect.poll(async () => (await app.api('GET', '/api/requests?limit=1')).body.items[0]?.via).toBe('relay');
    // The relay tells its own use of the free plan, and Settings says it in words.
    await expect(card.getByTestId('relay-usage')).toHaveText(/^(Less than 1%|About \d+%) of today's free allowance used$/);
    await expect(card).toContainText(/This relay today: \d+ of 100,000 requests/);

    await page.goto('/#/events');
    const row = page.getByTestId('request-row').filter({ hasText: 'Via the always-on address' }).first();
    await expect(row).toContainText('signature');
    await expect(row).toContainText('relay-e2e@example.com');
    const stored = (await app.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(stored).toMatchObject({ via: 'relay', status: 401, outcome: 'rejected' });
  } finally {
    await app.api('POST', '/api/relay/remove', { delete_worker: false });
    await app.api('PUT', '/api/secrets/webhook.email-engagement', { value: null });
  }
});
