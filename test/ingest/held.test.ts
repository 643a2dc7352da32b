/**
 * Held requests through the real receiver on loopback with a real SQLite file: a lead in a shape
 * Leadbell cannot read is answered 202 {"status":"held"} once it is stored whole, waits unpruned,
 * is mapped by the owner (preview on the sender's requests, then save), and then goes through the
 * automations exactly once each, oldest first; the next request of that shape is read at once.
 * Bad input in a readable shape is still a 422 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRetention } from '../../electron/core/storage/inbox-retention.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  await t.api('PUT', '/api/settings', { receiver: { rate_limit_per_minute: 0 } });
});
afterAll(async () => t.stop());

/** A form tool that sends question/answer pairs, the address as "Name <address>": nothing in it is an email on its own. */
const booking = (name: string, contact: string, notes = '') => ({
  submission: {
    form: 'Spring booking',
    answers: [
      { question: 'Who are you?', answer: name },
      { question: 'How do we reach you?', answer: contact },
      { question: 'Anything else?', answer: notes },
    ],
  },
});
const MAPPING = {
  email: ['submission', 'answers', 1, 'answer'],
  full_name: ['submission', 'answers', 0, 'answer'],
};

const held = async () => (await t.api('GET', '/api/held')).body as { items: any[]; total: number };
const eventsFor = (email: string) =>
  t.core.db.prepare("SELECT seq, inbox_id, idempotency_key FROM events WHERE event = 'lead.opted_in' AND resource_id = ? ORDER BY seq").all(`lead.${email}`) as {
    seq: number;
    inbox_id: number;
    idempotency_key: string;
  }[];

