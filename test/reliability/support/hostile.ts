/**
 * Generators of hostile webhook requests for the fuzz suite: every endpoint, method and port;
 * bodies of random bytes, wrong types, deep nesting, huge arrays and strings, polluting keys,
 * SQL-looking and control characters, odd charsets and content types, malformed forms, invalid
 * UTF-8; signatures valid, wrong, stale and garbled. Each request carries the statuses the
 * receiver's documented pipeline allows for it, where that is knowable from the request alone.
 */
import fc from 'fast-check';
import { ENDPOINTS } from '../../../shared/events/catalog.js';
import { leadbellSignature, standardWebhooksHeaders } from '../../../electron/core/ingest/signatures.js';
import { buildRequest } from './raw-http.js';

export const WEBHOOK_SECRET = 'whsec_' + Buffer.from('hostile-input-suite-secret-32by!').toString('base64');
const OTHER_SECRET = 'whsec_' + Buffer.from('a-different-secret-of-32-bytes!!').toString('base64');
export const BODY_LIMIT = 1024 * 1024;
/** Names a polluting payload would set on Object.prototype if any parser let it through. */
export const POLLUTION_MARKERS = ['polluted', 'isAdmin', 'leadbellPwned'];

/** Every status the receiver documents (issue 2), plus 204 for a CORS preflight. */
export const DOCUMENTED_STATUSES = new Set([200, 202, 204, 303, 400, 401, 403, 404, 405, 413, 415, 422, 429]);
/** Node's HTTP parser answers these itself for requests that are not valid HTTP at all. */
export const PROTOCOL_STATUSES = new Set([400, 405, 414, 417, 431]);

export type Port = 'direct' | 'tunnel';
type Sig =
  | 'none'
  | 'leadbell'
  | 'leadbell-wrong'
  | 'leadbell-garbage'
  | 'sw'
  | 'sw-stale'
  | 'sw-future'
  | 'sw-wrong'
  | 'sw-garbage'
  | 'stripe-garbage'
  | 'typeform-garbage'
  | 'tally-garbage';
const SIGS: Sig[] = [
  'none',
  'leadbell',
  'leadbell-wrong',
  'leadbell-garbage',
  'sw',
  'sw-stale',
  'sw-future',
  'sw-wrong',
  'sw-garbage',
  'stripe-garbage',
  'typeform-garbage',
  'tally-garbage',
];
const VALID_SIGS = new Set<Sig>(['leadbell', 'sw']);

export interface HostileRequest {
  family: string;
  port: Port;
  method: string;
  target: string;
  /** Header order and duplicates are kept; no Host/Content-Length here: see toBytes. */
  headers: [string, string | Buffer][];
  body: Buffer;
  sig: Sig;
  /** Statuses the documented pipeline allows for this request, when knowable. */
  expect?: number[];
}

// ---------------------------------------------------------------- strings and values

const SQLISH = [
  "'; DROP TABLE leads; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; DELETE FROM events WHERE 1=1',
  "x' UNION SELECT name, sql FROM sqlite_master --",
  "%' ESCAPE '\\",
  '\\%_%_',
  "Robert'); DROP TABLE inbox;--",
  "ATTACH DATABASE '/tmp/x.db' AS x; --",
];
const TEMPLATEY = ['{{ event.payload.email }}', '${process.exit(1)}', '{{constructor.constructor("return process")()}}', '%s%s%n', '<script>alert(1)</script>'];
const ODD_UNICODE = ['\u202e', '\ufeff', '\u200b\u200d', '\ud800', '\udfff', '𝄞', 'Ω≈ç√', '\u0000', 'e\u0301', '\uFFFF'];

const controlString = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 40 });

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...SQLISH, ...TEMPLATEY, ...ODD_UNICODE),
  controlString,
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const emailish = fc.oneof(
  fc.emailAddress(),
  fc.uuid().map((u) => `fuzz-${u}@example.com`),
  fc.constantFrom('  MIXED.Case@Example.COM  ', 'no-at-sign', '@example.com', 'a@b', `${'a'.repeat(250)}@example.com`, "o'brien@example.com"),
  hostileString,
);

