/**
 * What the Notion fake enforces for a data source query, as Notion does: a filter is a property
 * condition or an `and`/`or` of filters, compound filters nest at most two levels deep, no array
 * in a request holds more than 100 elements, page_size is 1 to 100, and results come a page at a
 * time with has_more and next_cursor (passed back as start_cursor).
 */

export const MAX_ARRAY_ELEMENTS = 100;
export const MAX_PAGE_SIZE = 100;
/** "A compound filter can even be combined within a compound filter, but only up to two nesting levels deep." */
const MAX_COMPOUND_DEPTH = 2;

export type FilterPage = { properties: Record<string, Record<string, unknown>> };
type Match = (p: FilterPage) => boolean;
export type Compiled = { match: Match } | { refused: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a filter against the data source's schema. Of the property conditions only `email`
 * `equals` is understood (case-sensitive, as an exact match is the unkindest reading); anything
 * else is refused rather than answered wrongly.
 */
export function compileFilter(filter: unknown, schema: Record<string, string>, path = 'body.filter', depth = 0): Compiled {
  if (!isObject(filter)) return { refused: `body failed validation: ${path} should be an object.` };
  const compound = 'or' in filter ? 'or' : 'and' in filter ? 'and' : null;
  if (compound) {
    if (Object.keys(filter).length !== 1) return { refused: `body failed validation: ${path} should have only one of \`and\`, \`or\`.` };
    if (depth >= MAX_COMPOUND_DEPTH) return { refused: `body failed validation: ${path}.${compound} is nested more than ${MAX_COMPOUND_DEPTH} levels deep.` };
    const parts = filter[compound];
    if (!Array.isArray(parts) || parts.length === 0) return { refused: `body failed validation: ${path}.${compound} should be a non-empty array.` };
    if (parts.length > MAX_ARRAY_ELEMENTS) {
      return { refused: `body failed validation: ${path}.${compound}.length should be ≤ \`${MAX_ARRAY_ELEMENTS}\`, instead was \`${parts.length}\`.` };
    }
    const matches: Match[] = [];
    for (const [i, part] of parts.entries()) {
      const c = compileFilter(part, schema, `${path}.${compound}[${i}]`, depth + 1);
      if ('refused' in c) return c;
      matches.push(c.match);
    }
    return { match: compound === 'or' ? (p) => matches.some((m) => m(p)) : (p) => matches.every((m) => m(p)) };
  }
  const property = filter.property;
  if (typeof property !== 'string') return { refused: `body failed validation: ${path}.property should be defined.` };
  const type = schema[property];
  if (!type) return { refused: `Could not find property with name or id: ${property}` };
  const cond = filter[type];
  if (type !== 'email' || !isObject(cond) || typeof cond.equals !== 'string') {
    return { refused: `body failed validation: ${path}.${type}.equals should be a string for a ${type} property.` };
  }
  const wanted = cond.equals;
  return { match: (p) => p.properties[property]?.email === wanted };
}

export type Paged<T> = { results: T[]; has_more: boolean; next_cursor: string | null } | { refused: string };

/** One page of `all` (in a stable order), from the cursor a previous page gave. */
export function paginate<T extends { id: string }>(all: T[], body: Record<string, unknown>): Paged<T> {
  const size = body.page_size ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE) {
    return { refused: `body failed validation: body.page_size should be an integer from 1 to ${MAX_PAGE_SIZE}.` };
  }
  let start = 0;
  if (body.start_cursor !== undefined) {
    // A cursor is the id of the first result of the next page; one this query never gave is refused.
    start = typeof body.start_cursor === 'string' ? all.findIndex((r) => r.id === body.start_cursor) : -1;
    if (start < 0) return { refused: 'body failed validation: body.start_cursor should be a cursor this query returned.' };
  }
  const end = start + (size as number);
  const has_more = end < all.length;
  return { results: all.slice(start, end), has_more, next_cursor: has_more ? all[end]!.id : null };
}