describe('a request in a shape nobody has mapped', () => {
  let shape: string;
  const ids: number[] = [];

  it('is answered 202 held once stored whole, and no event is made of it', async () => {
    const notes = 'Colour and cut, please. '.repeat(300); // bigger than a refusal's 4 KB excerpt
    const r = await post(t.url('/api/webhooks/lead-optin'), booking('Mia Rossi', 'Mia Rossi <mia@salon.example>', notes));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'held' });
    const rows = (await t.api('GET', '/api/requests?outcome=held')).body.items;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 202, outcome: 'held', event_id: null, body_truncated: false });
    expect(JSON.parse(rows[0].body).submission.answers[2].answer).toBe(notes);
    expect(rows[0].reason).toMatch(/show Leadbell which field is the email/);
    ids.push(rows[0].id);
    expect(eventsFor('mia@salon.example')).toEqual([]);
  });

  it('groups the requests from that sender, with the fields of the first to map on', async () => {
    for (const [name, contact] of [
      ['Jo Park', 'Jo Park <jo@salon.example>'],
      ['Ana Lima', 'Ana Lima <ana@salon.example>'],
    ]) {
      const r = await post(t.url('/api/webhooks/lead-optin'), booking(name!, contact!));
      expect(r.body).toEqual({ status: 'held' });
    }
    const h = await held();
    expect(h.total).toBe(3);
    expect(h.items).toHaveLength(1);
    const g = h.items[0];
    expect(g).toMatchObject({ endpoint: 'lead-optin', count: 3, request_id: ids[0] });
    expect(g.fields).toContainEqual({ path: ['submission', 'answers', 1, 'answer'], label: 'submission › answers › item 2 › answer', value: 'Mia Rossi <mia@salon.example>' });
    shape = g.shape;
    ids.push(...((await t.api('GET', '/api/requests?outcome=held')).body.items as { id: number }[]).map((r) => r.id).filter((id) => !ids.includes(id)).sort((a, b) => a - b));
  });

  it('is never pruned while it waits, though it counts toward the inbox size', async () => {
    const later = Date.now() + 400 * 24 * 3600_000;
    const retention = new InboxRetention(t.core.db, () => ({ retention_days: 1, max_mb: 1 }), () => later);
    retention.prune();
    expect((await held()).total).toBe(3);
    expect(retention.usage().other.rows).toBeGreaterThanOrEqual(3);
  });

  it('previews a mapping on the sender\'s requests', async () => {
    const r = await t.api('POST', '/api/mappings/preview', { endpoint: 'lead-optin', shape, mapping: MAPPING });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => [i.lead?.email, i.lead?.first_name, i.lead?.last_name, i.held])).toEqual([
      ['ana@salon.example', 'Ana', 'Lima', true],
      ['jo@salon.example', 'Jo', 'Park', true],
      ['mia@salon.example', 'Mia', 'Rossi', true],
    ]);
    // A wrong pick says what would go wrong, and nothing is saved.
    const wrong = await t.api('POST', '/api/mappings/preview', { endpoint: 'lead-optin', shape, mapping: { email: ['submission', 'form'] } });
    expect(wrong.body.items[0]).toMatchObject({ lead: null, errors: [{ path: 'email', message: 'must be a valid email address' }] });
    expect((await held()).total).toBe(3);
  });

  it('once mapped, every held request goes through exactly once, oldest first', async () => {
    const saved = await t.api('PUT', '/api/mappings', { endpoint: 'lead-optin', shape, mapping: MAPPING });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ endpoint: 'lead-optin', shape, released: 3 });
    expect(saved.body.read_from).toMatchObject({ email: 'submission › answers › item 2 › answer' });
    await t.core.releaser.idle();
    expect((await held()).total).toBe(0);
    const events = ['mia', 'jo', 'ana'].map((n) => eventsFor(`${n}@salon.example`));
    for (const e of events) expect(e).toHaveLength(1);
    // In arrival order: the events' order is the requests' order.
    expect(events.map((e) => e[0]!.inbox_id)).toEqual(ids);
    expect(events.map((e) => e[0]!.seq)).toEqual([...events.map((e) => e[0]!.seq)].sort((a, b) => a - b));
    expect(events[0]![0]!.idempotency_key).toBe(`inbox.${ids[0]}`);
    const req = (await t.api('GET', `/api/requests?outcome=accepted&limit=10`)).body.items.find((r: any) => r.id === ids[0]);
    expect(req).toMatchObject({ outcome: 'accepted', status: 202 });
    expect(req.reason).toMatch(/^Read with the fields you chose: email from “submission › answers › item 2 › answer”/);
    await until('the leads', () => t.core.stores.leads.byEmail('ana@salon.example'));
    expect(t.core.stores.leads.byEmail('mia@salon.example')).toMatchObject({ first_name: 'Mia', last_name: 'Rossi' });

    // Saving again, or a release repeated (as after a crash), changes nothing.
    await t.api('PUT', '/api/mappings', { endpoint: 'lead-optin', shape, mapping: MAPPING });
    await t.core.releaser.resume();
    await t.core.releaser.idle();
    for (const n of ['mia', 'jo', 'ana']) expect(eventsFor(`${n}@salon.example`)).toHaveLength(1);
  });

  it('a later request of that shape is read at once', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), booking('Lu Chen', 'Lu Chen <lu@salon.example>'));
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('accepted');
    const ev = (await t.api('GET', '/api/events?event=lead.opted_in&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ email: 'lu@salon.example', first_name: 'Lu', last_name: 'Chen' });
    expect(ev.payload.mapped_from.email).toBe('submission › answers › item 2 › answer');
  });

  it('a mapped shape with a bad address is a 422 naming the field, as Leadbell\'s own names are', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), booking('Lu Chen', 'Lu Chen <lu@salon>'));
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'email', message: 'must be a valid email address' }]);
  });
});

describe('what is still a 422, not held', () => {
  it('a body in Leadbell\'s own names without an email, or with a typo in it', async () => {
    const missing = await post(t.url('/api/webhooks/lead-optin'), { first_name: 'Mia' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: 'email', message: 'is required' }]);
    const typo = await post(t.url('/api/webhooks/lead-optin'), { email: 'mia@salon' });
    expect(typo.status).toBe(422);
  });

  it('a browser form post still gets the "please check the form" page', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), 'first_name=Mia', {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(r.status).toBe(422);
    expect(r.body).toContain('Please check the form');
    expect(r.body).toContain('email is required');
  });
});

