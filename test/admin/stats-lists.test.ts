/**
 * Home's "today" tiles open lists filtered from the same moment: each number must be the total of
 * the list it opens. Real core, real SQLite file, requests over loopback HTTP; a few rows are moved
 * to yesterday so the filters have something to leave out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.stop());

const total = async (path: string): Promise<number> => {
  const r = await t.api('GET', path);
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body.total as number;
};

describe("today's numbers and the lists they open", () => {
  it('each tile counts exactly the rows its list shows from the same moment', async () => {
    const hook = (endpoint: string, body: unknown) => post(t.url(`/api/webhooks/${endpoint}`), body);
    for (const name of ['ada', 'bo', 'cy', 'old']) expect((await hook('lead-optin', { email: `${name}@example.com`, first_name: name })).status).toBe(202);
    expect((await hook('assessment', { email: 'ada@example.com', score: 93 })).status).toBe(202);
    expect((await hook('assessment', { email: 'bo@example.com', score: 41 })).status).toBe(202);
    expect((await hook('assessment', { email: 'old@example.com', score: 88 })).status).toBe(202);
    // An opt-in without an email: its automation cannot run, and the run fails.
    expect((await hook('events', { event: 'lead.opted_in', id: 'no-email-1', payload: { first_name: 'Nomail' } })).status).toBe(202);
    // Refused: counted by neither tile, though Events lists it under "Refused".
    expect((await hook('lead-optin', { first_name: 'No address' })).status).toBe(422);

    await until('the failed run', async () => (await total('/api/runs?status=failed')) > 0);
    await until('the hot leads', async () => (await total('/api/leads?status=hot')) === 2);

    // Yesterday's rows: the old lead (hot), one failed run, one received request.
    const yesterday = new Date(Date.now() - 36 * 3_600_000).toISOString();
    const db = t.core.db;
    db.prepare("UPDATE leads SET created_at = ?, updated_at = ? WHERE email = 'old@example.com'").run(yesterday, yesterday);
    db.prepare("UPDATE runs SET created_at = ? WHERE id = (SELECT id FROM runs WHERE status = 'failed' LIMIT 1)").run(yesterday);
    db.prepare("UPDATE inbox SET received_at = ? WHERE id = (SELECT min(id) FROM inbox WHERE outcome = 'accepted')").run(yesterday);
    // A failed run of today, so the failed tile has something to count after the move.
    expect((await hook('events', { event: 'lead.opted_in', id: 'no-email-2', payload: { first_name: 'Nomail' } })).status).toBe(202);

    // Runs may still be finishing: compare numbers and lists read together until they settle.
    const read = async () => {
      const s = await t.api('GET', '/api/stats');
      expect(contract.getStats.output.safeParse(s.body).success).toBe(true);
      const { since, ...today } = s.body.today as { since: string; new_leads: number; hot_leads: number; events: number; failed_runs: number };
      const q = encodeURIComponent(since);
      const lists = {
        new_leads: await total(`/api/leads?created_since=${q}`),
        hot_leads: await total(`/api/leads?status=hot&updated_since=${q}`),
        events: await total(`/api/requests?outcome=accepted&since=${q}`),
        failed_runs: await total(`/api/runs?failed=true&since=${q}`),
      };
      return { today, lists };
    };
    const settled = await until('numbers and lists to agree', async () => {
      const r = await read();
      return JSON.stringify(r.today) === JSON.stringify(r.lists) && r.today.failed_runs > 0 && r;
    });
    expect(settled.today).toMatchObject({ new_leads: 3, hot_leads: 1 });
    expect(settled.today.events).toBeGreaterThanOrEqual(6);

    // Without the moment, yesterday's rows are listed too: the filter is what makes them agree.
    expect(await total('/api/leads')).toBe(4);
    expect(await total('/api/leads?status=hot')).toBe(2);
    expect(await total('/api/requests?outcome=accepted')).toBe(settled.today.events + 1);
    expect(await total('/api/runs?failed=true')).toBe(settled.today.failed_runs + 1);
  });

  it('a moment with an offset means the same instant; a malformed one is refused by name', async () => {
    const utc = await total(`/api/leads?created_since=${encodeURIComponent('2000-01-01T00:00:00.000Z')}`);
    expect(await total(`/api/leads?created_since=${encodeURIComponent('2000-01-01T02:00:00+02:00')}`)).toBe(utc);
    const bad = await t.api('GET', '/api/runs?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('since');
  });
});
