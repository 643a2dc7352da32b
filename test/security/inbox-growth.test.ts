/**
 * Finding 2: the inbox kept whole bodies of rejected requests, with no retention. Five 1 MB posts
 * to unknown endpoints grew the database by 8 MB, and at the default rate limit one address could
 * add about 100 MB a minute until the disk was full. Now a rejected (or spam, or duplicate)
 * request keeps a short excerpt; the request log has a retention period and a size cap (settings,
 * with their current use); and storing rejections has a global budget. Accepted requests keep
 * their raw bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXCERPT_BYTES } from '../../electron/core/storage/inbox-store.js';
import { REJECTS_STORED_PER_MINUTE } from '../../electron/core/ingest/reject-budget.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

const MB = 1024 * 1024;
let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const dbBytes = (dir: string) =>
  ['leadbell.db', 'leadbell.db-wal'].reduce((n, f) => n + (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0), 0);
const storedBody = (id: number) => (t!.core.db.prepare('SELECT length(body) FROM inbox WHERE id = ?').pluck().get(id) as number);
const latest = async () => (await t!.api('GET', '/api/requests?limit=1')).body.items[0];

describe('rejected requests keep an excerpt, accepted ones their raw bytes', () => {
  it('five 1 MB posts to an unknown endpoint add well under 1 MB, each kept as a short excerpt', async () => {
    t = await startTestCore();
    const big = JSON.stringify({ email: 'x@example.com', junk: 'j'.repeat(MB - 100) });
    await post(t.url('/api/webhooks/lead-optin'), { email: 'warm@example.com' });
    const before = dbBytes(t.dataDir);
    for (let i = 0; i < 5; i++) expect((await post(t.url(`/api/webhooks/nowhere-${i}`), big)).status).toBe(404);
    expect(dbBytes(t.dataDir) - before).toBeLessThan(MB);
    const row = await latest();
    expect(row).toMatchObject({ status: 404, outcome: 'rejected', body_size: Buffer.byteLength(big), body_truncated: true });
    expect(storedBody(row.id)).toBe(EXCERPT_BYTES);
  });

  it('an accepted request keeps every byte; a duplicate of it keeps only an excerpt', async () => {
    t = await startTestCore();
    const body = JSON.stringify({ email: 'big@example.com', notes: 'n'.repeat(200_000) });
    const first = await post(t.url('/api/webhooks/lead-optin'), body, { 'idempotency-key': 'same-one' });
    expect(first.status).toBe(202);
    const accepted = await latest();
    expect(accepted).toMatchObject({ outcome: 'accepted', body_truncated: false, body_size: Buffer.byteLength(body) });
    expect(storedBody(accepted.id)).toBe(Buffer.byteLength(body));
    expect((await post(t.url('/api/webhooks/lead-optin'), body, { 'idempotency-key': 'same-one' })).status).toBe(200);
    const duplicate = await latest();
    expect(duplicate).toMatchObject({ outcome: 'duplicate', body_truncated: true });
    expect(storedBody(duplicate.id)).toBe(EXCERPT_BYTES);
  });
});

describe('retention and size cap', () => {
  it('rejected requests older than the retention period go; accepted ones of the same age stay', async () => {
    t = await startTestCore();
    await post(t.url('/api/webhooks/lead-optin'), { email: 'kept@example.com' });
    for (let i = 0; i < 3; i++) await post(t.url('/api/webhooks/lead-optin'), { email: 'not an email' });
    const old = new Date(Date.now() - 40 * 24 * 3600_000).toISOString();
    t.core.db.prepare('UPDATE inbox SET received_at = ?').run(old);
    // The default keeps 30 days; any settings change prunes at once (as the minute timer does).
    expect((await t.api('PUT', '/api/settings', { inbox: { retention_days: 30 } })).status).toBe(200);
    const left = (await t.api('GET', '/api/requests?limit=50')).body.items;
    expect(left.map((r: { outcome: string }) => r.outcome)).toEqual(['accepted']);
    const usage = (await t.api('GET', '/api/inbox/usage')).body;
    expect(usage.accepted.rows).toBe(1);
    expect(usage.other).toEqual({ rows: 0, bytes: 0, oldest: null });
  });

  it('past the size cap the oldest rejections go first; the cap and current use are reported', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 0 } });
    const junk = 'z'.repeat(8 * 1024);
    for (let i = 0; i < 400; i++) await post(t.url(`/api/webhooks/junk-${i}`), junk);
    const before = (await t.api('GET', '/api/inbox/usage')).body;
    expect(before.other.bytes).toBeGreaterThan(MB);
    expect((await t.api('PUT', '/api/settings', { inbox: { max_mb: 1 } })).status).toBe(200);
    const after = (await t.api('GET', '/api/inbox/usage')).body;
    expect(after.other.bytes).toBeLessThanOrEqual(MB);
    expect(after.other.rows).toBeGreaterThan(100);
    // The newest are the ones kept.
    const newest = (await t.api('GET', '/api/requests?limit=1')).body.items[0];
    expect(newest.path).toBe('/api/webhooks/junk-399');
    const settings = (await t.api('GET', '/api/settings')).body.settings;
    expect(settings.inbox).toEqual({ retention_days: 30, max_mb: 1 });
  });

  it('settings refuse nonsense with the field named', async () => {
    t = await startTestCore();
    for (const inbox of [{ retention_days: 0 }, { max_mb: -1 }, { retention_days: 'forever' }]) {
      const r = await t.api('PUT', '/api/settings', { inbox });
      expect(r.status, JSON.stringify(inbox)).toBe(400);
      expect(JSON.stringify(r.body.error.fields)).toMatch(/inbox\.(retention_days|max_mb)/);
    }
  });
});

describe('a global budget for storing rejections', () => {
  it('a flood of rejections from many senders is answered in full but stored only up to the budget', async () => {
    t = await startTestCore();
    await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 0 } });
    // More than two budgets' worth, so the test holds even if it straddles a minute boundary.
    const sent = REJECTS_STORED_PER_MINUTE * 2 + 100;
    const statuses = new Map<number, number>();
    for (let i = 0; i < sent; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => post(t!.url(`/api/webhooks/flood-${i + j}`), '{}')));
      for (const r of batch) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    expect(statuses.get(404)).toBe(sent);
    const stored = (await t.api('GET', '/api/inbox/usage')).body.other.rows;
    expect(stored).toBeLessThanOrEqual(REJECTS_STORED_PER_MINUTE * 2);
    expect(stored).toBeGreaterThanOrEqual(REJECTS_STORED_PER_MINUTE);
    // An accepted request is never turned away by the budget.
    expect((await post(t.url('/api/webhooks/lead-optin'), { email: 'real@example.com' })).status).toBe(202);
  });
});
