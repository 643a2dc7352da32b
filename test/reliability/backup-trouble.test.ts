/**
 * Backups under trouble: killed with SIGKILL part-way, written to a disk that fills up, or to a
 * folder that refuses writes. Each time the database and the earlier backups stay whole, and the
 * owner is told in words. The full disk is a small tmpfs and the refusing folder uses the
 * immutable attribute (root ignores modes); where the machine cannot do that, the test is skipped
 * with the reason.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/api/models.js';
import { readBackupFile } from '../../electron/core/storage/backup-file.js';
import { PARTIAL_PREFIX } from '../../electron/core/storage/backup-folder.js';
import { inspectCopy } from '../../electron/core/storage/backup.js';
import { startTestCore, tempDir, type TestCore } from '../helpers/core.js';
import { setImmutable, smallDisk } from './support/disk.js';

const PASSPHRASE = 'a long enough passphrase';

function seed(t: TestCore, n: number): void {
  const lead = t.core.db.prepare("INSERT INTO leads (id, email, created_at, updated_at) VALUES (?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
  t.core.db.transaction(() => {
    for (let i = 0; i < n; i++) lead.run(`l-${i}`, `person${i}-${'x'.repeat(200)}@example.com`);
  })();
}

const partials = (folder: string) => fs.readdirSync(folder).filter((n) => n.startsWith(PARTIAL_PREFIX));
const backupsIn = (folder: string) => fs.readdirSync(folder).filter((n) => n.endsWith('.lbk')).sort();

let t: TestCore;
const shown: Notification[] = [];
beforeAll(async () => {
  t = await startTestCore({ notify: (n) => shown.push(n) });
  seed(t, 20_000);
  expect((await t.api('PUT', '/api/secrets/backup.passphrase', { value: PASSPHRASE })).status).toBe(200);
});
afterAll(async () => t?.stop());

describe('a backup killed part-way (SIGKILL)', () => {
  it('leaves the earlier backups and the database whole; the next backup clears what it left', async () => {
    const folder = tempDir('leadbell-backups-');
    expect((await t.api('PUT', '/api/settings', { backup: { folder } })).status).toBe(200);
    const earlier = await t.api('POST', '/api/backup', {});
    expect(earlier.status).toBe(200);
    const earlierBytes = fs.readFileSync(earlier.body.path);
    const dbBefore = inspectCopy(path.join(t.dataDir, 'leadbell.db'));

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support/backup-child.ts'), t.dataDir, folder, PASSPHRASE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Killed while the encrypted file is being written to the backup folder.
    for (let i = 0; i < 3000 && partials(folder).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(partials(folder), stderr).toHaveLength(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(fs.readFileSync(earlier.body.path).equals(earlierBytes)).toBe(true);
    const listed = (await t.api('GET', '/api/backups')).body.items as { name: string; problem: string | null }[];
    expect(listed.find((b) => b.name === earlier.body.name)?.problem).toBeNull();
    expect(listed.some((b) => b.name.startsWith(PARTIAL_PREFIX))).toBe(false);
    const check = path.join(tempDir(), 'check.db');
    await readBackupFile(earlier.body.path, check, PASSPHRASE);
    expect(inspectCopy(check)).toMatchObject({ leads: 20_000 });
    expect(inspectCopy(path.join(t.dataDir, 'leadbell.db'))).toEqual(dbBefore);

    const next = await t.api('POST', '/api/backup', {});
    expect(next.status).toBe(200);
    expect(partials(folder)).toEqual([]);
  });
});

describe('a backup folder in trouble', () => {
  const disk = smallDisk(3 * 1024 * 1024);
  afterAll(() => disk.ok && disk.value.unmount());

  it('a full disk: refused in words, earlier backups untouched, nothing half-written left', async (ctx) => {
    if (!disk.ok) return ctx.skip(disk.reason);
    const small = await startTestCore();
    try {
      await small.api('PUT', '/api/secrets/backup.passphrase', { value: PASSPHRASE });
      expect((await small.api('PUT', '/api/settings', { backup: { folder: disk.value.dir } })).status).toBe(200);
      const first = await small.api('POST', '/api/backup', {});
      expect(first.status).toBe(200);
      const firstBytes = fs.readFileSync(first.body.path);
      disk.value.fill();
      const r = await small.api('POST', '/api/backup', {});
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(
        `The disk holding ${disk.value.dir} is full, so the backup was not made. Free some space there or choose another folder. Earlier backups are untouched.`,
      );
      expect(fs.readFileSync(first.body.path).equals(firstBytes)).toBe(true);
      expect(partials(disk.value.dir)).toEqual([]);
      expect(backupsIn(disk.value.dir)).toEqual([first.body.name]);
      disk.value.free();
      expect((await small.api('POST', '/api/backup', {})).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it('a folder that refuses writes: refused in words; a scheduled backup that fails rings once', async (ctx) => {
    const folder = tempDir('leadbell-backups-');
    expect((await t.api('PUT', '/api/settings', { backup: { folder } })).status).toBe(200);
    try {
      setImmutable([folder], true);
    } catch (e) {
      return ctx.skip(`cannot set the immutable attribute here (${(e as Error).message.split('\n')[0]})`);
    }
    try {
      const r = await t.api('POST', '/api/backup', {});
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(`Leadbell may not write to ${folder}. Choose another folder, or allow Leadbell to write there.`);
      const chosen = await t.api('PUT', '/api/settings', { backup: { folder } });
      expect(chosen.status).toBe(400);
      expect(chosen.body.error.fields[0]).toEqual({ path: 'backup.folder', message: r.body.error.message });

      shown.length = 0;
      expect(await t.core.backups.tick()).toBe('failed');
      expect(await t.core.backups.tick()).toBe('not_due');
      expect(shown.map((n) => [n.kind, n.title, n.body])).toEqual([['failure', 'A scheduled backup was not made', r.body.error.message]]);
    } finally {
      setImmutable([folder], false);
    }
  });
});
