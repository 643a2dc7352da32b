/**
 * Importing a CSV of existing leads through the admin API, into a real SQLite file: columns
 * guessed and mapped, a preview, every bad row listed with its reason, repeats caught, all or
 * nothing, and the welcome flows only when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../shared/api/models.js';
import { startWorld, type World } from '../engine/world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
  w.tc.core.stores.leads.upsert('already@salon.example', { first_name: 'Al' });
});
afterAll(() => w.stop());

const api = (method: string, path: string, body?: unknown) => w.tc.api(method, path, body);

const FILE = [
  '\ufeffE-mail Address,First Name,Surname,Mobile,Tags,Stage',
  'ann@salon.example,Ann,Smith,07700 900001,VIP; colour,booked',
  '"bob@salon.example","Bob ""Bobby""",Jones,,,',
  'not-an-email,Cy,,,,',
  ',Dee,,,,',
  'ANN@salon.example,Ann again,,,,',
  'eve@salon.example,Eve,,,,won',
  'already@salon.example,Alan,,,,',
  `fay@salon.example,${'F'.repeat(201)},,,,`,
].join('\r\n');

describe('importing a CSV', () => {
  it('previews: guessed columns, the first rows as leads, and every bad row with its reason', async () => {
    const r = await api('POST', '/api/leads/import/preview', { csv: FILE });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.mapping).toEqual({ email: 'E-mail Address', first_name: 'First Name', last_name: 'Surname', phone: 'Mobile', tags: 'Tags', owner_stage: 'Stage' });
    expect(r.body).toMatchObject({ total: 8, new_leads: 2, already_leads: 1 });
    expect(r.body.sample[0]).toMatchObject({ row: 2, email: 'ann@salon.example', first_name: 'Ann', last_name: 'Smith', phone: '07700 900001', tags: ['VIP', 'colour'], owner_stage: 'booked' });
    expect(r.body.sample[1]).toMatchObject({ email: 'bob@salon.example', first_name: 'Bob "Bobby"' });
    expect(r.body.errors).toEqual([
      { row: 4, field: 'email', message: 'must be a valid email address' },
      { row: 5, field: 'email', message: 'is required' },
      { row: 6, field: 'email', message: 'repeats ann@salon.example from row 2' },
      { row: 7, field: 'owner_stage', message: '"won" is not one of your stages (new, contacted, booked, customer, lost)' },
      { row: 9, field: 'first_name', message: 'must be at most 200 characters' },
    ]);
    // Nothing is stored by a preview.
    expect((await api('GET', '/api/leads/ann@salon.example')).status).toBe(404);
  });

  it('refuses a mapping to a column the file lacks, or without the email column, by field', async () => {
    const missing = await api('POST', '/api/leads/import/preview', { csv: FILE, mapping: { email: 'Email' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0]).toMatchObject({ path: 'mapping.email', message: expect.stringContaining('names the column "Email", which the file does not have') });
    const noEmail = await api('POST', '/api/leads/import/preview', { csv: FILE, mapping: { first_name: 'First Name' } });
    expect(noEmail.body.error.fields).toEqual([{ path: 'mapping.email', message: 'must name the column that holds the email addresses' }]);
    const broken = await api('POST', '/api/leads/import', { csv: 'email\n"unterminated@x.example\n' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.fields[0].path).toBe('csv');
    expect((await api('POST', '/api/leads/import', { csv: '' })).body.error.fields[0]).toEqual({ path: 'csv', message: 'is empty' });
  });

  it('imports the good rows, lists the bad ones, skips leads already held, and runs no automation by default', async () => {
    const r = await api('POST', '/api/leads/import', { csv: FILE });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ total: 8, imported: 2, updated: 0, already_leads: 1 });
    expect(r.body.errors).toHaveLength(5);
    const ann = (await api('GET', '/api/leads/ann@salon.example')).body.lead as Lead;
    expect(ann).toMatchObject({ first_name: 'Ann', last_name: 'Smith', tags: ['VIP', 'colour'], owner_stage: 'booked', source: 'imported' });
    expect((await api('GET', '/api/leads/already@salon.example')).body.lead.first_name).toBe('Al');
    await w.settle();
    expect((await api('GET', `/api/runs?lead_id=${ann.id}`)).body.total).toBe(0);
    expect(w.fakes.loops.sendsTo('ann@salon.example')).toEqual([]);
    // Again, with existing leads updated: nothing new, two filled in.
    const again = await api('POST', '/api/leads/import', { csv: FILE, existing: 'update' });
    expect(again.body).toMatchObject({ imported: 0, updated: 3, already_leads: 0 });
    expect((await api('GET', '/api/leads/already@salon.example')).body.lead.first_name).toBe('Alan');
  });

  it('runs the welcome flows for the new leads when asked', async () => {
    const r = await api('POST', '/api/leads/import', { csv: 'email,first name\ngil@salon.example,Gil\n', run_automations: true });
    expect(r.body.imported).toBe(1);
    await w.settle();
    expect(w.fakes.loops.sendsTo('gil@salon.example', 'email-1-immediate-cta')).toHaveLength(1);
  });

  it('leaves nothing half-imported when storing fails part-way', async () => {
    const before = (await api('GET', '/api/leads?limit=1')).body.total;
    // A lead that appears between the check and the write makes the insert fail mid-transaction.
    const leads = w.tc.core.stores.leads;
    const original = leads.upsert.bind(leads);
    let n = 0;
    leads.upsert = (...args) => {
      if (++n === 3) throw new Error('disk full');
      return original(...args);
    };
    const rows = ['email', ...Array.from({ length: 5 }, (_, i) => `half${i}@salon.example`)].join('\n');
    const r = await api('POST', '/api/leads/import', { csv: rows });
    leads.upsert = original;
    expect(r.status).toBe(500);
    expect((await api('GET', '/api/leads?limit=1')).body.total).toBe(before);
    expect((await api('GET', '/api/leads/half0@salon.example')).status).toBe(404);
  });
});
