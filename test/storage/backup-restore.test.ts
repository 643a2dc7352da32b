/**
 * Backups that restore: 10,000 leads backed up on a schedule (the backups' clock moved by hand),
 * restored with the CLI into a fresh data folder and started there, every lead and event
 * present; a wrong passphrase, a damaged or cut file and one from a newer Leadbell refused in
 * words with nothing changed; a restore through the API keeps a safety copy and restarts the core.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCli } from '../../electron/core/cli/restore.js';
import { startCoreHost, type CoreHost } from '../../electron/core/core-host.js';
import { startAdminServer, type AdminServer } from '../../electron/core/admin/admin-server.js';
import { writeBackupFile } from '../../electron/core/storage/backup-file.js';
import { SCHEMA_VERSION } from '../../electron/core/storage/backup-restore.js';
import { inspectCopy } from '../../electron/core/storage/backup.js';
import type { Db } from '../../electron/core/storage/database.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { ManualClock } from '../engine/world.js';

const LEADS = 10_000;
const PASSPHRASE = 'correct horse battery staple';
const HOUR = 3_600_000;

function seed(db: Db, n: number, prefix = 'lead'): void {
  const lead = db.prepare(
    "INSERT INTO leads (id, email, first_name, stage, status, created_at, updated_at) VALUES (?, ?, ?, 'opted_in', 'new', ?, ?)",
  );
  const event = db.prepare(
    `INSERT INTO events (id, event, occurred, received_at, source, resource_id, resource_json, payload_json, dispatched)
     VALUES (?, 'lead.opted_in', ?, ?, 'webhook', ?, '{}', ?, 1)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      lead.run(`${prefix}-${i}`, `${prefix}${i}@example.com`, `Name ${i}`, at, at);
      event.run(`evt-${prefix}-${i}`, at, at, `${prefix}-${i}`, JSON.stringify({ email: `${prefix}${i}@example.com` }));
    }
  })();
}

const allLeads = (db: Db) => db.prepare('SELECT id, email, first_name FROM leads ORDER BY id').all();
const allEvents = (db: Db) => db.prepare('SELECT id, event, payload_json FROM events ORDER BY id').all();

function io(env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  return {
    io: {
      env,
      stdin: Readable.from([]),
      out: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
      err: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    },
    text: () => ({ out, err }),
  };
}

let t: TestCore;
let folder: string;
const clock = new ManualClock(Date.parse('2026-03-02T09:00:00.000Z'));
beforeAll(async () => {
  t = await startTestCore({ backup: { clock: clock.now } });
  folder = tempDir('leadbell-backups-');
  seed(t.core.db, LEADS);
});
afterAll(async () => t?.stop());

describe('scheduled backups', () => {
  it('wait for a passphrase, then run daily and keep the last N', async () => {
    expect(await t.core.backups.tick()).toBe('needs_passphrase');
    expect((await t.api('PUT', '/api/settings', { backup: { folder, keep: 2 } })).status).toBe(200);
    expect((await t.api('PUT', '/api/secrets/backup.passphrase', { value: PASSPHRASE })).status).toBe(200);

    expect(await t.core.backups.tick()).toBe('made');
    expect(await t.core.backups.tick()).toBe('not_due');
    clock.advance(23 * HOUR);
    expect(await t.core.backups.tick()).toBe('not_due');
    clock.advance(1 * HOUR);
    expect(await t.core.backups.tick()).toBe('made');
    clock.advance(24 * HOUR);
    expect(await t.core.backups.tick()).toBe('made');

    const view = (await t.api('GET', '/api/backups')).body;
    expect(view.items).toHaveLength(2);
    expect(view.items.map((b: { created_at: string }) => b.created_at)).toEqual(['2026-03-04T09:00:00.000Z', '2026-03-03T09:00:00.000Z']);
    expect(view.items[0]).toMatchObject({ leads: LEADS, events: LEADS, problem: null, newer: false });
    expect(view.next_due_at).toBe('2026-03-05T09:00:00.000Z');
    expect(view.last).toMatchObject({ ok: true });
    // Encrypted: not one lead's address is readable in the file.
    const bytes = fs.readFileSync(path.join(folder, view.items[0].name));
    expect(bytes.includes(Buffer.from('lead42@example.com'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
  });

  it('restore into a fresh data folder with the CLI: every lead and event is there', async () => {
    const newest = (await t.api('GET', '/api/backups')).body.items[0].name as string;
    const fresh = tempDir('leadbell-fresh-');
    const cli = io({ LEADBELL_DATA_DIR: fresh, LEADBELL_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(await restoreCli([path.join(folder, newest)], cli.io), cli.text().err).toBe(0);
    expect(cli.text().out).toContain(`${LEADS} leads, ${LEADS} events`);

    const restored = await startTestCore({}, fresh);
    try {
      expect(allLeads(restored.core.db)).toEqual(allLeads(t.core.db));
      expect(allEvents(restored.core.db)).toEqual(allEvents(t.core.db));
      expect((await restored.api('GET', '/api/leads?limit=1')).body.total).toBe(LEADS);
    } finally {
      await restored.stop();
    }
  });

  it('a wrong passphrase, a damaged file and a cut file are refused in words; nothing changes', async () => {
    const name = (await t.api('GET', '/api/backups')).body.items[0].name as string;
    const before = inspectCopy(path.join(t.dataDir, 'leadbell.db'));
    const wrong = await t.api('POST', '/api/backups/restore', { name, passphrase: 'not the passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('That passphrase does not open this backup. Nothing was changed. Check it and try again.');

    const good = fs.readFileSync(path.join(folder, name));
    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x20;
    fs.writeFileSync(path.join(folder, 'flipped.lbk'), flipped);
    fs.writeFileSync(path.join(folder, 'cut.lbk'), good.subarray(0, good.length - 4096));
    for (const bad of ['flipped.lbk', 'cut.lbk']) {
      const r = await t.api('POST', '/api/backups/restore', { name: bad, passphrase: PASSPHRASE });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.message, bad).toMatch(/^This backup file is damaged \(.+\), so it cannot be restored\. Nothing was changed\./);
    }
    fs.writeFileSync(path.join(folder, 'notes.lbk'), 'shopping list');
    const listed = (await t.api('GET', '/api/backups')).body.items as { name: string; problem: string | null }[];
    expect(listed.find((b) => b.name === 'notes.lbk')?.problem).toBe('This file is not a Leadbell backup.');

    // The CLI refuses the same way, and the fresh folder is left empty.
    const fresh = tempDir('leadbell-fresh-');
    const cli = io({ LEADBELL_DATA_DIR: fresh, LEADBELL_BACKUP_PASSPHRASE: 'wrong wrong wrong' });
    expect(await restoreCli([path.join(folder, name)], cli.io)).toBe(1);
    expect(cli.text().err).toContain('That passphrase does not open this backup');
    expect(fs.readdirSync(fresh)).toEqual([]);

    expect(inspectCopy(path.join(t.dataDir, 'leadbell.db'))).toEqual(before);
    expect(fs.existsSync(path.join(t.dataDir, 'restore'))).toBe(false);
    for (const f of ['flipped.lbk', 'cut.lbk', 'notes.lbk']) fs.rmSync(path.join(folder, f));
  });

  it('a backup from a newer Leadbell is refused in words', async () => {
    const plain = path.join(tempDir(), 'copy.db');
    await t.core.db.backup(plain);
    const future = path.join(folder, 'from-the-future.lbk');
    await writeBackupFile(plain, future, { created_at: new Date().toISOString(), app_version: '9.0.0', schema_version: SCHEMA_VERSION + 1, leads: LEADS, events: LEADS }, PASSPHRASE);
    const view = (await t.api('GET', '/api/backups')).body.items.find((b: { name: string }) => b.name === 'from-the-future.lbk');
    expect(view).toMatchObject({ newer: true, app_version: '9.0.0' });
    const r = await t.api('POST', '/api/backups/restore', { name: 'from-the-future.lbk', passphrase: PASSPHRASE });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe('This backup was made by a newer Leadbell (version 9.0.0). Update Leadbell on this computer, then restore it. Nothing was changed.');
    fs.rmSync(future);
  });

  it('a folder Leadbell cannot write to is refused when chosen, naming it', async () => {
    const missing = path.join(folder, 'unplugged-usb');
    const r = await t.api('PUT', '/api/settings', { backup: { folder: missing } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'backup.folder', message: `The backup folder ${missing} is not there (is the disk plugged in?). Plug it in or choose another folder.` }]);
    const relative = await t.api('PUT', '/api/settings', { backup: { folder: 'Dropbox/Leadbell' } });
    expect(relative.status).toBe(400);
    expect(relative.body.error.fields[0].path).toBe('backup.folder');
    expect((await t.api('GET', '/api/settings')).body.settings.backup.folder).toBe(folder);
  });

  it('without a passphrase, "Back up now" says to set one', async () => {
    const other = await startTestCore();
    try {
      const r = await other.api('POST', '/api/backup', {});
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe("Set a backup passphrase first: backups hold every lead's details, so they are always encrypted.");
      const short = await other.api('PUT', '/api/secrets/backup.passphrase', { value: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.error.message).toBe('The backup passphrase must be at least 8 characters');
    } finally {
      await other.stop();
    }
  });
});

describe('restore through the API', () => {
  let host: CoreHost;
  let admin: AdminServer;
  let dataDir: string;
  const token = 'test-admin-token-0123456789';
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${admin.port}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  beforeAll(async () => {
    dataDir = tempDir();
    host = await startCoreHost({ dataDir, mode: 'headless', listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 } });
    admin = await startAdminServer({ handlers: host.handlers, live: host.live, token, port: 0, log: host.core.log });
  });
  afterAll(async () => {
    await admin?.close();
    await host?.stop();
  });

  it('keeps a safety copy of the current data, swaps the file and restarts the core on it', async () => {
    const own = tempDir('leadbell-backups-');
    seed(host.core.db, 50, 'early');
    expect((await api('PUT', '/api/settings', { backup: { folder: own } })).status).toBe(200);
    expect((await api('PUT', '/api/secrets/backup.passphrase', { value: PASSPHRASE })).status).toBe(200);
    const made = await api('POST', '/api/backup', {});
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ leads: 50, events: 50 });
    seed(host.core.db, 7, 'late');
    const beforeCore = host.core;

    const r = await api('POST', '/api/backups/restore', { name: made.body.name });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ leads: 50, events: 50, restarting: true });
    // Requests wait for the restart, then reach the restored data.
    const leads = await api('GET', '/api/leads?limit=1');
    expect(host.core).not.toBe(beforeCore);
    expect(leads.body.total).toBe(50);
    expect(allLeads(host.core.db).some((l) => (l as { id: string }).id.startsWith('late-'))).toBe(false);

    const safety = path.join(r.body.safety_copy, 'leadbell.db');
    expect(inspectCopy(safety)).toMatchObject({ leads: 57, events: 57 });
    const notes = (await api('GET', '/api/notifications?limit=5')).body.items;
    expect(notes[0]).toMatchObject({ kind: 'info', title: expect.stringMatching(/^Backup restored: 50 leads from /) });
    expect(notes[0].body).toContain(r.body.safety_copy);
  });
});
