/**
 * Each sender preset through the real receiver on loopback, with the body and headers the
 * vendor's documentation shows (the URL beside each case; names and addresses are ours): a 2xx,
 * the right event, and a lead with the email and first name. Bookings and purchases also move
 * the lead's stage through their default automations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../shared/api/models.js';
import { googleFormsScript } from '../../shared/landing-kit.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';
import { until } from '../helpers/wait.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
  t.core.stores.settings.update({ receiver: { rate_limit_per_minute: 0 } });
});
afterAll(async () => t.stop());

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
/** WordPress's HTTP client (wp_remote_post) names itself so: WP_Http's default user agent. */
const WORDPRESS = { ...FORM_TYPE, 'user-agent': 'WordPress/6.6.2; https://salon.example' };

/** A multipart/form-data body as a sender writes it: one part per field, files as file parts. */
function multipart(fields: [string, string][], files: { field: string; name: string; type: string; content: string }[] = []) {
  const boundary = '------------------------jotform4f1c';
  const parts = [
    ...fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ...files.map((f) => `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n${f.content}\r\n`),
  ];
  return { body: `${parts.join('')}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const form = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();

async function lead(email: string): Promise<Lead | undefined> {
  const r = await t.api('GET', `/api/leads/${encodeURIComponent(email)}`);
  return r.status === 200 ? r.body.lead : undefined;
}

/** A stored event by its id, from the newest events. */
async function event(id: string) {
  const r = await t.api('GET', '/api/events?limit=20');
  return r.body.items.find((e: { id: string }) => e.id === id);
}

interface Case {
  name: string;
  /** Where the body shape and headers come from. */
  source: string;
  endpoint: string;
  body: string;
  headers: Record<string, string>;
  status: number;
  event: string;
  email: string;
  first_name: string;
  /** The lead's stage once the default automations have run. */
  stage?: string;
  payload?: Record<string, unknown>;
  /** The sender gives no delivery id (nor retries), so the same post twice is two submissions. */
  noDeliveryId?: true;
}

const CASES: Case[] = [
  {
    name: 'Typeform with the refs Typeform made up: the name comes from the question title',
    source: 'https://www.typeform.com/developers/webhooks/example-payload/',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({
      event_id: '01HTFRANDOMREFS0000000001',
      event_type: 'form_response',
      form_response: {
        form_id: 'TZLwUH',
        token: '01HTFRANDOMREFS0000000001',
        landed_at: '2026-11-20T10:00:00Z',
        submitted_at: '2026-11-20T10:01:00Z',
        definition: {
          id: 'TZLwUH',
          title: 'Salon offer',
          fields: [
            { id: 'ReGqDc2VqMX9', title: 'Your First Name:', type: 'short_text', ref: 'ecbb3121-1bc9-42f0-ae29-29aeee5d39d3', properties: {} },
            { id: 'aScWB6tE7lKg', title: 'Your Email Address:', type: 'email', ref: '31c5058f-715a-402a-b5aa-5183d9963484', properties: {} },
            { id: 'vd0HJWiAJM47', title: 'Which treatment?', type: 'multiple_choice', ref: '5424cffb-a8d3-4cdc-a773-d00275c7daa6', properties: {} },
          ],
        },
        answers: [
          { type: 'text', text: 'Laura', field: { id: 'ReGqDc2VqMX9', type: 'short_text', ref: 'ecbb3121-1bc9-42f0-ae29-29aeee5d39d3' } },
          { type: 'email', email: 'laura.tf@example.com', field: { id: 'aScWB6tE7lKg', type: 'email', ref: '31c5058f-715a-402a-b5aa-5183d9963484' } },
          { type: 'choice', choice: { label: 'Colour' }, field: { id: 'vd0HJWiAJM47', type: 'multiple_choice', ref: '5424cffb-a8d3-4cdc-a773-d00275c7daa6' } },
        ],
      },
    }),
    status: 202,
    event: 'lead.opted_in',
    email: 'laura.tf@example.com',
    first_name: 'Laura',
    payload: { which_treatment: 'Colour', source: 'typeform', event_id: '01HTFRANDOMREFS0000000001' },
  },
  {
    name: 'Tally with choice questions: the chosen options by their text',
    source: 'https://tally.so/help/webhooks (Example webhook event)',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({
      eventId: 'a4cb511e-d513-4fa5-baee-b815d718dfd1',
      eventType: 'FORM_RESPONSE',
      createdAt: '2026-11-20T10:00:21.889Z',
      data: {
        responseId: '2wgx4n',
        submissionId: '2wgx4n',
        respondentId: 'dwQKYm',
        formId: 'VwbNEw',
        formName: 'Garage booking',
        createdAt: '2026-11-20T10:00:21.000Z',
        fields: [
          { key: 'question_mVGEg3', label: 'First name', type: 'INPUT_TEXT', value: 'Omar' },
          { key: 'question_nPAkZ0', label: 'Email', type: 'INPUT_EMAIL', value: 'omar.tally@example.com' },
          {
            key: 'question_w4Q2yR',
            label: 'Service',
            type: 'MULTIPLE_CHOICE',
            value: ['5c3ec5d8-c2b0-4b0e-9bd3-b5d7b9b0b1e1'],
            options: [
              { id: '5c3ec5d8-c2b0-4b0e-9bd3-b5d7b9b0b1e1', text: 'MOT' },
              { id: '8d1e3a2c-1f4b-4f7e-9a55-0c4b6d2e9f10', text: 'Tyres' },
            ],
          },
          {
            key: 'question_3EKz4n',
            label: 'Extras',
            type: 'CHECKBOXES',
            value: ['a1', 'b2'],
            options: [
              { id: 'a1', text: 'Wash' },
              { id: 'b2', text: 'Valet' },
            ],
          },
          { key: 'question_3EKz4n_a1', label: 'Extras (Wash)', type: 'CHECKBOXES', value: true },
          { key: 'question_3EKz4n_b2', label: 'Extras (Valet)', type: 'CHECKBOXES', value: true },
          {
            key: 'question_7Rb2kL',
            label: 'Branch',
            type: 'DROPDOWN',
            value: ['c3'],
            options: [{ id: 'c3', text: 'Downtown' }],
          },
        ],
      },
    }),
    status: 202,
    event: 'lead.opted_in',
    email: 'omar.tally@example.com',
    first_name: 'Omar',
    payload: { service: 'MOT', extras: 'Wash, Valet', branch: 'Downtown', source: 'tally' },
  },
  (() => {
    // multipart/form-data with the answers as JSON in rawRequest:
    // https://www.jotform.com/help/245-how-to-setup-a-webhook-with-jotform/ and Jotform's webhook
    // AsyncAPI (github.com/api-evangelist/jotform asyncapi/jotform-asyncapi.yml, example minimalSubmission).
    const m = multipart([
      ['formID', '203112345678901'],
      ['submissionID', '5123456789012345678'],
      ['type', 'WEB'],
      ['formTitle', 'Spring promo'],
      ['pretty', 'Name:Kin Lane, Email:kin.jotform@example.com'],
      ['rawRequest', JSON.stringify({ slug: 'submit/203112345678901/', q3_name: { first: 'Kin', last: 'Lane' }, q4_email: 'kin.jotform@example.com', q5_phoneNumber: { full: '(555) 555-0100' }, event_id: '1700000000000_203112345678901_abc' })],
    ]);
    return {
      name: 'Jotform: multipart, answers as JSON inside the rawRequest field',
      source: 'https://www.jotform.com/help/245-how-to-setup-a-webhook-with-jotform/',
      endpoint: 'lead-optin',
      ...m,
      status: 202,
      event: 'lead.opted_in',
      email: 'kin.jotform@example.com',
      first_name: 'Kin',
      payload: { last_name: 'Lane', phone: '(555) 555-0100', source: 'jotform', event_id: 'jotform:5123456789012345678' },
    };
  })(),
  {
    name: 'Webflow form_submission: fields by their names in payload.data',
    source: 'https://developers.webflow.com/data/reference/webhooks/events/form-submission',
    endpoint: 'lead-optin',
    headers: { ...JSON_TYPE, 'x-webflow-timestamp': String(Date.now()) },
    body: JSON.stringify({
      triggerType: 'form_submission',
      payload: {
        name: 'Contact Us',
        siteId: '65427cf400e02b306eaa049c',
        data: { 'First Name': 'Zaphod', 'Last Name': 'Beeblebrox', email: 'zaphod.webflow@example.com', 'Phone Number': 15550000000 },
        schema: [
          { fieldName: 'First Name', fieldType: 'FormTextInput', fieldElementId: '285042f7-d554-dc7f-102c-aa10d6a2d2c4' },
          { fieldName: 'email', fieldType: 'FormTextInput', fieldElementId: '285042f7-d554-dc7f-102c-aa10d6a2d2c6' },
        ],
        submittedAt: '2026-11-20T10:00:00.000Z',
        id: '6321ca84df3949bfc6752327',
        formId: '65429eadebe8a9f3a30f62d0',
      },
    }),
    status: 202,
    event: 'lead.opted_in',
    email: 'zaphod.webflow@example.com',
    first_name: 'Zaphod',
    payload: { last_name: 'Beeblebrox', phone: '15550000000', source: 'webflow', event_id: 'webflow:6321ca84df3949bfc6752327' },
  },
  {
    // elementor-pro modules/forms/actions/webhook.php: with "Advanced Data" the body is
    // form, fields (each id, type, title, value, raw_value, required) and meta, URL-encoded by WordPress.
    name: 'Elementor Pro, Advanced Data on: fields[email][value] keys; WordPress is answered 200, as Elementor requires',
    source: 'https://github.com/orgs/elementor/discussions/21768; elementor-pro modules/forms/actions/webhook.php',
    endpoint: 'lead-optin',
    headers: WORDPRESS,
    body: form([
      ['form[id]', '3f2b1c4'],
      ['form[name]', 'Salon sign-up'],
      ['fields[name][id]', 'name'],
      ['fields[name][type]', 'text'],
      ['fields[name][title]', 'Name'],
      ['fields[name][value]', 'Ana Costa'],
      ['fields[name][raw_value]', 'Ana Costa'],
      ['fields[name][required]', '0'],
      ['fields[email][id]', 'email'],
      ['fields[email][type]', 'email'],
      ['fields[email][title]', 'Email'],
      ['fields[email][value]', 'ana.elementor@example.com'],
      ['fields[email][raw_value]', 'ana.elementor@example.com'],
      ['fields[email][required]', '1'],
      ['meta[date][title]', 'Date'],
      ['meta[date][value]', 'November 20, 2026'],
      ['meta[page_url][title]', 'Page URL'],
      ['meta[page_url][value]', 'https://salon.example/offer'],
    ]),
    status: 200,
    event: 'lead.opted_in',
    email: 'ana.elementor@example.com',
    first_name: 'Ana',
    payload: { last_name: 'Costa', source: 'elementor' },
    noDeliveryId: true,
  },
  {
    name: 'Elementor Pro, Advanced Data off (the default): each field under its label, plus form_id and form_name',
    source: 'https://github.com/orgs/elementor/discussions/21768; elementor-pro modules/forms/actions/webhook.php',
    endpoint: 'lead-optin',
    headers: WORDPRESS,
    body: form([
      ['Name', 'Bea Silva'],
      ['Email', 'bea.elementor@example.com'],
      ['Message', 'Do you do Saturdays?'],
      ['form_id', '3f2b1c4'],
      ['form_name', 'Salon sign-up'],
    ]),
    status: 200,
    event: 'lead.opted_in',
    email: 'bea.elementor@example.com',
    first_name: 'Bea',
    payload: { message: 'Do you do Saturdays?', source: 'elementor' },
    noDeliveryId: true,
  },
  {
    name: "Google Forms through the landing kit's Apps Script: namedValues, one-element lists",
    source: 'https://developers.google.com/apps-script/guides/triggers/events (Google Sheets form submit: namedValues)',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({
      namedValues: { Timestamp: ['11/20/2026 10:00:00'], 'Email Address': ['gina.gforms@example.com'], 'First name': ['Gina'], 'Which days suit you?': ['Monday', 'Friday'] },
      responseId: '1AbCdEf:7',
      submittedAt: '2026-11-20T10:00:00.000Z',
    }),
    status: 202,
    event: 'lead.opted_in',
    email: 'gina.gforms@example.com',
    first_name: 'Gina',
    payload: { which_days_suit_you: 'Monday, Friday', source: 'google-forms', event_id: 'google-forms:1AbCdEf:7' },
  },
  {
    name: 'Contact Form 7 default form (your-name, your-email) through a webhook add-on',
    source: 'https://github.com/rocklobster-in/contact-form-7/blob/trunk/includes/contact-form-template.php',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({ 'your-name': 'Carl Jensen', 'your-email': 'carl.cf7@example.com', 'your-subject': 'Brakes', 'your-message': 'Squeaky brakes' }),
    status: 202,
    event: 'lead.opted_in',
    email: 'carl.cf7@example.com',
    first_name: 'Carl',
    payload: { last_name: 'Jensen', subject: 'Brakes', message: 'Squeaky brakes', source: 'contact-form-7' },
    noDeliveryId: true,
  },
  {
    name: 'Calendly invitee.created posted to the opt-in address: a booking',
    source: 'https://developer.calendly.com/api-docs/overview/webhooks (invitee.created payload)',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({
      created_at: '2026-11-20T17:51:19.000000Z',
      created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
      event: 'invitee.created',
      payload: {
        cancel_url: 'https://calendly.com/cancellations/AAAAAAAAAAAAAAAA',
        created_at: '2026-11-20T17:51:18.327602Z',
        email: 'dana.calendly@example.com',
        event: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2',
        first_name: 'Dana',
        last_name: 'Lee',
        name: 'Dana Lee',
        new_invitee: null,
        old_invitee: null,
        questions_and_answers: [{ answer: 'Balayage', position: 0, question: 'What would you like done?' }],
        reschedule_url: 'https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA',
        rescheduled: false,
        scheduled_event: { name: 'Consultation', start_time: '2026-11-24T09:00:00.000000Z', end_time: '2026-11-24T09:30:00.000000Z', status: 'active' },
        status: 'active',
        text_reminder_number: '+15550100200',
        timezone: 'America/New_York',
        tracking: { utm_campaign: null, utm_source: null, utm_medium: null, utm_content: null, utm_term: null, salesforce_uuid: null },
        updated_at: '2026-11-20T17:51:18.341657Z',
        uri: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      },
    }),
    status: 202,
    event: 'lead.booked',
    email: 'dana.calendly@example.com',
    first_name: 'Dana',
    stage: 'booked',
    payload: { booking_name: 'Consultation', start_time: '2026-11-24T09:00:00.000000Z', what_would_you_like_done: 'Balayage', phone: '+15550100200', source: 'calendly' },
  },
  {
    name: 'Stripe checkout.session.completed posted to the opt-in address: a purchase',
    source: 'https://docs.stripe.com/api/events/object; https://docs.stripe.com/api/checkout/sessions/object (customer_details)',
    endpoint: 'lead-optin',
    headers: JSON_TYPE,
    body: JSON.stringify({
      id: 'evt_1PVwcnR8QWoDuPnP0eRk39Wn',
      object: 'event',
      api_version: '2024-04-10',
      created: 1_795_000_000,
      livemode: false,
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_test_a1uS9U7mL0zDhvwzkx6k7Yhm',
          object: 'checkout.session',
          amount_subtotal: 4500,
          amount_total: 4500,
          client_reference_id: 'visitor-991',
          currency: 'eur',
          customer: null,
          customer_details: { address: null, email: 'erin.stripe@example.com', name: 'Erin Walsh', phone: '+353851234567', tax_exempt: 'none', tax_ids: [] },
          customer_email: null,
          metadata: { segment: 'beauty-salon' },
          mode: 'payment',
          payment_status: 'paid',
          status: 'complete',
        },
      },
    }),
    status: 202,
    event: 'lead.purchased',
    email: 'erin.stripe@example.com',
    first_name: 'Erin',
    stage: 'customer',
    payload: { amount: 45, currency: 'EUR', visitor_id: 'visitor-991', segment: 'beauty-salon', source: 'stripe', event_id: 'evt_1PVwcnR8QWoDuPnP0eRk39Wn' },
  },
];

describe('sender presets through the receiver', () => {
  it.each(CASES)('$name', async (c) => {
    const r = await post(t.url(`/api/webhooks/${c.endpoint}`), c.body, c.headers);
    expect(r.status, JSON.stringify(r.body)).toBe(c.status);
    expect(r.body.status).toBe('accepted');
    const ev = await event(r.body.event_id);
    expect(ev).toMatchObject({ event: c.event, payload: { email: c.email, first_name: c.first_name, ...c.payload } });
    const l = await until(`the lead ${c.email}`, () => lead(c.email));
    expect(l).toMatchObject({ email: c.email, first_name: c.first_name });
    if (c.stage) await until(`stage ${c.stage}`, async () => (await lead(c.email))?.stage === c.stage);
    // A redelivery of the same request is a duplicate, not a second lead event.
    if (c.noDeliveryId) return;
    const again = await post(t.url(`/api/webhooks/${c.endpoint}`), c.body, c.headers);
    expect(again.body.status).toBe('duplicate');
  });

  it('a Calendly cancellation of that booking moves the lead to Booking canceled', async () => {
    const booked = CASES.find((c) => c.event === 'lead.booked')!;
    const body = JSON.parse(booked.body) as { event: string; payload: Record<string, unknown> };
    body.event = 'invitee.canceled';
    body.payload.status = 'canceled';
    body.payload.cancellation = { canceled_by: 'Dana Lee', canceler_type: 'invitee', reason: 'Away that week' };
    const r = await post(t.url('/api/webhooks/lead-optin'), JSON.stringify(body), JSON_TYPE);
    expect(r.status).toBe(202);
    expect(await event(r.body.event_id)).toMatchObject({ event: 'lead.booking_canceled', payload: { email: 'dana.calendly@example.com', cancel_reason: 'Away that week' } });
    await until('stage booking_canceled', async () => (await lead('dana.calendly@example.com'))?.stage === 'booking_canceled');
  });

  it("Stripe's and Calendly's other event types are acknowledged with 200 and make no event", async () => {
    const before = (await t.api('GET', '/api/events?limit=1')).body.total;
    const stripe = await post(t.url('/api/webhooks/lead-optin'), { id: 'evt_2', object: 'event', type: 'payment_intent.created', data: { object: { id: 'pi_1', object: 'payment_intent' } } });
    expect(stripe.status).toBe(200);
    expect(stripe.body).toEqual({ status: 'ignored', reason: `Stripe's "payment_intent.created" is not a completed checkout: nothing to do` });
    const cal = await post(t.url('/api/webhooks/lead-optin'), { event: 'routing_form_submission.created', created_at: '2026-11-20T10:00:00Z', payload: { submitter: null } });
    expect(cal.status).toBe(200);
    expect((await t.api('GET', '/api/events?limit=1')).body.total).toBe(before);
  });

  it("a preset's body with a mistyped email is still a 422 naming the field", async () => {
    const webflow = JSON.parse(CASES.find((c) => c.event === 'lead.opted_in' && c.name.startsWith('Webflow'))!.body);
    webflow.payload.data.email = 'zaphod@heartofgold';
    webflow.payload.id = 'typo-1';
    const r = await post(t.url('/api/webhooks/lead-optin'), webflow);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toMatch(/email/);
    expect(JSON.stringify(r.body)).toMatch(/must be a valid email address/);
  });
});

