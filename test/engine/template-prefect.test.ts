/**
 * Trigger parameter templates are a subset of Jinja as a Prefect server renders them: whatever
 * Leadbell accepts renders here exactly as real Jinja2 (set up like Prefect) renders it for the
 * same event, and what would render differently is refused when saved, naming the construct.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateContext } from '../../electron/core/triggers/dispatcher.js';
import { compileTemplate, TemplateError } from '../../electron/core/triggers/template.js';
import { toPrefectEvent } from '../../electron/core/prefect/event-mapping.js';
import type { EventRecord } from '../../shared/api/models.js';
import { renderWithPrefectJinja, type JinjaResult } from '../helpers/prefect-jinja.js';

const record = (payload: Record<string, unknown>, resource: Record<string, string> = {}): EventRecord => ({
  id: '0190f5a2-1c3b-7d4e-8f60-123456789abc',
  seq: 1,
  event: 'lead.opted_in',
  occurred: '2026-01-02T10:00:00.123Z',
  received_at: '2026-01-02T10:00:00.200Z',
  source: 'lead-optin',
  resource: { 'prefect.resource.id': 'lead.ann@example.com', shop: 'downtown', ...resource },
  payload,
  inbox_id: null,
  idempotency_key: null,
});

// --- generators ---------------------------------------------------------------------------------

const KEYS = ['email', 'first_name', 'n', 'tags', 'data', 'items', 'count', 'title', 'x', 'é', '__class__', 'id'];
const chars = fc.constantFrom('a', 'Z', ' ', "'", '"', '\\', '\n', '\t', '<', '&', 'é', 'ß', '😀', '{', '}', '%', '#', '\u00a0', '\u0085', '\u200b', '0', '\r', '\x1c');
const text = fc.array(chars, { maxLength: 6 }).map((a) => a.join(''));
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1, 1.5, 1e-5, 1.5e-7, 1e16, 1e21, 123456.789, -0.0001, 2 ** 53),
);
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }),
  ),
}));
const payload = fc.dictionary(fc.constantFrom(...KEYS), jsonValue, { maxKeys: 6 });

const name = fc.constantFrom(...KEYS, 'nope', 'upper', 'keys');
const segment = fc.oneof(
  name.map((n) => `.${n}`),
  name.map((n) => `['${n}']`),
  fc.integer({ min: 0, max: 2 }).map((i) => `[${i}]`),
);
const path = fc.oneof(
  fc.array(segment, { maxLength: 3 }).map((s) => `event.payload${s.join('')}`),
  fc.constantFrom('event.event', 'event.id', 'event.resource.id', 'event.resource.shop', "event.resource['prefect.resource.id']", 'event.resource.name', 'event.resource.nope'),
  fc.constantFrom('event.occurred', 'event.source', 'event.resource', 'event', 'event.related', 'event.event.upper'),
);
const literal = fc.constantFrom("'x'", '"Hi there"', "'it''s'", "'a\\nb'", '5', '-3', '1.25', '5.0', '007', 'true', 'True', 'none', 'None', 'null', "''", "'{{'");
const filter = fc.oneof(
  fc.constantFrom('lower', 'upper', 'trim', 'string', 'tojson', 'number'),
  literal.map((l) => `default(${l})`),
);
const expr = fc
  .tuple(fc.oneof({ weight: 4, arbitrary: path }, { weight: 1, arbitrary: literal }), fc.array(filter, { maxLength: 3 }), fc.constantFrom(' ', '', '  ', '-', ' \n'))
  .map(([head, filters, pad]) => `{{${pad}${[head, ...filters].join(' | ')}${pad === '-' ? ' ' : pad}}}`);
const template = fc.array(fc.oneof({ weight: 2, arbitrary: expr }, { weight: 1, arbitrary: text }), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));

// --- the property -------------------------------------------------------------------------------

/** JSON with sorted keys: Prefect's tojson sorts them, which changes nothing a flow sees. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

describe('Leadbell renders every accepted template exactly as Prefect does', () => {
  it('over generated templates and payloads', { timeout: 120_000 }, () => {
    const seed = Number(process.env.TEMPLATE_SEED ?? Date.now() % 2 ** 31);
    const samples = fc.sample(fc.tuple(template, payload), { numRuns: 4000, seed });
    const accepted: { template: string; event: EventRecord; ours: unknown }[] = [];
    const refusals = new Map<string, number>();
    for (const [t, p] of samples) {
      const e = record(JSON.parse(JSON.stringify(p)) as Record<string, unknown>);
      try {
        const compiled = compileTemplate(t, ['event'], 'prefect');
        accepted.push({ template: t, event: e, ours: compiled.render(templateContext(e)) });
      } catch (err) {
        expect(err, t).toBeInstanceOf(TemplateError);
        const reason = (err as Error).message.replace(/ in "\{\{[\s\S]*$/, '');
        refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      }
    }
    // Not vacuous: both outcomes are common, and many kinds of construct are refused.
    expect(accepted.length, `seed ${seed}`).toBeGreaterThan(samples.length * 0.15);
    expect(samples.length - accepted.length).toBeGreaterThan(samples.length * 0.2);
    expect(refusals.size).toBeGreaterThan(10);

    const theirs: JinjaResult[] = renderWithPrefectJinja(accepted.map((a) => ({ template: a.template, event: toPrefectEvent(a.event) })));
    const mismatches = accepted
      .map((a, i) => ({ ...a, theirs: theirs[i]! }))
      .filter((a) => {
        if ('ok' in a.theirs) return canonical(a.ours) !== canonical(a.theirs.ok);
        // The one kept difference: a single expression whose value is missing is null here, a failed run in Prefect.
        return !(a.ours === null && /ChainableUndefined is not JSON serializable/.test(a.theirs.error));
      });
    expect(
      mismatches.slice(0, 5).map((m) => ({ template: m.template, payload: m.event.payload, leadbell: m.ours, prefect: m.theirs })),
      `seed ${seed}`,
    ).toEqual([]);
  });
});

describe('constructs Prefect renders differently are refused, named', () => {
  const refused = (t: string) => {
    try {
      compileTemplate(t, ['event'], 'prefect');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`"${t}" was accepted`);
  };
  it.each([
    ['{{ event.payload.items }}', /"items" is a Python method name/],
    ["{{ event.payload['keys'] }}", /"keys" is a Python method name/],
    ['{{ event.occurred }}', /Python datetime/],
    ['{{ event.received_at }}', /only in Leadbell/],
    ['{{ event.resource }}', /event.resource is a Prefect model/],
    ['{{ event.resource.name }}', /property of Prefect's Resource model/],
    ['{{ event.id }}', /a UUID is not JSON/],
    ['{{ event.payload.x | tojson }}', /tojson of a value that may be missing/],
    ['{{ event.payload.x | number }}', /unknown filter "number"/],
    ['{{ null }}', /"null" is not a Jinja value/],
    ["{{ 'a\\nb' }}", /backslash/],
    ['{{ 5.0 }}', /the number 5.0/],
    ['{{-5}}', /whitespace control/],
    ['{% if x %}y{% endif %}', /Jinja statement/],
    ['Hi {# note #} {{ event.event }}', /Jinja comment/],
    ['{{ event.event }} }}', /"}" outside an expression/],
    ["{{ event.payload.x | default('{{') }} and {{ event.event }}", /"\{\{" inside a string/],
  ])('%s', (t, reason) => {
    expect(refused(t)).toMatch(reason);
  });

  it('keeps what Prefect renders the same', () => {
    const e = record({ email: 'Ann@Example.com', score: 82, ok: true, tags: ['a'], none: null });
    const r = (t: string) => compileTemplate(t, ['event'], 'prefect').render(templateContext(e));
    expect(r('{{ event.payload.email | lower }}')).toBe('ann@example.com');
    expect(r('{{ event.payload.score }}')).toBe(82);
    expect(r('Score {{ event.payload.score }}, ok {{ event.payload.ok }}, {{ event.payload.tags }}, {{ event.payload.none }}')).toBe(
      "Score 82, ok True, ['a'], None",
    );
    expect(r("{{ event.payload.none | default('x') }}")).toBeNull();
    expect(r("{{ event.payload.nope | default('x') }}")).toBe('x');
    expect(r('{{ event.id | string }}')).toBe('0190f5a2-1c3b-7d4e-8f60-123456789abc');
    expect(r("{{ event.resource['prefect.resource.id'] }} {{ event.resource.shop }}")).toBe('lead.ann@example.com downtown');
  });
});
