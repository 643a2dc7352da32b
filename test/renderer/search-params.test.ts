import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSearch, searchDefaults, serializeSearch } from '../../renderer/src/lib/search-params.js';
import { parseRoute, splitHash, withQuery } from '../../renderer/src/lib/router.js';
import { EVENTS_PARAMS } from '../../renderer/src/views/events/events-params.js';
import { LEADS_PARAMS } from '../../renderer/src/views/leads/leads-params.js';
import { RUNS_PARAMS } from '../../renderer/src/views/runs/runs-params.js';

const LEADS_DEFAULTS = {
  q: '',
  status: undefined,
  segment: '',
  stage: '',
  created_since: undefined,
  updated_since: undefined,
  owner_stage: '',
  tag: '',
  source: '',
  added_from: undefined,
  added_to: undefined,
  test_leads: 'hide',
  sort: 'created_at',
  dir: 'desc',
  row: 0,
};
const RUNS_DEFAULTS = { status: undefined, flow: '', dead: false, failed: false, since: undefined, offset: 0 };

describe('reading a view state from the query string', () => {
  it('reads the values a link carries', () => {
    expect(parseSearch(LEADS_PARAMS, 'q=ann&stage=hot')).toEqual({ ...LEADS_DEFAULTS, q: 'ann', stage: 'hot' });
    expect(parseSearch(RUNS_PARAMS, 'status=failed&flow=assessment&dead=1&offset=50')).toEqual({
      ...RUNS_DEFAULTS,
      status: 'failed',
      flow: 'assessment',
      dead: true,
      offset: 50,
    });
    expect(parseSearch(EVENTS_PARAMS, 'endpoint=lead-optin&outcome=rejected')).toEqual({
      endpoint: 'lead-optin',
      outcome: 'rejected',
      offset: 0,
      since: undefined,
      request: undefined,
    });
  });

  it('a missing query is every default', () => {
    expect(parseSearch(LEADS_PARAMS, '')).toEqual(LEADS_DEFAULTS);
    expect(searchDefaults(RUNS_PARAMS)).toEqual(RUNS_DEFAULTS);
    expect(parseSearch(EVENTS_PARAMS, '')).toEqual(searchDefaults(EVENTS_PARAMS));
  });

  it('a bad value falls back to its own default and leaves the others', () => {
    expect(parseSearch(LEADS_PARAMS, 'q=ann&status=lukewarm&sort=color&dir=up&row=-4')).toEqual({ ...LEADS_DEFAULTS, q: 'ann' });
    expect(parseSearch(RUNS_PARAMS, 'offset=abc&dead=maybe&status=failed')).toEqual({ ...RUNS_DEFAULTS, status: 'failed' });
    expect(parseSearch(EVENTS_PARAMS, 'offset=2.5&endpoint=' + 'x'.repeat(101)).offset).toBe(0);
    expect(parseSearch(LEADS_PARAMS, 'q=' + 'a'.repeat(201)).q).toBe('');
  });

  it("a Home tile's moment reads back as given; one that is not a date and time is no limit", () => {
    const since = '2026-03-02T23:00:00.000Z';
    expect(parseSearch(RUNS_PARAMS, `failed=1&since=${encodeURIComponent(since)}`)).toEqual({ ...RUNS_DEFAULTS, failed: true, since });
    expect(parseSearch(LEADS_PARAMS, `status=hot&updated_since=${since}`)).toEqual({ ...LEADS_DEFAULTS, status: 'hot', updated_since: since });
    expect(parseSearch(EVENTS_PARAMS, `since=${since}`).since).toBe(since);
    expect(parseSearch(LEADS_PARAMS, 'created_since=today').created_since).toBeUndefined();
    expect(parseSearch(RUNS_PARAMS, 'since=2026-13-40').since).toBeUndefined();
  });

  it('never throws, whatever the URL holds', () => {
    for (const query of ['%', '%E0%A4%A', '=&=&', 'q', 'q=%ZZ', '?q=ann', 'row=1e400', 'row=Infinity', '&&&', 'q=a&q=b']) {
      expect(() => parseSearch(LEADS_PARAMS, query)).not.toThrow();
      expect(() => parseSearch(RUNS_PARAMS, query)).not.toThrow();
    }
    expect(parseSearch(LEADS_PARAMS, 'row=Infinity').row).toBe(0);
    // A repeated key: the first one counts.
    expect(parseSearch(LEADS_PARAMS, 'q=a&q=b').q).toBe('a');
  });

  it('decodes spaces and non-ASCII text, and trims search text', () => {
    expect(parseSearch(LEADS_PARAMS, 'q=ann+smith').q).toBe('ann smith');
    expect(parseSearch(LEADS_PARAMS, 'q=%20Zo%C3%AB%20').q).toBe('Zoë');
  });

  it('a schema field without a default is a programming error, told by name', () => {
    const strict = z.object({ page: z.coerce.number().int() });
    expect(() => parseSearch(strict, 'page=x')).toThrow('search param "page" needs a .default() or .optional()');
  });
});

