/**
 * Disk trouble: the data folder's filesystem fills up, or refuses writes (as one remounted
 * read-only does). Every request then gets a 503 that says the request was not stored and
 * why, and the status shows storage.ok=false with the reason: never a 2xx for data that was
 * not stored. When the disk recovers, requests are accepted again, the status recovers, and
 * events acknowledged around the trouble still run their flows.
 *
 * Needs root-level mount and chattr (tests run as root here); where the sandbox forbids them,
 * the tests are skipped with the reason.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/api/models.js';
import type { Settings } from '../../shared/settings.js';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { post, startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { immutableRefusesWrites, setImmutable, smallDisk, type SmallDisk } from './support/disk.js';

const disk = smallDisk(24 * 1024 * 1024);
afterAll(() => {
  if (disk.ok) disk.value.unmount();
});

let t: TestCore | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const noRateLimit = { apply: (s: Settings) => ({ ...s, receiver: { ...s.receiver, rate_limit_per_minute: 0 } }), names: [] };

interface Sent {
  key: string;
  email: string;
  status: number;
  body: { status?: string; event_id?: string; error?: string };
  retryAfter: string | null;
}

/** An opt-in with its own event_id (the durable idempotency key) and a body of `pad` bytes. */
async function optin(tc: TestCore, pad = 16 * 1024, key: string = randomUUID()): Promise<Sent> {
  const email = `disk-${key}@example.com`;
  const res = await post(tc.url('/api/webhooks/lead-optin'), { email, first_name: 'Disk', event_id: key, notes: 'n'.repeat(pad) });
  return { key, email, status: res.status, body: res.body as Sent['body'], retryAfter: res.headers.get('retry-after') };
}