/** A JSON tree written by hand: duplicate keys and __proto__ keys survive as text. */
type Tree = { kind: 'leaf'; text: string } | { kind: 'array'; items: Tree[] } | { kind: 'object'; entries: [string, Tree][] };

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf', ...POLLUTION_MARKERS];
const FIELD_NAMES = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'visitor_id',
  'segment',
  'source',
  'timestamp',
  'event_id',
  'metadata',
  'assessment_data',
  'score',
  'notion_id',
  'page_url',
  'duration',
  'event_type',
  'email_id',
  'link_url',
  'event',
  'resource',
  'payload',
  'id',
  'occurred',
  'website',
];

const keyArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES) }, fc.constantFrom(...HOSTILE_KEYS), hostileString);

const leafArb: fc.Arbitrary<Tree> = fc
  .oneof(
    hostileString.map((s) => JSON.stringify(s)),
    emailish.map((s) => JSON.stringify(s)),
    fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : '1e999')),
    fc.integer().map(String),
    fc.constantFrom('true', 'false', 'null', '-0', '1e308', '123456789012345678901234567890', '0.0000000000001'),
  )
  .map((text) => ({ kind: 'leaf', text }));

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('tree'), { maxLength: 5 }).map((items): Tree => ({ kind: 'array', items })),
    fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 6 }).map((entries): Tree => ({ kind: 'object', entries })),
  ),
})).tree;

