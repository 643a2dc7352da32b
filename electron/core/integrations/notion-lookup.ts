/**
 * Finds the Notion pages of many emails with one data source query: an `or` of Email conditions.
 * Notion refuses any array of more than 100 elements in a request (the `or` included), so emails
 * go at most 100 to a query. Results come at most 100 a page, and one email may have several pages
 * (made by hand, or imported), so even a query for fewer emails can have more than one page of
 * results: the cursor is followed until every email is found or the results end. Missing a page
 * here would mean creating a duplicate.
 */
import { z } from 'zod';
import type { OutboundResponse } from '../outbound/http-call.js';
import { PermanentError } from './types.js';

export const NOTION_MAX_ARRAY = 100;

const queryPage = z.object({
  results: z.array(z.object({ id: z.string().min(1), properties: z.record(z.string(), z.unknown()).optional() })),
  has_more: z.boolean().default(false),
  next_cursor: z.string().nullable().default(null),
});
const emailValue = z.object({ email: z.string().nullable() });

/** Emails are compared as Leadbell stores them: trimmed and lower-cased. */
export const emailKey = (email: string): string => email.trim().toLowerCase();

export function readAnswer<T>(schema: z.ZodType<T>, res: OutboundResponse, what: string): T {
  const parsed = schema.safeParse(res.json);
  if (!parsed.success) throw new PermanentError(`Notion answered ${res.status} with an unexpected ${what}`, res.status);
  return parsed.data;
}

/** Sends one query body to the data source. */
export type QueryDataSource = (body: Record<string, unknown>) => Promise<OutboundResponse>;

/** The page of each email that has one (by emailKey); the first page Notion lists wins. */
export async function findPagesByEmail(query: QueryDataSource, emailProperty: string, emails: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = [...new Set(emails.map(emailKey))];
  for (let i = 0; i < wanted.length; i += NOTION_MAX_ARRAY) {
    const chunk = wanted.slice(i, i + NOTION_MAX_ARRAY);
    const condition = (email: string) => ({ property: emailProperty, email: { equals: email } });
    // A lone email keeps the plain filter, and one result is all it needs.
    const lone = chunk.length === 1;
    const asked = new Set(chunk);
    const filter = lone ? condition(chunk[0]!) : { or: chunk.map(condition) };
    let cursor: string | null = null;
    do {
      const body: Record<string, unknown> = { filter, page_size: lone ? 1 : NOTION_MAX_ARRAY, ...(cursor && { start_cursor: cursor }) };
      const page = readAnswer(queryPage, await query(body), 'query result');
      for (const result of page.results) {
        const value = emailValue.safeParse(result.properties?.[emailProperty]);
        // A lone email's query matched only that email, whatever the page shows.
        const email = value.success && value.data.email ? emailKey(value.data.email) : lone ? chunk[0]! : null;
        if (email && asked.has(email) && !found.has(email)) found.set(email, result.id);
      }
      cursor = page.has_more ? page.next_cursor : null;
    } while (cursor && chunk.some((e) => !found.has(e)));
  }
  return found;
}