describe('writing a view state to the query string', () => {
  it('leaves defaults out, so an unfiltered list has a plain URL', () => {
    expect(serializeSearch(LEADS_PARAMS, LEADS_DEFAULTS as z.output<typeof LEADS_PARAMS>)).toBe('');
    expect(serializeSearch(RUNS_PARAMS, { dead: false, offset: 0 })).toBe('');
  });

  it('writes values in the schema order, booleans as 1', () => {
    expect(serializeSearch(LEADS_PARAMS, { row: 120, q: 'ann smith', status: 'hot', sort: 'score' })).toBe('q=ann+smith&status=hot&sort=score&row=120');
    expect(serializeSearch(RUNS_PARAMS, { dead: true, offset: 50 })).toBe('dead=1&offset=50');
  });

  it('keeps the keys it does not own, and replaces the ones it does', () => {
    expect(serializeSearch(EVENTS_PARAMS, { outcome: 'spam' }, 'tab=raw&outcome=accepted&offset=50')).toBe('tab=raw&outcome=spam');
  });

  it('round-trips: what is written reads back the same', () => {
    const values = parseSearch(LEADS_PARAMS, 'q=Zo%C3%AB+%26+co&status=warm&segment=fitness&stage=trial&sort=first_name&dir=asc&row=7');
    expect(parseSearch(LEADS_PARAMS, serializeSearch(LEADS_PARAMS, values))).toEqual(values);
    const runs = { ...RUNS_DEFAULTS, status: 'partial' as const, flow: 'nurture', dead: true, failed: true, since: '2026-03-02T23:00:00.000Z', offset: 100 };
    expect(parseSearch(RUNS_PARAMS, serializeSearch(RUNS_PARAMS, runs))).toEqual(runs);
  });
});

describe('hash routes with a query', () => {
  it('splits the path from the query', () => {
    expect(splitHash('#/leads?q=ann&stage=hot')).toEqual({ path: '/leads', query: 'q=ann&stage=hot' });
    expect(splitHash('#/runs/r%201')).toEqual({ path: '/runs/r%201', query: '' });
    expect(splitHash('')).toEqual({ path: '/', query: '' });
    expect(splitHash('#leads?')).toEqual({ path: '/leads', query: '' });
  });

  it('the query does not change which view the path names', () => {
    expect(parseRoute(splitHash('#/leads?q=ann').path)).toEqual({ name: 'leads' });
    expect(parseRoute(splitHash('#/leads/abc?q=ann').path)).toEqual({ name: 'lead', id: 'abc' });
    expect(parseRoute(splitHash('#/').path)).toEqual({ name: 'home' });
    expect(parseRoute(splitHash('').path)).toEqual({ name: 'home' });
    expect(parseRoute(splitHash('#/no-such-page?x=1').path)).toEqual({ name: 'notfound', path: '/no-such-page' });
    expect(parseRoute(splitHash('#/runs/r%201?status=failed').path)).toEqual({ name: 'runs', id: 'r 1' });
  });

  it('a broken escape in a link does not throw', () => {
    expect(parseRoute('/leads/%E0')).toEqual({ name: 'lead', id: '%E0' });
  });

  it('adds a query to a path only when there is one', () => {
    expect(withQuery('/leads', 'q=ann')).toBe('/leads?q=ann');
    expect(withQuery('/leads', '')).toBe('/leads');
  });
});