describe('a guess, when nothing else reads the body', () => {
  // One form per language: first, last name, email and phone under that language's usual labels.
  const forms: [string, Record<string, string>][] = [
    ['English', { 'First Name': 'Amy', 'Last Name': 'Stone', 'Your Email': 'amy@gym.example', 'Phone Number': '+1 555 0100' }],
    ['Spanish', { Nombre: 'Lucía', Apellidos: 'García', 'Correo electrónico': 'lucia@peluqueria.example', Teléfono: '+34 600 000 000' }],
    ['French', { Prénom: 'Élodie', Nom: 'Martin', Courriel: 'elodie@salon.example', Téléphone: '+33 6 00 00 00 00' }],
    ['German', { Vorname: 'Jörg', Nachname: 'Schmidt', 'E-Mail-Adresse': 'joerg@werkstatt.example', Telefonnummer: '+49 30 1234' }],
    ['Portuguese', { Nome: 'João', Sobrenome: 'Silva', 'E-mail': 'joao@academia.example', Telefone: '+55 11 0000' }],
    ['Italian', { Nome: 'Giulia', Cognome: 'Bianchi', 'Indirizzo email': 'giulia@palestra.example', Cellulare: '+39 333 000' }],
    ['Dutch', { Voornaam: 'Sanne', Achternaam: 'de Vries', 'E-mailadres': 'sanne@kapper.example', Telefoonnummer: '+31 6 0000' }],
  ];
  it.each(forms)('finds the email, names and phone of a form in %s, and says what it guessed', async (_lang, body) => {
    const r = await post(t.url('/api/webhooks/lead-optin'), { fields: body });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.status).toBe('accepted');
    const values = Object.values(body);
    const ev = (await t.api('GET', '/api/events?event=lead.opted_in&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ first_name: values[0], last_name: values[1], email: values[2], phone: values[3] });
    expect(Object.keys(ev.payload.guessed_from).sort()).toEqual(['email', 'first_name', 'last_name', 'phone']);
    const req = (await t.api('GET', '/api/requests?outcome=accepted&limit=1')).body.items[0];
    expect(req.reason).toMatch(/^Leadbell guessed the fields: email from “fields › /);
  });

  it('a full name is split into first and last', async () => {
    const r = await post(t.url('/api/webhooks/lead-optin'), { contact: { name: 'Priya Nair Das', mail: 'priya@gym.example' } });
    expect(r.status).toBe(202);
    expect(await until('the lead', () => t.core.stores.leads.byEmail('priya@gym.example'))).toMatchObject({
      first_name: 'Priya',
      last_name: 'Nair Das',
    });
  });

  it('an assessment whose ratings are not where Leadbell looks is held, not refused', async () => {
    const r = await post(t.url('/api/webhooks/assessment'), { who: { mail: 'quiz@gym.example' }, q1: 7, q2: 9 });
    expect(r.body).toEqual({ status: 'held' });
    const g = (await held()).items.find((i) => i.endpoint === 'assessment');
    expect(g.reason).toMatch(/ratings or score/);
    const saved = await t.api('PUT', '/api/mappings', { endpoint: 'assessment', shape: g.shape, mapping: { email: ['who', 'mail'], ratings: [['q1'], ['q2']] } });
    expect(saved.body.released).toBe(1);
    await t.core.releaser.idle();
    const ev = (await t.api('GET', '/api/events?event=lead.assessment_complete&limit=1')).body.items[0];
    expect(ev.payload).toMatchObject({ email: 'quiz@gym.example', assessment_data: { q1: 7, q2: 9 } });
  });
});

describe('limits', () => {
  it('held requests have the inbox size as their cap: past it, a 503, never a 2xx', async () => {
    await t.api('PUT', '/api/settings', { inbox: { max_mb: 1 } });
    try {
      const big = (n: number) => ({ upload: { who: `Big ${n}`, note: 'x'.repeat(400_000) } });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await post(t.url('/api/webhooks/lead-optin'), big(i)));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 503, 503]);
      expect(answers[0]!.body).toEqual({ status: 'held' });
      expect(answers[2]!.body.error).toMatch(/waiting to be mapped/);
      expect(answers[2]!.headers.get('retry-after')).toBe('30');
    } finally {
      await t.api('PUT', '/api/settings', { inbox: { max_mb: 100 } });
    }
  });

  it('only lead endpoints are mapped', async () => {
    const r = await t.api('PUT', '/api/mappings', { endpoint: 'sales-page-visit', shape: 'abc', mapping: { email: ['x'] } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/not mapped/);
  });
});