function serialise(t: Tree): string {
  if (t.kind === 'leaf') return t.text;
  if (t.kind === 'array') return `[${t.items.map(serialise).join(',')}]`;
  return `{${t.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`).join(',')}}`;
}

/** Objects whose keys are the endpoints' real field names, with hostile or wrong-typed values. */
const wrongTypesBody = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) }, fc.constantFrom(...HOSTILE_KEYS)), treeArb), {
    minLength: 1,
    maxLength: 10,
  })
  .map((entries) => serialise({ kind: 'object', entries }));

/** A polluting payload in every syntax a parser might merge. */
const pollutingJson = fc.constantFrom(...POLLUTION_MARKERS).chain((m) =>
  fc.constantFrom(
    `{"email":"p@example.com","__proto__":{"${m}":true}}`,
    `{"email":"p@example.com","constructor":{"prototype":{"${m}":true}}}`,
    `{"event":"lead.opted_in","payload":{"__proto__":{"${m}":1},"email":"p@example.com"}}`,
    `{"event":"lead.opted_in","resource":{"__proto__":"x","prefect.resource.id":"lead.x"},"payload":{}}`,
    `{"email":"p@example.com","metadata":{"__proto__":{"${m}":"yes"},"segment":"fitness"}}`,
    `{"email":"p@example.com","assessment_data":{"__proto__":{"${m}":7},"marketing":7}}`,
    `{"__proto__":[],"email":"p@example.com"}`,
  ),
);

function validBody(endpoint: string, email: string, extra: Record<string, unknown>): Record<string, unknown> {
  switch (endpoint) {
    case 'assessment':
      return { email, first_name: 'Fuzz', assessment_data: { marketing: 7, sales: 4 }, ...extra };
    case 'sales-page-visit':
      return { visitor_id: `v-${email}`, page_url: 'https://example.com/pricing', duration: 40, ...extra };
    case 'email-engagement':
      return { email, event_type: 'click', email_id: 'email-1', link_url: 'https://example.com/x', ...extra };
    case 'events':
      return { event: 'lead.fuzzed', payload: { email, ...extra } };
    default:
      return { email, first_name: 'Fuzz', metadata: { segment: 'fitness', source: 'fuzz' }, ...extra };
  }
}

/** Mostly valid payloads with one hostile field: the accepted path must hold up too. */
const nearlyValidBody = (endpoint: string) =>
  fc
    .tuple(fc.uuid(), fc.constantFrom(...FIELD_NAMES, ...HOSTILE_KEYS), treeArb, fc.boolean())
    .map(([u, key, value, withKey]) => {
      const base = JSON.stringify(validBody(endpoint, `fuzz-${u}@example.com`, {}));
      return withKey ? `${base.slice(0, -1)},${JSON.stringify(key)}:${serialise(value)}}` : base;
    });

// ---------------------------------------------------------------- huge and deep

function padTo(bytes: number, char: string): string {
  // {"email":"big@example.com","first_name":"<pad>"}: exactly `bytes` long (or one short for multibyte).
  const head = '{"email":"big@example.com","first_name":"';
  const tail = '"}';
  const room = bytes - Buffer.byteLength(head + tail);
  const per = Buffer.byteLength(char);
  return head + char.repeat(Math.max(0, Math.floor(room / per))) + tail;
}

export const hugeBody = fc.oneof(
  fc.tuple(fc.integer({ min: BODY_LIMIT - 200, max: BODY_LIMIT + 200 }), fc.constantFrom('a', 'é', '\\u0000', '𝄞', ' ')).map(([n, c]) =>
    padTo(n, c),
  ),
  fc.integer({ min: 1000, max: 150_000 }).map((n) => `{"email":"arr@example.com","tags":[${Array(n).fill('1').join(',')}]}`),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => `[${Array(n).fill('0').join(',')}]`),
  fc.constantFrom(15, 19, 20, 21, 22, 25, 1000, 100_000, 400_000).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.constantFrom(19, 21, 1000, 500_000).map((n) => `{"email":"deep@example.com","payload":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => `{"email":"keys@example.com",${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  fc.integer({ min: BODY_LIMIT + 1, max: 3 * BODY_LIMIT }).map((n) => 'z'.repeat(n)),
);

// ---------------------------------------------------------------- forms, bytes, charsets

const formKey = fc.oneof(
  fc.constantFrom(...FIELD_NAMES),
  fc.constantFrom(
    '__proto__[polluted]',
    'constructor[prototype][isAdmin]',
    '__proto__',
    'prototype',
    'metadata[segment]',
    'metadata[__proto__]',
    'assessment_data[marketing]',
    'assessment_data[constructor]',
    'email[]',
    'a[b][c]',
    '[x]',
    ']',
    'email[',
    'website',
  ),
  hostileString,
);
const malformedPiece = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C3%28', '%FF%FE', '%00', '&&&', '=', 'a=b=c', '+++', '%u0041', '%%', '&=&=', '\u0000');

/** Like encodeURIComponent, but lone surrogates become U+FFFD instead of throwing. */
function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

const formBody = fc
  .array(
    fc.oneof(
      fc.tuple(formKey, fc.oneof(hostileString, emailish)).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
      fc.tuple(formKey, hostileString).map(([k, v]) => `${k}=${v}`),
      malformedPiece,
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join('&'));

const invalidUtf8 = fc
  .tuple(
    fc.constantFrom(
      [0xc3, 0x28],
      [0xa0, 0xa1],
      [0xe2, 0x28, 0xa1],
      [0xf0, 0x28, 0x8c, 0x28],
      [0xff],
      [0xfe, 0xff],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ),
    fc.boolean(),
  )
  .map(([bad, asForm]) => {
    const b = Buffer.from(bad);
    return asForm
      ? Buffer.concat([Buffer.from('email=u8%40example.com&first_name='), b])
      : Buffer.concat([Buffer.from('{"email":"u8@example.com","first_name":"'), b, Buffer.from('"}')]);
  });

const otherCharset = fc.constantFrom('utf-16le', 'utf16le', 'latin1').chain((cs) =>
  fc.constant({ cs, body: Buffer.from(JSON.stringify({ email: 'cs@example.com', first_name: 'Zoë' }), cs === 'latin1' ? 'latin1' : 'utf16le') }),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/cloudevents+json',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'multipart/form-data; boundary=----x',
  'text/html',
  'application/xml',
  'application/octet-stream',
  '',
  ';',
  'application/json;;;',
  'application/json; charset="utf-8',
  '*/*',
  'json',
  'application/json, text/plain',
  'application/json; boundary=\u00ff',
  'x'.repeat(3000),
];

// ---------------------------------------------------------------- targets and methods

const PATHS = [
  ...ENDPOINTS.map((e) => `/api/webhooks/${e}`),
  '/api/webhooks/',
  '/api/webhooks',
  '/api/webhooks/unknown',
  '/api/webhooks/lead-optin/',
  '/api/webhooks/lead-optin?token=abc&api_key=zzz',
  '/api/webhooks/LEAD-OPTIN',
  '/api/webhooks/lead%2Doptin',
  '/api/webhooks/%00',
  '/api/webhooks/..%2f..%2fapi%2fstatus',
  '/api/webhooks/lead-optin/../events',
  '//api/webhooks/lead-optin',
  '/api/webhooks/__proto__',
  '/api/webhooks/constructor',
  '/api/webhooks/hasOwnProperty',
  '/health',
  '/health?x=1',
  '/',
  '/api/status',
  '/api/leads',
  '/api/settings',
  '/api/stream',
  '/api/login',
  '/index.html',
  '/api/webhooks/' + 'a'.repeat(5000),
];
const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'SEARCH', 'FOO'];

const SIGNED_ENDPOINTS = new Set<string>(ENDPOINTS.filter((e) => e !== 'lead-optin'));

function endpointOf(target: string): string | null {
  const path = target.split('?')[0]!;
  return path.startsWith('/api/webhooks/') ? path.slice('/api/webhooks/'.length) : null;
}

const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*$/;

/** The documented pipeline, for the requests whose answer follows from the request alone. */
function oracle(r: Omit<HostileRequest, 'expect'>, contentType: string | undefined, hasOrigin: boolean): number[] | undefined {
  if (r.method !== 'POST' || hasOrigin) return undefined;
  const ep = endpointOf(r.target);
  if (ep === null) return undefined;
  // A header Node's parser refuses (control characters) ends it before any route.
  const wire = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
  // Node's 16 KB limit on the request line and headers comes first (431); near it, either.
  const headerBytes = r.target.length + r.headers.reduce((n, [k, v]) => n + k.length + wire(v).length + 4, 0);
  if (headerBytes > 17_000) return [431];
  if (headerBytes > 15_000) return undefined;
  if (r.headers.some(([, v]) => wire(v).some((b) => (b < 0x20 && b !== 0x09) || b === 0x7f))) return [400];
  // The router refuses a path segment over 100 characters itself (414), before anything else.
  if (ep.length > 100) return [414];
  // A content type that is not even a media type (type/subtype) is refused before the body is read.
  if (contentType !== undefined && !MEDIA_TYPE.test(contentType.split(';')[0]!)) return [415];
  if (r.body.length > BODY_LIMIT) return [413];
  const known = (ENDPOINTS as readonly string[]).includes(ep);
  if (!known) return [404];
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const supported =
    mime === 'application/json' || mime.endsWith('+json') || mime === 'text/plain' || mime === 'application/x-www-form-urlencoded' || mime === 'multipart/form-data';
  if (!supported) return contentType === undefined && r.body.length === 0 ? undefined : [415];
  if (SIGNED_ENDPOINTS.has(ep) && !VALID_SIGS.has(r.sig)) return [401];
  // A public form may come unsigned, but a signature it carries must verify.
  if (r.sig !== 'none' && !VALID_SIGS.has(r.sig)) return [401];
  // Signed correctly, or an unsigned post to a public form: never refused for the signature.
  return [200, 202, 303, 400, 422];
}

const now = () => Math.floor(Date.now() / 1000);

function signatureHeaders(sig: Sig, body: Buffer, msgId: string): [string, string][] {
  switch (sig) {
    case 'none':
      return [];
    case 'leadbell':
      return [['x-leadbell-signature', leadbellSignature(WEBHOOK_SECRET, body)]];
    case 'leadbell-wrong':
      return [['x-leadbell-signature', leadbellSignature(OTHER_SECRET, body)]];
    case 'leadbell-garbage':
      return [['x-leadbell-signature', 'sha256=' + 'zz'.repeat(32)]];
    case 'sw':
    case 'sw-stale':
    case 'sw-future':
    case 'sw-wrong': {
      const at = now() + (sig === 'sw-stale' ? -3600 : sig === 'sw-future' ? 3600 : 0);
      const h = standardWebhooksHeaders(sig === 'sw-wrong' ? OTHER_SECRET : WEBHOOK_SECRET, `msg_${msgId}`, body, at);
      return Object.entries(h);
    }
    case 'sw-garbage':
      return [
        ['webhook-id', '\u00ff'.repeat(3)],
        ['webhook-timestamp', 'yesterday'],
        ['webhook-signature', 'v1,!!!not-base64!!! v2,abc'],
      ];
    case 'stripe-garbage':
      return [['stripe-signature', 't=,v1=,v1=xyz,,=,t=99999999999999']];
    case 'typeform-garbage':
      return [['typeform-signature', 'sha256=']];
    case 'tally-garbage':
      return [['tally-signature', '====']];
  }
}

const bodyArb = (endpoint: string): fc.Arbitrary<{ family: string; body: Buffer; ct?: string }> =>
  fc.oneof(
    { weight: 5, arbitrary: nearlyValidBody(endpoint).map((s) => ({ family: 'nearly-valid', body: Buffer.from(s), ct: 'application/json' })) },
    { weight: 3, arbitrary: wrongTypesBody.map((s) => ({ family: 'wrong-types', body: Buffer.from(s), ct: 'application/json' })) },
    { weight: 2, arbitrary: treeArb.map((t) => ({ family: 'json-tree', body: Buffer.from(serialise(t)), ct: 'text/plain' })) },
    { weight: 2, arbitrary: pollutingJson.map((s) => ({ family: 'polluting-keys', body: Buffer.from(s), ct: 'application/json' })) },
    { weight: 2, arbitrary: formBody.map((s) => ({ family: 'form', body: Buffer.from(s), ct: 'application/x-www-form-urlencoded' })) },
    { weight: 1, arbitrary: invalidUtf8.map((b) => ({ family: 'invalid-utf8', body: b })) },
    {
      weight: 1,
      arbitrary: otherCharset.map(({ cs, body }) => ({ family: 'charset', body, ct: `application/json; charset=${cs}` })),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((b) => ({ family: 'random-bytes', body: Buffer.from(b) })) },
    { weight: 1, arbitrary: fc.constant({ family: 'empty', body: Buffer.alloc(0) }) },
  );

/** One hostile request (sizes bounded by the body limit plus a margin). */
export function hostileRequest(bodies: (endpoint: string) => fc.Arbitrary<{ family: string; body: Buffer; ct?: string }> = bodyArb) {
  return fc
    .record({
      port: fc.constantFrom<Port>('direct', 'direct', 'tunnel'),
      method: fc.oneof({ weight: 4, arbitrary: fc.constant('POST') }, fc.constantFrom(...METHODS)),
      target: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ENDPOINTS.map((e) => `/api/webhooks/${e}`)) }, fc.constantFrom(...PATHS)),
      sig: fc.oneof({ weight: 2, arbitrary: fc.constantFrom<Sig>('leadbell', 'sw') }, fc.constantFrom(...SIGS)),
      msgId: fc.uuid(),
      // Usually the body's own content type, so most requests get past the first checks.
      contentType: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...CONTENT_TYPES)),
      extra: fc.array(
        fc.oneof(
          fc.tuple(fc.constant('idempotency-key'), fc.oneof(hostileString.map((s) => s.replace(/[\r\n]/g, ' ')), fc.uuid())),
          fc.tuple(fc.constant('x-forwarded-for'), fc.constantFrom('203.0.113.9', '::1', 'garbage', '1.1.1.1, 2.2.2.2', '999.1.1.1', '')),
          fc.tuple(fc.constant('accept'), fc.constantFrom('text/html', 'application/json', '*/*', 'text/html;q=0.1')),
          fc.tuple(fc.constant('origin'), fc.constantFrom('https://evil.example', 'null', 'https://example.com/')),
          fc.tuple(fc.constant('referer'), fc.constantFrom('javascript:alert(1)', 'https://shop.example/form', 'not a url')),
          fc.tuple(fc.constant('authorization'), fc.constant('Bearer test-admin-token-0123456789')),
          fc.tuple(fc.constant('x-leadbell-test-fire'), fc.uuid()),
        ),
        { maxLength: 3 },
      ),
    })
    .chain((r) => {
      const ep = endpointOf(r.target) ?? 'lead-optin';
      return bodies(ep).map(({ family, body, ct }): HostileRequest => {
        const contentType = r.contentType !== undefined ? r.contentType : ct;
        const headers: [string, string | Buffer][] = [];
        if (contentType !== undefined) headers.push(['content-type', contentType]);
        headers.push(...signatureHeaders(r.sig, body, r.msgId), ...r.extra);
        const base = { family, port: r.port, method: r.method, target: r.target, headers, body, sig: r.sig };
        const hasOrigin = r.extra.some(([k]) => k === 'origin');
        return { ...base, expect: oracle(base, contentType, hasOrigin) };
      });
    });
}

/** The wire bytes: Host, Content-Length (unless the request sets its own framing) and close. */
export function toBytes(r: HostileRequest, port: number): Buffer {
  const framing = r.headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
  const headers: [string, string | Buffer][] = [['host', `127.0.0.1:${port}`], ...r.headers, ['connection', 'close']];
  if (!framing && (r.body.length > 0 || r.method === 'POST')) headers.push(['content-length', String(r.body.length)]);
  return buildRequest(r.method, r.target, headers, r.body);
}

/** What a request looked like, short enough for a failure message. */
export function describeRequest(r: HostileRequest): string {
  const head = r.headers.map(([k, v]) => `${k}: ${(typeof v === 'string' ? v : v.toString('latin1')).slice(0, 80)}`).join(' | ');
  const body = r.body.subarray(0, 160).toString('latin1');
  return `[${r.family}] ${r.method} ${r.target.slice(0, 120)} via ${r.port} sig=${r.sig} {${head}} body(${r.body.length})=${JSON.stringify(body)}`;
}

// ---------------------------------------------------------------- protocol-level malformations

export interface ProtocolCase {
  name: string;
  bytes: Buffer;
  /** The client has nothing more to send (a body shorter than it declared). */
  endAfterWrite?: boolean;
  /** True when no answer can be expected: the client stopped mid-request. */
  mayClose?: boolean;
  head?: boolean;
  /** The answer this case must get, when it is fixed by the pipeline. */
  expect?: number;
  /** Node's HTTP server answers this itself, before any handler, with this status and no body. */
  bare?: { status: number; why: string };
}

const okJson = Buffer.from(JSON.stringify({ email: 'proto@example.com' }));
const H = (port: number) => `host: 127.0.0.1:${port}\r\n`;

/** Hand-written requests that are broken at the HTTP level, not in their bodies. */
export function protocolCases(port: number): ProtocolCase[] {
  const ep = '/api/webhooks/lead-optin';
  const line = (m = 'POST', t = ep) => `${m} ${t} HTTP/1.1\r\n${H(port)}content-type: application/json\r\nconnection: close\r\n`;
  const raw = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
  const withBody = (head: string, body: Buffer = okJson) => Buffer.concat([raw(head + '\r\n'), body]);
  return [
    { name: 'no content-length, body follows', expect: 400, bytes: withBody(line()) },
    { name: 'content-length: 0 with a body', bytes: withBody(line() + 'content-length: 0\r\n') },
    { name: 'content-length shorter than the body', bytes: withBody(line() + `content-length: ${okJson.length - 5}\r\n`) },
    { name: 'content-length longer than the body', bytes: withBody(line() + `content-length: ${okJson.length + 50}\r\n`), endAfterWrite: true, mayClose: true },
    { name: 'content-length not a number', expect: 400, bytes: withBody(line() + 'content-length: abc\r\n') },
    { name: 'negative content-length', bytes: withBody(line() + 'content-length: -1\r\n') },
    { name: 'huge content-length', bytes: withBody(line() + 'content-length: 99999999999999999999\r\n') },
    { name: 'content-length over the limit, no body sent', expect: 413, bytes: withBody(line() + `content-length: ${BODY_LIMIT * 5}\r\n`, Buffer.alloc(0)) },
    { name: 'two different content-lengths', expect: 400, bytes: withBody(line() + `content-length: ${okJson.length}\r\ncontent-length: 3\r\n`) },
    { name: 'content-length and chunked', expect: 400, bytes: withBody(line() + `content-length: ${okJson.length}\r\ntransfer-encoding: chunked\r\n`) },
    {
      name: 'valid chunked body',
      expect: 202, bytes: withBody(line() + 'transfer-encoding: chunked\r\n', Buffer.from(`${okJson.length.toString(16)}\r\n${okJson}\r\n0\r\n\r\n`)),
    },
    { name: 'chunk size not hex', expect: 400, bytes: withBody(line() + 'transfer-encoding: chunked\r\n', Buffer.from('zz\r\n{}\r\n0\r\n\r\n')) },
    { name: 'chunked, never terminated', bytes: withBody(line() + 'transfer-encoding: chunked\r\n', Buffer.from('2\r\n{}\r\n')), endAfterWrite: true, mayClose: true },
    {
      name: 'chunked body over the limit',
      expect: 413, bytes: withBody(
        line() + 'transfer-encoding: chunked\r\n',
        Buffer.concat([
          ...Array.from({ length: 40 }, () => Buffer.from(`${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`)),
          Buffer.from('0\r\n\r\n'),
        ]),
      ),
    },
    { name: 'transfer-encoding gzip', bytes: withBody(line() + 'transfer-encoding: gzip\r\n') },
    { name: 'content-encoding gzip on plain bytes', bytes: withBody(line() + `content-encoding: gzip\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'NUL in a header value', expect: 400, bytes: withBody(line() + `x-note: a\u0000b\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'bare LF line endings', bytes: Buffer.from(`POST ${ep} HTTP/1.1\nhost: x\ncontent-length: 2\n\n{}`) },
    { name: 'space before the colon', bytes: withBody(line() + `content-length : ${okJson.length}\r\n`) },
    { name: 'header without a colon', bytes: withBody(line() + `this is not a header\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'obsolete line folding', bytes: withBody(line() + `x-folded: a\r\n  b\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'latin-1 bytes in a header value', bytes: withBody(line() + `x-name: Zo\u00eb\u00ff\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: '20 KB header', expect: 431, bytes: withBody(line() + `x-big: ${'h'.repeat(20_000)}\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: '10,000 headers', expect: 431, bytes: withBody(line() + Array.from({ length: 10_000 }, (_, i) => `x-h${i}: 1\r\n`).join('') + `content-length: ${okJson.length}\r\n`) },
    { name: '20 KB URL', expect: 431, bytes: withBody(line('POST', `${ep}?q=${'u'.repeat(20_000)}`) + `content-length: ${okJson.length}\r\n`) },
    { name: 'raw UTF-8 in the URL', bytes: withBody(`POST /api/webhooks/lead-optin/é?x=ü HTTP/1.1\r\n${H(port)}content-type: application/json\r\nconnection: close\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'absolute-form target', bytes: withBody(line('POST', `http://evil.example${ep}`) + `content-length: ${okJson.length}\r\n`) },
    { name: 'asterisk-form OPTIONS', bytes: Buffer.from(`OPTIONS * HTTP/1.1\r\n${H(port)}connection: close\r\n\r\n`) },
    { name: 'lower-case method', expect: 400, bytes: withBody(line('post') + `content-length: ${okJson.length}\r\n`) },
    { name: 'unknown method', bytes: withBody(line('BREW') + `content-length: ${okJson.length}\r\n`) },
    { name: 'CONNECT', expect: 405, bytes: Buffer.from(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\n${H(port)}\r\n`) },
    { name: 'websocket upgrade', bytes: Buffer.from(`GET /health HTTP/1.1\r\n${H(port)}connection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`) },
    { name: 'h2c upgrade', bytes: withBody(line() + `upgrade: h2c\r\nhttp2-settings: AAMAAABkAARAAAAAAAIAAAAA\r\ncontent-length: ${okJson.length}\r\n`) },
    { name: 'HTTP/1.0 without host', expect: 202, bytes: Buffer.concat([Buffer.from(`POST ${ep} HTTP/1.0\r\ncontent-type: application/json\r\ncontent-length: ${okJson.length}\r\n\r\n`), okJson]) },
    {
      name: 'HTTP/1.1 without host',
      bare: { status: 400, why: 'RFC 9112 3.2 requires a 400; Node sends it before any handler runs' },
      bytes: Buffer.concat([Buffer.from(`POST ${ep} HTTP/1.1\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${okJson.length}\r\n\r\n`), okJson]) },
    { name: 'HTTP/2 preface', bytes: Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n') },
    { name: 'HTTP/9.9', bytes: Buffer.from(`GET /health HTTP/9.9\r\n${H(port)}\r\n`) },
    { name: 'TLS client hello', expect: 400, bytes: Buffer.from('16030100a5010000a10303', 'hex') },
    { name: 'expect: 100-continue', expect: 202, bytes: withBody(line() + `expect: 100-continue\r\ncontent-length: ${okJson.length}\r\n`) },
    {
      name: 'expect: something else',
      bare: { status: 417, why: 'RFC 9110 10.1.1: an unknown expectation gets 417, from Node itself' },
      bytes: withBody(line() + `expect: 200-ok\r\ncontent-length: ${okJson.length}\r\n`),
    },
    { name: 'HEAD on health', expect: 200, bytes: Buffer.from(`HEAD /health HTTP/1.1\r\n${H(port)}connection: close\r\n\r\n`), head: true },
    // Blank lines before a request line are skipped (RFC 9112 2.2): there is nothing to answer yet.
    { name: 'only whitespace', bytes: Buffer.from('\r\n\r\n\r\n'), endAfterWrite: true, mayClose: true },
    { name: 'pipelined valid then garbage', expect: 202, bytes: Buffer.concat([withBody(line().replace('connection: close\r\n', '') + `content-length: ${okJson.length}\r\n`), Buffer.from('GARBAGE\r\n\r\n')]) },
  ];
}