describe('multipart/form-data and nested form keys', () => {
  it('a multipart form with a file: fields read, the file noted by name and size, not kept', async () => {
    const m = multipart(
      [
        ['email', 'mo.multipart@example.com'],
        ['first_name', 'Mo'],
        ['answers[car][make]', 'Volvo'],
        ['answers[car][years][]', '2019'],
        ['answers[car][years][]', '2021'],
      ],
      [{ field: 'photo', name: 'dent.jpg', type: 'image/jpeg', content: 'JPEG-BYTES-NOT-KEPT' }],
    );
    const r = await post(t.url('/api/webhooks/lead-optin'), m.body, m.headers);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const ev = await event(r.body.event_id);
    expect(ev.payload).toMatchObject({
      email: 'mo.multipart@example.com',
      first_name: 'Mo',
      answers: { car: { make: 'Volvo', years: ['2019', '2021'] } },
      photo: { file_name: 'dent.jpg', content_type: 'image/jpeg', size_bytes: 19 },
    });
    expect(JSON.stringify(ev.payload)).not.toContain('JPEG-BYTES');
  });

  it('a browser posting a multipart form with a mistyped email gets the "please check the form" page', async () => {
    const m = multipart([['email', 'nope']]);
    const r = await post(t.url('/api/webhooks/lead-optin'), m.body, { ...m.headers, accept: 'text/html' });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.body).toContain('email must be a valid email address');
  });

  it('form keys nested deeper than 20 levels, polluting keys, and a broken multipart body are refused or dropped', async () => {
    const deep = `email=d%40example.com&${'a' + '[x]'.repeat(21)}=1`;
    const r = await post(t.url('/api/webhooks/lead-optin'), deep, FORM_TYPE);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/nested deeper than 20 levels/);
    const polluted = await post(t.url('/api/webhooks/lead-optin'), 'email=p%40example.com&a[__proto__][x]=1&constructor[prototype][y]=2', FORM_TYPE);
    expect(polluted.status).toBe(202);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const ev = await event(polluted.body.event_id);
    expect(ev.payload.a).toBeUndefined();
    const broken = await post(t.url('/api/webhooks/lead-optin'), '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nb@example.com', {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/multipart body cannot be read/);
  });
});