const status = async (tc: TestCore) => (await tc.api('GET', '/api/status')).body as Status;
const storedKeys = (tc: TestCore, keys: string[]) =>
  new Set(tc.core.db.prepare('SELECT idempotency_key FROM events WHERE idempotency_key IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(keys)) as string[]);

/** Sends until the storage refuses `refusals` requests in a row; every answer must be 202 or 503. */
async function sendUntilRefused(tc: TestCore, refusals = 5, max = 2000): Promise<Sent[]> {
  const sent: Sent[] = [];
  let inARow = 0;
  while (inARow < refusals) {
    if (sent.length >= max) throw new Error(`still accepting after ${max} requests: the disk never refused`);
    const s = await optin(tc);
    sent.push(s);
    expect([202, 503], JSON.stringify(s.body)).toContain(s.status);
    inARow = s.status === 503 ? inARow + 1 : 0;
  }
  return sent;
}

function expectRefusalsExplained(sent: Sent[], reason: RegExp): void {
  for (const s of sent.filter((x) => x.status === 503)) {
    expect(s.body.status).toBe('unavailable');
    expect(s.body.error).toMatch(/^the request was not stored: /);
    expect(s.body.error).toMatch(reason);
    expect(Number(s.retryAfter)).toBeGreaterThan(0);
  }
}

/** Acknowledged means stored; refused means not stored. */
function expectAnswersMatchStorage(tc: TestCore, sent: Sent[]): void {
  const stored = storedKeys(tc, sent.map((s) => s.key));
  for (const s of sent) expect(stored.has(s.key), `${s.status} for ${s.key}`).toBe(s.status === 202);
}

/** Every acknowledged opt-in gets its lead and its runs (polling the running core). */
async function expectFlowsCaughtUp(tc: TestCore, sent: Sent[], timeoutMs = 20_000): Promise<void> {
  const acked = sent.filter((s) => s.status === 202);
  const deadline = Date.now() + timeoutMs;
  const missing = () =>
    acked.filter(
      (s) =>
        !tc.core.stores.leads.byEmail(s.email) ||
        (tc.core.db.prepare('SELECT count(*) FROM runs WHERE event_id = ?').pluck().get(s.body.event_id) as number) === 0,
    );
  while (missing().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(missing().map((s) => s.email)).toEqual([]);
}

describe('a full disk', () => {
  it('gives 503 "the disk is full" and storage.ok=false, never a 2xx for data not stored; recovers when space returns', async (ctx) => {
    if (!disk.ok) return ctx.skip(disk.reason);
    const d: SmallDisk = disk.value;
    t = await startTestCore({ settingsOverride: noRateLimit }, path.join(d.dir, 'full'));
    const before = await Promise.all(Array.from({ length: 10 }, () => optin(t!)));
    expect(before.map((s) => s.status)).toEqual(Array(10).fill(202));

    d.fill();
    const sent = await sendUntilRefused(t);
    expectRefusalsExplained(sent, /the disk is full/);
    expectAnswersMatchStorage(t, sent);
    const down = await status(t);
    expect(down.storage).toMatchObject({ ok: false, error: 'the disk is full' });
    // The process stays up and says so.
    expect((await fetch(t.url('/health'))).status).toBe(200);

    d.free();
    const again = await optin(t);
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect((await status(t)).storage).toMatchObject({ ok: true, error: null });
    // A sender retrying what was refused is now accepted, and stored once.
    const refused = sent.filter((s) => s.status === 503);
    const retried = await Promise.all(refused.map((s) => optin(t!, 16, s.key)));
    expect(retried.map((r) => r.status)).toEqual(refused.map(() => 202));
    expectAnswersMatchStorage(t, [...before, ...sent.filter((s) => s.status === 202), ...retried, again]);
    // Nothing acknowledged is lost: after a restart at the latest every opt-in has its lead and runs
    // (without a restart, see the known defect below).
    await t.restart();
    await expectFlowsCaughtUp(t, [...before, ...sent, ...retried, again]);
  }, 120_000);
});

describe('a data folder that refuses writes', () => {
  const base = tempDir('leadbell-readonly-');
  const immutable = immutableRefusesWrites(base);
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('while running: 503 naming the storage problem and storage.ok=false; accepted again once writable', async (ctx) => {
    if (!immutable.ok) return ctx.skip(immutable.reason);
    const dir = path.join(base, 'readonly');
    t = await startTestCore({ settingsOverride: noRateLimit }, dir);
    const before = await optin(t, 100);
    expect(before.status).toBe(202);
    // The files SQLite writes through (the shared-memory index excepted: it is mapped memory).
    const locked = [dir, path.join(dir, DB_FILE), path.join(dir, `${DB_FILE}-wal`)].filter((p) => fs.existsSync(p));
    setImmutable(locked, true);
    let sent: Sent[];
    try {
      sent = await sendUntilRefused(t, 5, 200);
      const down = await status(t);
      expect(down.storage.ok).toBe(false);
      expect(down.storage.error).toMatch(/read-only|input\/output error/);
      expectRefusalsExplained(sent, /read-only|input\/output error/);
    } finally {
      setImmutable(locked, false);
    }
    const again = await optin(t, 100);
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect((await status(t)).storage).toMatchObject({ ok: true, error: null });
    expectAnswersMatchStorage(t, [before, ...sent, again]);
    await t.restart();
    await expectFlowsCaughtUp(t, [before, ...sent, again]);
  }, 60_000);

  it('at start-up: the core refuses to start with a message naming the read-only folder', async (ctx) => {
    if (!immutable.ok) return ctx.skip(immutable.reason);
    const dir = path.join(base, 'startup');
    const first = await startTestCore({}, dir);
    await first.stop();
    const locked = [dir, ...fs.readdirSync(dir).map((f) => path.join(dir, f))];
    setImmutable(locked, true);
    try {
      const started = startTestCore({}, dir);
      await expect(started).rejects.toThrow(`The data folder ${dir} is read-only`);
      await expect(started).rejects.toThrow(/LEADBELL_DATA_DIR/);
    } finally {
      setImmutable(locked, false);
    }
    // Writable again: it starts, with everything it had.
    t = await startTestCore({}, dir);
    expect((await status(t)).storage.ok).toBe(true);
  }, 30_000);

  // The engine's write of the event's runs fails while the disk refuses writes; the event stays
  // undispatched and the engine reads its backlog again until storage recovers.
  it('an event acknowledged just before the disk refused writes still runs its flows when it recovers, without a restart', async (ctx) => {
    if (!immutable.ok) return ctx.skip(immutable.reason);
    const dir = path.join(base, 'between');
    t = await startTestCore({ settingsOverride: noRateLimit }, dir);
    expect((await optin(t, 100)).status).toBe(202);
    const locked = [dir, path.join(dir, DB_FILE), path.join(dir, `${DB_FILE}-wal`)].filter((p) => fs.existsSync(p));
    // The moment the next event is committed (and acknowledged), before the engine writes its runs.
    let armed = true;
    const unsubscribe = t.core.live.subscribe((u) => {
      if (armed && u.topic === 'event') {
        armed = false;
        setImmutable(locked, true);
      }
    });
    let caught: Sent;
    try {
      caught = await optin(t, 100);
      expect(caught.status).toBe(202);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      unsubscribe();
      setImmutable(locked, false);
    }
    expect(armed).toBe(false);
    expectAnswersMatchStorage(t, [caught]);
    expect(t.logs.some((l) => l.includes('an event could not be dispatched'))).toBe(true);
    await expectFlowsCaughtUp(t, [caught], 10_000);
  }, 60_000);
});
