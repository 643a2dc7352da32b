import { describe, expect, it } from 'vitest';
import { compileParameters, compileTemplate, TemplateError } from '../../electron/core/triggers/template.js';

const event = {
  event: {
    id: 'e-1',
    event: 'lead.opted_in',
    resource: { id: 'lead.ann@example.com', 'prefect.resource.id': 'lead.ann@example.com' },
    payload: {
      email: 'Ann@Example.COM',
      first_name: 'Ann',
      phone: null,
      duration: 45,
      paid: false,
      assessment_data: { marketing: 9, sales: 8 },
      tags: ['a', 'b'],
      empty: '',
    },
  },
};
const render = (t: string) => compileTemplate(t, ['event']).render(event);

describe('a template that is exactly one expression keeps the value type', () => {
  it('numbers, booleans, objects and lists stay what they are', () => {
    expect(render('{{ event.payload.duration }}')).toBe(45);
    expect(render('{{ event.payload.paid }}')).toBe(false);
    expect(render('{{ event.payload.assessment_data }}')).toEqual({ marketing: 9, sales: 8 });
    expect(render('{{ event.payload.tags }}')).toEqual(['a', 'b']);
    expect(render('  {{event.payload.duration}}  ')).toBe(45);
  });
  it('indexes into lists and quoted label names', () => {
    expect(render('{{ event.payload.tags[1] }}')).toBe('b');
    expect(render("{{ event.resource['prefect.resource.id'] }}")).toBe('lead.ann@example.com');
    expect(render('{{ event.resource.id }}')).toBe('lead.ann@example.com');
  });
});

describe('missing values', () => {
  it('render as null, never "undefined"', () => {
    expect(render('{{ event.payload.nope }}')).toBeNull();
    expect(render('{{ event.payload.nope.deeper[3] }}')).toBeNull();
    expect(render('{{ event.payload.phone }}')).toBeNull();
  });
  it('render as nothing inside text', () => {
    expect(render('Hi {{ event.payload.nope }}!')).toBe('Hi !');
    expect(render('{{ event.payload.first_name }} ({{ event.payload.duration }} s)')).toBe('Ann (45 s)');
    expect(render('data: {{ event.payload.assessment_data }}')).toBe('data: {"marketing":9,"sales":8}');
  });
});

describe('filters', () => {
  it('default replaces missing, null and empty values only', () => {
    expect(render("{{ event.payload.nope | default('n/a') }}")).toBe('n/a');
    expect(render('{{ event.payload.phone | default(0) }}')).toBe(0);
    expect(render("{{ event.payload.empty | default('blank') }}")).toBe('blank');
    expect(render("{{ event.payload.paid | default('x') }}")).toBe(false);
  });
  it('lower, upper, trim chain left to right', () => {
    expect(render('{{ event.payload.email | lower }}')).toBe('ann@example.com');
    expect(render('{{ event.payload.first_name | upper }}')).toBe('ANN');
    expect(render("{{ event.payload.nope | default('  MiXed ') | trim | lower }}")).toBe('mixed');
  });
  it('tojson serialises any value, missing ones as null', () => {
    expect(render('{{ event.payload.assessment_data | tojson }}')).toBe('{"marketing":9,"sales":8}');
    expect(render('{{ event.payload.nope | tojson }}')).toBe('null');
    expect(render('{{ event.payload.first_name | tojson }}')).toBe('"Ann"');
  });
  it('number and string convert', () => {
    expect(compileTemplate('{{ x | number }}', ['x']).render({ x: '42.5' })).toBe(42.5);
    expect(compileTemplate('{{ x | number }}', ['x']).render({ x: 'abc' })).toBeNull();
    expect(render('{{ event.payload.duration | string }}')).toBe('45');
  });
});

describe('refused when compiled', () => {
  const refused = (t: string, roots: string[] = ['event']) => {
    try {
      compileTemplate(t, roots);
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      return (e as Error).message;
    }
    throw new Error(`"${t}" was accepted`);
  };
  it('unknown filters, naming the known ones', () => {
    expect(refused('{{ event.payload.email | lowercase }}')).toMatch(/unknown filter "lowercase" \(known: default, lower/);
  });
  it('wrong filter arity', () => {
    expect(refused('{{ event.payload.email | default }}')).toMatch(/"default" takes 1 argument, not 0/);
    expect(refused("{{ event.payload.email | lower('x') }}")).toMatch(/"lower" takes 0 arguments, not 1/);
  });
  it('syntax errors', () => {
    expect(refused('{{ event.payload.email ')).toMatch(/never closed/);
    expect(refused('{{ }}')).toMatch(/empty expression/);
    expect(refused('{{ event.payload. }}')).toMatch(/a name must follow "."/);
    expect(refused("{{ event.payload['x }}")).toMatch(/unterminated string/);
    expect(refused('{{ event.payload + 1 }}')).toMatch(/unexpected "\+"/);
    expect(refused('{{ event.payload.email | }}')).toMatch(/a filter name must follow "\|"/);
  });
  it('unknown variables: only the given roots exist (no globals, no process)', () => {
    expect(refused('{{ process.env.HOME }}')).toMatch(/unknown variable "process"/);
    expect(refused('{{ payload.email }}')).toMatch(/unknown variable "payload" \(use "event"\)/);
  });
  it('prototype access in any spelling', () => {
    expect(refused('{{ event.__proto__ }}')).toMatch(/"__proto__" is not allowed/);
    expect(refused('{{ event.payload.constructor }}')).toMatch(/"constructor" is not allowed/);
    expect(refused("{{ event['__proto__'] }}")).toMatch(/"__proto__" is not allowed/);
    expect(refused('{{ event.constructor.prototype }}')).toMatch(/not allowed/);
  });
});

it('inherited properties are never reachable', () => {
  expect(render('{{ event.payload.toString }}')).toBeNull();
  expect(render('{{ event.payload.hasOwnProperty }}')).toBeNull();
  expect(render('{{ event.payload.tags.length }}')).toBeNull();
});

describe('parameters objects', () => {
  it('renders nested objects and lists, keeping plain values and keys as they are', () => {
    const c = compileParameters(
      {
        email: '{{ event.payload.email | lower }}',
        profile: { name: '{{ event.payload.first_name }}', ratings: '{{ event.payload.assessment_data }}', fixed: 7 },
        list: ['{{ event.payload.duration }}', 'plain', true],
        note: 'no template here',
        missing: '{{ event.payload.nope }}',
      },
      ['event'],
    );
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.render(event)).toEqual({
      email: 'ann@example.com',
      profile: { name: 'Ann', ratings: { marketing: 9, sales: 8 }, fixed: 7 },
      list: [45, 'plain', true],
      note: 'no template here',
      missing: null,
    });
  });
  it('reports every bad template with its path', () => {
    const c = compileParameters({ a: '{{ event.x | nope }}', nested: { b: ['ok', '{{ event.__proto__ }}'] } }, ['event']);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.errors.map((e) => e.path)).toEqual(['parameters.a', 'parameters.nested.b.1']);
  });
});
