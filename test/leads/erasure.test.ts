/**
 * Erasing a person (a privacy request) and exporting everything held about them (an access
 * request), against a real core, real SQLite files and the vendor fakes: after the erasure and a
 * WAL checkpoint the raw database and WAL files hold no byte of their email, name or phone; each
 * connected app gets its erasure call once; the record kept says what was done, with no personal data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../shared/api/models.js';
import { DB_FILE } from '../../electron/core/storage/database.js';
import { startWorld, type World } from '../engine/world.js';

const PERSON = {
  email: 'zebedee.quillfeather@salon.example',
  first_name: 'Zebedee',
  last_name: 'Quillfeather',
  phone: '+44 7911 123987',
  visitor_id: 'visitor-zq-5521',
  segment: 'beauty-salon',
};
const NEEDLES = [PERSON.email, PERSON.first_name, PERSON.last_name, PERSON.phone];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let w: World;
let lead: Lead;
beforeAll(async () => {
  w = await startWorld();
  await w.send('lead-optin', PERSON);
  await w.send('assessment', { email: PERSON.email, first_name: PERSON.first_name, score: 92 });
  await w.send('sales-page-visit', { visitor_id: PERSON.visitor_id, page_url: 'https://salon.example/prices', duration: 95, email: PERSON.email });
  await w.settle();
  lead = (await w.tc.api('GET', `/api/leads/${PERSON.email}`)).body.lead;
  await w.tc.api('POST', `/api/leads/${lead.id}/notes`, { text: `Zebedee Quillfeather rang from ${PERSON.phone}` });
  await w.tc.api('POST', `/api/leads/${lead.id}/reminders`, { at: new Date(Date.now() + 86_400_000).toISOString(), text: 'Call Zebedee' });
  // Someone else, who must not be touched.
  await w.send('lead-optin', { email: 'other@salon.example', first_name: 'Olive' });
  await w.settle();
});
afterAll(() => w.stop());

/** Which of the needles the raw file holds (as bytes, case kept). */
function found(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const bytes = fs.readFileSync(file);
  return NEEDLES.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}
const files = () => [path.join(w.tc.dataDir, DB_FILE), path.join(w.tc.dataDir, `${DB_FILE}-wal`)];
const checkpoint = () => w.tc.core.db.pragma('wal_checkpoint(TRUNCATE)');

describe('export of a person', () => {
  it('holds the lead, its events and the requests they came in, runs with steps, notes, reminders', async () => {
    const r = await w.tc.api('GET', `/api/leads/${lead.id}/export`);
    expect(r.status).toBe(200);
    expect(r.body.filename).toMatch(/^leadbell-person-\d{4}-\d{2}-\d{2}\.json$/);
    const p = r.body.person;
    expect(p.lead).toMatchObject({ email: PERSON.email, phone: PERSON.phone });
    expect(p.events.map((e: { event: string }) => e.event).sort()).toEqual(['lead.assessment_complete', 'lead.opted_in', 'visitor.sales_page_visit']);
    expect(p.requests).toHaveLength(3);
    expect(p.requests[0].body).toContain(PERSON.email);
    expect(p.runs.length).toBeGreaterThanOrEqual(4);
    expect(p.runs[0].steps.length).toBeGreaterThan(0);
    expect(p.notes_and_changes.some((n: { text: string | null }) => n.text?.includes('rang'))).toBe(true);
    expect(p.reminders).toHaveLength(1);
    expect(p.visitor).toMatchObject({ id: PERSON.visitor_id });
    expect(JSON.stringify(p)).not.toContain('other@salon.example');
    expect((await w.tc.api('GET', '/api/leads/nobody@x.example/export')).status).toBe(404);
  });
});

describe('erasing a person', () => {
  it('leaves no byte of their email, name or phone in the database or WAL files, and calls each app once', async () => {
    expect(lead.notion_page_id).toEqual(expect.any(String));
    expect(w.fakes.loops.contacts.has(PERSON.email)).toBe(true);
    const audience = [...w.fakes.meta.audiences.values()].find((a) => a.members.get('EMAIL_SHA256')!.has(sha(PERSON.email)))!;
    expect(audience).toBeDefined();
    expect((await w.tc.api('PUT', '/api/secrets/backup.passphrase', { value: 'a long enough passphrase' })).status).toBe(200);
    const backup = await w.tc.api('POST', '/api/backup', { name: 'before-erasure.lbk' });
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    // The test can fail: before the erasure the files hold every needle.
    checkpoint();
    expect(found(files()[0]!).sort()).toEqual([...NEEDLES].sort());

    const r = await w.tc.api('DELETE', `/api/leads/${lead.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.backups).toEqual([{ name: backup.body.name, made_at: backup.body.created_at }]);
    expect(r.body.erasure.removed).toMatchObject({ events: 3, requests: 3, notes: 1 });
    expect(r.body.erasure.calls.map((c: { app: string }) => c.app).sort()).toEqual(['loops', 'meta', 'notion']);
    await w.tc.core.erasures.idle();

    expect(w.fakes.loops.deletes).toEqual([{ email: PERSON.email, found: true }]);
    expect(w.fakes.notion.trashed).toEqual([{ id: lead.notion_page_id, wasInTrash: false }]);
    expect(w.fakes.notion.pagesWithEmail(PERSON.email).every((p) => p.in_trash)).toBe(true);
    expect(w.fakes.meta.removals.length).toBe(w.fakes.meta.audiences.size);
    expect(audience.members.get('EMAIL_SHA256')!.has(sha(PERSON.email))).toBe(false);

    const list = await w.tc.api('GET', '/api/erasures');
    const record = list.body.items[0];
    expect(record).toMatchObject({ id: r.body.erasure.id, finished_at: expect.any(String) });
    expect(record.calls.map((c: { status: string; outcome: string }) => [c.status, c.outcome])).toEqual([
      ['done', 'erased'],
      ['done', 'erased'],
      ['done', 'erased'],
    ]);
    for (const needle of NEEDLES) expect(JSON.stringify(list.body)).not.toContain(needle);

    expect((await w.tc.api('GET', `/api/leads/${lead.id}`)).status).toBe(404);
    expect((await w.tc.api('GET', `/api/events?search=${encodeURIComponent(PERSON.email)}`)).body.total).toBe(0);
    expect((await w.tc.api('GET', `/api/runs?lead_id=${lead.id}`)).body.total).toBe(0);
    expect((await w.tc.api('GET', '/api/leads/other@salon.example')).status).toBe(200);

    checkpoint();
    for (const file of files()) expect(found(file), file).toEqual([]);
    // The other lead is all there.
    expect(found(files()[0]!).length).toBe(0);
    expect(fs.readFileSync(files()[0]!).includes(Buffer.from('other@salon.example'))).toBe(true);
  });

  it('refuses an unknown lead', async () => {
    expect((await w.tc.api('DELETE', '/api/leads/no-such-lead')).status).toBe(404);
  });
});
