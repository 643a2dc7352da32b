/**
 * The relay end to end: the real Worker in workerd (miniflare) and a real core on loopback, with
 * real SQLite files on both sides.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { standardWebhooksHeaders } from '../../electron/core/ingest/signatures.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { relayQueue, relayStorageFiles, startTestRelay, until, type TestRelay } from './world.js';
import fs from 'node:fs';
import WebSocket from 'ws';

let relay: TestRelay | undefined;
let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  await relay?.close();
  t = relay = undefined;
});

const count = (core: TestCore, sql: string, ...args: unknown[]) => (core.core.db.prepare(sql).get(...args) as { n: number }).n;

async function coreOnRelay(r: TestRelay, secrets: Record<string, string> = {}, dataDir?: string): Promise<TestCore> {
  const core = await startTestCore({ secretEnv: { 'relay.secret': r.secret, ...secrets }, relay: { backoffMs: { min: 100, max: 500 } } }, dataDir);
  core.core.stores.settings.update({ relay: { url: r.url } });
  return core;
}

describe('relay', () => {
  it("answers WordPress (Elementor counts only a 200) with 200 while Leadbell is away, and the form is read once it is back", async () => {
    relay = await startTestRelay();
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    const dataDir = t.dataDir;
    await t.stop();
    t = undefined;
    // Elementor's webhook with Advanced Data off: labels as keys, URL-encoded by WordPress (elementor-pro modules/forms/actions/webhook.php).
    const body = new URLSearchParams({ Name: 'Wren Park', Email: 'wren.wp@example.com', form_id: '3f2b1c4', form_name: 'Sign-up' }).toString();
    const wp = await post(`${relay.url}/api/webhooks/lead-optin`, body, { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WordPress/6.6.2; https://salon.example' });
    expect(wp.status).toBe(200);
    expect(wp.body.status).toBe('accepted');
    const other = await post(`${relay.url}/api/webhooks/lead-optin`, { email: 'not-wp@example.com' });
    expect(other.status).toBe(202);
    t = await coreOnRelay(relay, {}, dataDir);
    await until('the Elementor lead', async () => (await t!.api('GET', '/api/leads/wren.wp%40example.com')).body.lead?.first_name === 'Wren');
  });

  it('keeps 50 opt-ins while Leadbell is stopped; each is stored and run exactly once after it starts', async () => {
    relay = await startTestRelay();
    // First start: the desktop says hello (its public key), then stops.
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    const dataDir = t.dataDir;
    await t.stop();
    t = undefined;

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(`${relay!.url}/api/webhooks/lead-optin`, { email: `away${i}@example.com`, first_name: `Away${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(202));
    expect(new Set(answers.map((a) => a.body.request_id)).size).toBe(50);
    expect(relayQueue(relay.persistDir)).toHaveLength(50);

    const started = Date.now();
    t = await coreOnRelay(relay, {}, dataDir);
    await until('50 stored', () => count(t!, "SELECT count(*) AS n FROM inbox WHERE via = 'relay'") === 50);
    const storedMs = Date.now() - started;
    console.log(`relay: 50 opt-ins held while stopped, all stored ${storedMs} ms after start`);
    expect(storedMs).toBeLessThan(30_000);
    expect(count(t, "SELECT count(*) AS n FROM events WHERE event = 'lead.opted_in'")).toBe(50);
    expect(count(t, 'SELECT count(DISTINCT relay_id) AS n FROM inbox')).toBe(50);
    await until('flows ran', () => count(t!, "SELECT count(*) AS n FROM runs WHERE flow = 'lead-optin' AND status = 'completed'") === 50);
    expect(count(t, "SELECT count(*) AS n FROM runs WHERE flow = 'lead-optin'")).toBe(50);
    const status = await until('drained', async () => {
      const s = await t!.core.handlers.getStatus({});
      return s.relay.arrived_while_away !== null && s;
    });
    expect(status.relay).toMatchObject({ state: 'connected', backlog: 0, arrived_while_away: 50 });
    expect(status.receiver.public_base_url).toBe(relay.url);
    const row = t.core.stores.inbox.list({ limit: 1, offset: 0 }).items[0]!;
    expect(row).toMatchObject({ via: 'relay', client_ip: expect.any(String), outcome: 'accepted' });
    expect(row.headers['x-leadbell-relayed']).toBeUndefined();
    await until('relay emptied', () => relayQueue(relay!.persistDir).length === 0);
  });

  it('stores only ciphertext in the relay storage', async () => {
    relay = await startTestRelay();
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    await t.stop();
    t = undefined;
    const email = 'very-private-person@example.com';
    expect((await post(`${relay.url}/api/webhooks/lead-optin`, { email, phone: '+15550001234' })).status).toBe(202);
    const rows = relayQueue(relay.persistDir);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed[0]).toBe(2);
    expect(rows[0]!.sealed.includes(Buffer.from(email))).toBe(false);
    expect(rows[0]!.sealed.includes(Buffer.from('lead-optin'))).toBe(false);
    await relay.close();
    const raw = Buffer.concat(relayStorageFiles(relay.persistDir).flatMap((f) => [f, `${f}-wal`].filter(fs.existsSync).map((p) => fs.readFileSync(p))));
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.includes(Buffer.from(email))).toBe(false);
    expect(raw.includes(Buffer.from('+15550001234'))).toBe(false);
    relay = undefined;
  });

  it('refuses a wrong relay secret, and the status says why in words', async () => {
    relay = await startTestRelay();
    t = await startTestCore({ secretEnv: { 'relay.secret': 'not-the-secret' }, relay: { backoffMs: { min: 100, max: 500 } } });
    t.core.stores.settings.update({ relay: { url: relay.url } });
    const s = await until('auth failed', async () => {
      const st = await t!.core.handlers.getStatus({});
      return st.relay.state === 'auth_failed' && st;
    });
    expect(s.relay.detail).toMatch(/refused this computer's relay secret/);
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${relay!.url.replace('http', 'ws')}/connect`, { headers: { authorization: 'Bearer nope' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the relay accepted a wrong secret')));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
  });

  it('stores a relayed request with a wrong signature as 401 (the sender already had its 202)', async () => {
    relay = await startTestRelay();
    const secret = 'whsec_' + Buffer.from('relay-test-signing-key-0123456789').toString('base64');
    t = await coreOnRelay(relay, { 'webhook.default': secret });
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    const body = JSON.stringify({ event: 'assessment.completed', email: 'sig@example.com', score: 40 });
    const good = standardWebhooksHeaders(secret, 'msg_good', body);
    const bad = { ...standardWebhooksHeaders(secret, 'msg_bad', body), 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') };
    expect((await post(`${relay.url}/api/webhooks/assessment`, body, good)).status).toBe(202);
    expect((await post(`${relay.url}/api/webhooks/assessment`, body, bad)).status).toBe(202);
    await until('both stored', () => count(t!, "SELECT count(*) AS n FROM inbox WHERE via = 'relay'") === 2);
    const rejected = t.core.stores.inbox.list({ limit: 10, offset: 0, outcome: 'rejected' }).items;
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ status: 401, via: 'relay', reason: expect.stringMatching(/signature/) });
    expect(count(t, "SELECT count(*) AS n FROM inbox WHERE outcome = 'accepted'")).toBe(1);
  });

  it('answers like the receiver: 413 over 1 MB, 429 per IP, 503 when the queue is full, 404 elsewhere', async () => {
    relay = await startTestRelay({ RELAY_RATE_LIMIT_PER_MINUTE: '5', RELAY_MAX_QUEUED: '3' });
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    await t.stop();
    t = undefined;
    const url = `${relay.url}/api/webhooks/lead-optin`;
    expect((await post(url, 'x'.repeat(1024 * 1024 + 1))).status).toBe(413);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(url, { email: `q${i}@example.com` })).status);
    expect(statuses).toEqual([202, 202, 202, 503, 429]);
    const limited = await post(url, { email: 'late@example.com' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${relay.url}/api/status`)).status).toBe(404);
    expect((await fetch(`${relay.url}/api/settings`, { method: 'PUT' })).status).toBe(404);
  });

  it('keeps requests on the relay while receiving is paused, and delivers them on resume', async () => {
    relay = await startTestRelay();
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    t.core.stores.settings.update({ receiver: { paused: true } });
    expect((await post(`${relay.url}/api/webhooks/lead-optin`, { email: 'paused@example.com' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(count(t, 'SELECT count(*) AS n FROM inbox')).toBe(0);
    expect(relayQueue(relay.persistDir)).toHaveLength(1);
    expect((await t.core.handlers.getStatus({})).relay.detail).toMatch(/paused/);
    t.core.stores.settings.update({ receiver: { paused: false } });
    await until('delivered', () => count(t!, "SELECT count(*) AS n FROM inbox WHERE outcome = 'accepted'") === 1);
  });

  it('delivers bodies near the 1 MB limit, a few to a message, bytes unchanged', async () => {
    relay = await startTestRelay();
    t = await coreOnRelay(relay);
    await until('connected', () => t!.core.handlers.getStatus({}).then((s) => s.relay.state === 'connected'));
    const dataDir = t.dataDir;
    await t.stop();
    t = undefined;
    const bodies = Array.from({ length: 6 }, (_, i) => JSON.stringify({ email: `big${i}@example.com`, note: String(i).repeat(1000 * 1000 - 60) }));
    for (const b of bodies) expect((await post(`${relay.url}/api/webhooks/lead-optin`, b)).status).toBe(202);
    t = await coreOnRelay(relay, {}, dataDir);
    await until('all stored', () => count(t!, "SELECT count(*) AS n FROM inbox WHERE via = 'relay'") === 6);
    // One message's requests are stored concurrently (one group commit), so compare as a set.
    const stored = t.core.db.prepare("SELECT body FROM inbox WHERE via = 'relay'").pluck().all() as Buffer[];
    expect(stored.map((b) => b.toString()).sort()).toEqual([...bodies].sort());
  });
});
