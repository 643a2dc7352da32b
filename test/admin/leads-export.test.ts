/**
 * The CSV export and the Leads list take the same filters (one schema in the contract), so an export
 * holds exactly the leads the list counted; segment and stage match the way the owner writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract.js';
import { startTestCore, type TestCore } from '../helpers/core.js';

const SEEDED = Array.from({ length: 60 }, (_, i) => ({
  email: `export${i}@shop.example`,
  first_name: i % 5 === 0 ? 'Ann' : `Person${i}`,
  status: i % 3 === 0 ? ('hot' as const) : ('cold' as const),
  segment: ['beauty-salon', 'auto-repair', 'fitness', null][i % 4]!,
  stage: Math.floor(i / 4) % 2 ? 'assessment_complete' : 'opted_in',
}));

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  const leads = t.core.stores.leads;
  t.core.db.transaction(() => {
    for (const { email, ...patch } of SEEDED) leads.upsert(email, patch);
  })();
});
afterAll(async () => t.stop());

/** The emails in an export, in its order (email is the first column). */
async function exported(query: string): Promise<string[]> {
  const r = await t.api('GET', `/api/leads-export?${query}`);
  expect(r.status, query).toBe(200);
  const [header, ...rows] = (r.body.csv as string).trim().split('\r\n');
  expect(header).toMatch(/^email,/);
  return rows.map((row) => row.split(',')[0]!);
}

/** Every lead the list finds with the same query, in the export's order. */
async function listed(query: string): Promise<string[]> {
  const r = await t.api('GET', `/api/leads?${query}&limit=1000&sort=created_at&dir=asc`);
  expect(r.status, query).toBe(200);
  return (r.body.items as { email: string }[]).map((l) => l.email);
}

describe('leads export', () => {
  it('takes the list\'s own filter schema', () => {
    const list = Object.keys(contract.listLeads.input.shape);
    const exportKeys = Object.keys(contract.exportLeads.input.shape);
    expect(exportKeys.sort()).toEqual(
      ['created_before', 'created_since', 'owner_stage', 'search', 'segment', 'source', 'stage', 'status', 'tag', 'test_leads', 'updated_since'],
    );
    for (const k of exportKeys) expect(list).toContain(k);
  });

  it('honours segment and stage, alone and with search and status, exactly as the list does', async () => {
    const queries = [
      'segment=beauty-salon',
      'stage=assessment_complete',
      'segment=beauty-salon&stage=assessment_complete',
      'segment=fitness&stage=opted_in&status=hot',
      'search=ann&segment=auto-repair',
      'search=export1&stage=assessment_complete&status=cold',
    ];
    for (const q of queries) {
      const rows = await exported(q);
      expect(rows, q).toEqual(await listed(q));
      expect(rows.length, q).toBeGreaterThan(0);
      expect(rows.length, q).toBeLessThan(60);
    }
    const both = await t.api('GET', '/api/leads-export?segment=beauty-salon&stage=assessment_complete');
    const lines = (both.body.csv as string).trim().split('\r\n');
    const header = lines[0]!.split(',');
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells[header.indexOf('segment')]).toBe('beauty-salon');
      expect(cells[header.indexOf('stage')]).toBe('assessment_complete');
    }
    const expected = SEEDED.filter((l) => l.segment === 'beauty-salon' && l.stage === 'assessment_complete').map((l) => l.email);
    expect(expected.length).toBeGreaterThan(3);
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(expected.sort());
  });

  it('matches segment and stage whatever the case, and with spaces for hyphens or underscores', async () => {
    const exact = await listed('segment=beauty-salon&stage=assessment_complete');
    expect(exact.length).toBeGreaterThan(0);
    for (const q of [
      'segment=Beauty%20Salon&stage=Assessment%20complete',
      'segment=BEAUTY_SALON&stage=assessment-complete',
      'segment=%20beauty-salon%20&stage=ASSESSMENT_COMPLETE',
    ]) {
      expect(await listed(q), q).toEqual(exact);
      expect(await exported(q), q).toEqual(exact);
    }
    // Forgiving, not loose: a part of a name is not the name.
    expect(await listed('segment=beauty')).toEqual([]);
    expect(await exported('stage=assessment')).toEqual([]);
  });

  it('refuses what the list refuses', async () => {
    expect((await t.api('GET', '/api/leads-export?status=lukewarm')).status).toBe(400);
    expect((await t.api('GET', `/api/leads-export?segment=${'x'.repeat(101)}`)).status).toBe(400);
  });
});