describe("the landing kit's Google Forms Apps Script", () => {
  /** Runs the script as Apps Script would on a form submit, with UrlFetchApp answering `answer`. */
  function runScript(url: string, namedValues: Record<string, string[]>, answer: (req: { url: string; options: any }) => { status: number; text: string }) {
    const sent: { url: string; options: any }[] = [];
    const UrlFetchApp = {
      fetch(u: string, options: any) {
        sent.push({ url: u, options });
        const a = answer({ url: u, options });
        return { getResponseCode: () => a.status, getContentText: () => a.text };
      },
    };
    const sendToLeadbell = new Function('UrlFetchApp', `${googleFormsScript(url)}\nreturn sendToLeadbell;`)(UrlFetchApp) as (e: unknown) => void;
    // The spreadsheet form-submit event: https://developers.google.com/apps-script/guides/triggers/events
    const range = { getRow: () => 12, getSheet: () => ({ getSheetId: () => 0, getParent: () => ({ getId: () => '1AbCdEfSheet' }) }) };
    let error: Error | null = null;
    try {
      sendToLeadbell({ namedValues, range, values: Object.values(namedValues).map((v) => v.join(', ')) });
    } catch (e) {
      error = e as Error;
    }
    return { sent, error };
  }

  it('posts the response the Google Forms preset reads: 2xx, a lead with the email and first name', async () => {
    const url = t.url('/api/webhooks/lead-optin');
    const { sent, error } = runScript(url, { Timestamp: ['11/20/2026 10:00:00'], 'Email Address': ['hana.script@example.com'], 'First name': ['Hana'] }, () => ({ status: 202, text: '' }));
    expect(error).toBeNull();
    expect(sent).toHaveLength(1);
    const { options } = sent[0]!;
    expect(options).toMatchObject({ method: 'post', contentType: 'application/json', muteHttpExceptions: true });
    const r = await post(sent[0]!.url, options.payload, { 'content-type': options.contentType, ...options.headers });
    expect(r.status).toBe(202);
    expect(await event(r.body.event_id)).toMatchObject({ event: 'lead.opted_in', payload: { email: 'hana.script@example.com', first_name: 'Hana', event_id: 'google-forms:1AbCdEfSheet:0:12' } });
    await until('the lead', () => lead('hana.script@example.com'));
  });

  it("throws when Leadbell refuses, so Apps Script records the failed run and emails the owner", () => {
    const { error } = runScript('https://x.example/api/webhooks/lead-optin', { 'Email Address': ['typo@'] }, () => ({ status: 422, text: '{"status":"invalid"}' }));
    expect(error?.message).toBe('Leadbell answered 422: {"status":"invalid"}');
  });
});
