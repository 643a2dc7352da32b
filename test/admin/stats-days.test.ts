/**
 * The Home chart's days are the owner's calendar days, like "new leads today": checked on a real
 * database file by a core process running in a time zone eight hours behind UTC, where an evening
 * sign-up is already the next day in UTC.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.js';
import { LeadStore } from '../../electron/core/storage/lead-store.js';
import { tempDir } from '../helpers/core.js';

const root = path.resolve(import.meta.dirname, '../..');

function statsIn(timeZone: string, dataDir: string, now: string) {
  const script = `
    import { computeStats } from './electron/core/api/stats.ts';
    import { openDatabase } from './electron/core/storage/database.ts';
    const db = openDatabase(${JSON.stringify(dataDir)});
    process.stdout.write(JSON.stringify(computeStats(db, new Date(${JSON.stringify(now)}))));
    db.close();`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, TZ: timeZone }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { today: { new_leads: number }; leads_per_day: { day: string; count: number }[] };
}

describe('leads per day', () => {
  it('counts each lead on its local calendar day, the same day "today" counts it', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const leads = new LeadStore(db);
    const at = (email: string, createdAt: string) => {
      const { lead } = leads.upsert(email, {});
      db.prepare('UPDATE leads SET created_at = ? WHERE id = ?').run(createdAt, lead.id);
    };
    at('morning@example.com', '2026-12-03T17:00:00.000Z'); // 09:00 on Dec 3 in Los Angeles
    at('evening@example.com', '2026-12-04T03:30:00.000Z'); // 19:30 on Dec 3 there, already Dec 4 in UTC
    at('yesterday@example.com', '2026-12-03T07:00:00.000Z'); // 23:00 on Dec 2 there
    db.close();

    const now = '2026-12-04T05:00:00.000Z'; // 21:00 on Dec 3 in Los Angeles
    const la = statsIn('America/Los_Angeles', dir, now);
    expect(la.today.new_leads).toBe(2);
    expect(la.leads_per_day).toHaveLength(30);
    expect(la.leads_per_day.at(-1)).toEqual({ day: '2026-12-03', count: 2 });
    expect(la.leads_per_day.at(-2)).toEqual({ day: '2026-12-02', count: 1 });
    expect(la.leads_per_day[0]!.day).toBe('2026-11-04');

    const utc = statsIn('UTC', dir, now);
    expect(utc.leads_per_day.slice(-2)).toEqual([
      { day: '2026-12-03', count: 2 },
      { day: '2026-12-04', count: 1 },
    ]);
    expect(utc.today.new_leads).toBe(1);
  });
});
