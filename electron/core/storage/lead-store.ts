/** Leads and visitors: read side for the API; the engine's steps write through upsert helpers. */
import { z } from 'zod';
import type { LeadFilters } from '../../../shared/api/contract.js';
import { leadPatch, type DoNotContact, type DoNotContactReason, type Lead } from '../../../shared/api/models.js';
import { readJson } from './json-column.js';
import { nowIso, type Db } from './database.js';
import { statement } from './statements.js';
import { likeEscape } from './event-store.js';
import { uuidv7 } from '../ids.js';

export interface LeadQuery extends LeadFilters {
  limit: number;
  offset: number;
  sort: 'created_at' | 'updated_at' | 'score' | 'engagement_score' | 'email' | 'first_name';
  dir: 'asc' | 'desc';
}

export type LeadPatch = z.infer<typeof leadPatch>;

const PATCHABLE = Object.keys(leadPatch.shape) as (keyof LeadPatch)[];

/** A lead as stored: its lists are JSON text, do-not-contact four columns, the test mark 0 or 1. */
export type LeadRow = Omit<Lead, 'tags' | 'former_emails' | 'do_not_contact' | 'is_test'> & {
  tags: string;
  former_emails: string;
  dnc_reason: DoNotContactReason | null;
  dnc_source: DoNotContact['source'] | null;
  dnc_at: string | null;
  dnc_note: string | null;
  is_test: number;
};

const names = z.array(z.string());

export function leadFromRow(row: LeadRow): Lead {
  const { dnc_reason, dnc_source, dnc_at, dnc_note, ...rest } = row;
  return {
    ...rest,
    tags: readJson(names, row.tags, 'lead tags'),
    former_emails: readJson(names, row.former_emails, 'lead former emails'),
    do_not_contact: dnc_reason && dnc_source && dnc_at ? { reason: dnc_reason, source: dnc_source, at: dnc_at, note: dnc_note } : null,
    is_test: row.is_test === 1,
  };
}
const maybeLead = (row: unknown): Lead | undefined => (row ? leadFromRow(row as LeadRow) : undefined);

/**
 * Segments and stages are names like "beauty-salon" and "assessment_complete"; the owner may type
 * "Beauty salon" or pick "Assessment complete". Both sides are compared with A-Z lower-cased (SQLite's
 * lower() folds ASCII only, so the JS side does the same) and spaces, hyphens and underscores all read
 * as one separator.
 */
export const looseName = (column: string) => `replace(replace(lower(trim(${column})), '-', '_'), ' ', '_')`;
const looseCase = (value: string) => value.replace(/[A-Z]/g, (c) => c.toLowerCase());
export const looseValue = (value: string) => value.trim().replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/[- ]/g, '_');

export class LeadStore {
  constructor(private readonly db: Db) {}

  get(id: string): Lead | undefined {
    return maybeLead(statement(this.db, 'SELECT * FROM leads WHERE id = ?').get(id));
  }

  /** Each segment leads came with (as stored, trimmed and lower-cased), with how many leads have it. */
  segments(limit = 200): { segment: string; leads: number }[] {
    return statement(
      this.db,
      `SELECT lower(trim(segment)) AS segment, count(*) AS leads FROM leads
       WHERE segment IS NOT NULL AND trim(segment) != '' GROUP BY 1 ORDER BY leads DESC, segment LIMIT @limit`,
    ).all({ limit }) as { segment: string; leads: number }[];
  }

  byEmail(email: string): Lead | undefined {
    return maybeLead(statement(this.db, 'SELECT * FROM leads WHERE email = ?').get(email.trim().toLowerCase()));
  }

  byVisitor(visitorId: string): Lead | undefined {
    return maybeLead(statement(this.db, 'SELECT * FROM leads WHERE visitor_id = ? ORDER BY updated_at DESC LIMIT 1').get(visitorId));
  }

  private filters(q: LeadFilters) {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const search = q.search?.trim();
    if (search && [...search].length >= 3) {
      // The trigram index needs three characters; a quoted phrase matches it as a substring.
      where.push('rowid IN (SELECT rowid FROM leads_search WHERE leads_search MATCH @s)');
      params.s = `"${search.replace(/"/g, '""')}"`;
    } else if (search) {
      where.push(
        "(email LIKE @s ESCAPE '\\' OR first_name LIKE @s ESCAPE '\\' OR last_name LIKE @s ESCAPE '\\' OR phone LIKE @s ESCAPE '\\')",
      );
      params.s = `%${likeEscape(search)}%`;
    }
    if (q.status) {
      where.push('status = @status');
      params.status = q.status;
    }
    if (q.created_since) {
      where.push('created_at >= @created_since');
      params.created_since = q.created_since;
    }
    if (q.updated_since) {
      where.push('updated_at >= @updated_since');
      params.updated_since = q.updated_since;
    }
    if (q.test_leads !== 'show') where.push(q.test_leads === 'only' ? 'is_test = 1' : 'is_test = 0');
    if (q.created_before) {
      where.push('created_at < @created_before');
      params.created_before = q.created_before;
    }
    if (q.source?.trim()) {
      where.push('lower(source) = @source');
      params.source = looseCase(q.source.trim());
    }
    if (q.tag?.trim()) {
      where.push('EXISTS (SELECT 1 FROM json_each(leads.tags) WHERE lower(json_each.value) = @tag)');
      params.tag = looseCase(q.tag.trim());
    }
    for (const k of ['segment', 'stage', 'owner_stage'] as const) {
      const value = q[k] && looseValue(q[k]);
      if (value) {
        where.push(`${looseName(k)} = @${k}`);
        params[k] = value;
      }
    }
    return { w: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  list(q: LeadQuery): { items: Lead[]; total: number } {
    const { w, params } = this.filters(q);
    const total = (statement(this.db, `SELECT count(*) AS n FROM leads ${w}`).get(params) as { n: number }).n;
    // sort and dir come from zod enums, never from raw input.
    const nulls = q.sort === 'score' ? `${q.sort} IS NULL, ` : '';
    const items = statement(this.db, `SELECT * FROM leads ${w} ORDER BY ${nulls}${q.sort} ${q.dir}, rowid ${q.dir} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as LeadRow[];
    return { items: items.map(leadFromRow), total };
  }

  /** Every lead the filters find, oldest first (the CSV export). */
  *all(q: LeadFilters): Iterable<Lead> {
    const { w, params } = this.filters(q);
    for (const row of statement(this.db, `SELECT * FROM leads ${w} ORDER BY created_at, rowid`).iterate(params)) yield leadFromRow(row as LeadRow);
  }

  /** The ids of every lead the filters find (bulk changes over a filtered list). */
  ids(q: LeadFilters): string[] {
    const { w, params } = this.filters(q);
    return statement(this.db, `SELECT id FROM leads ${w} ORDER BY created_at, rowid`).pluck().all(params) as string[];
  }

  /** Creates the lead for an email or updates the given fields; returns it and whether it is new. */
  upsert(email: string, patch: LeadPatch, opts: { isTest?: boolean } = {}): { lead: Lead; created: boolean } {
    const normalised = email.trim().toLowerCase();
    const existing = this.byEmail(normalised);
    const now = nowIso();
    if (!existing) {
      const lead: Lead = {
        id: uuidv7(),
        email: normalised,
        first_name: null,
        last_name: null,
        phone: null,
        segment: null,
        source: null,
        stage: 'opted_in',
        score: null,
        status: 'new',
        priority: 'low',
        engagement_score: 0,
        visitor_id: null,
        notion_page_id: null,
        ...definedOnly(patch),
        created_at: now,
        updated_at: now,
        owner_stage: 'new',
        tags: [],
        former_emails: [],
        do_not_contact: null,
        is_test: opts.isTest === true,
      };
      statement(
        this.db,
        `INSERT INTO leads (id, email, first_name, last_name, phone, segment, source, stage, score, status, priority,
           engagement_score, visitor_id, notion_page_id, created_at, updated_at, is_test)
         VALUES (@id, @email, @first_name, @last_name, @phone, @segment, @source, @stage, @score, @status, @priority,
           @engagement_score, @visitor_id, @notion_page_id, @created_at, @updated_at, @is_test)`,
      ).run({ ...lead, tags: undefined, former_emails: undefined, owner_stage: undefined, do_not_contact: undefined, is_test: lead.is_test ? 1 : 0 });
      return { lead, created: true };
    }
    return { lead: this.update(existing.id, patch), created: false };
  }

  update(id: string, patch: LeadPatch): Lead {
    const fields = PATCHABLE.filter((k) => patch[k] !== undefined);
    if (fields.length) {
      statement(this.db, `UPDATE leads SET ${fields.map((f) => `${f} = @${f}`).join(', ')}, updated_at = @updated_at WHERE id = @id`)
        .run({ ...Object.fromEntries(fields.map((f) => [f, patch[f]])), updated_at: nowIso(), id });
    }
    const lead = this.get(id);
    if (!lead) throw new Error(`lead ${id} not found`);
    return lead;
  }

  /** The owner's own fields (and a new email, or the earliest creation time after a merge). */
  setOwnerFields(id: string, f: { email?: string; owner_stage?: string; tags?: string[]; former_emails?: string[]; created_at?: string }): void {
    const cols = Object.entries(f).filter(([, v]) => v !== undefined);
    if (!cols.length) return;
    const values = Object.fromEntries(cols.map(([k, v]) => [k, Array.isArray(v) ? JSON.stringify(v) : v]));
    // Column names come from the parameter's fixed keys, never from input.
    statement(this.db, `UPDATE leads SET ${cols.map(([k]) => `${k} = @${k}`).join(', ')}, updated_at = @updated_at WHERE id = @id`)
      .run({ ...values, updated_at: nowIso(), id });
  }

  /** Marks (or, with null, clears) do-not-contact. */
  setDoNotContact(id: string, dnc: DoNotContact | null): void {
    statement(this.db, 'UPDATE leads SET dnc_reason = ?, dnc_source = ?, dnc_at = ?, dnc_note = ?, updated_at = ? WHERE id = ?').run(
      dnc?.reason ?? null,
      dnc?.source ?? null,
      dnc?.at ?? null,
      dnc?.note ?? null,
      nowIso(),
      id,
    );
  }

  remove(id: string): void {
    statement(this.db, 'DELETE FROM leads WHERE id = ?').run(id);
  }

  /** Adds engagement points atomically and returns the new total. */
  addEngagement(id: string, points: number): Lead {
    statement(this.db, 'UPDATE leads SET engagement_score = engagement_score + ?, updated_at = ? WHERE id = ?')
      .run(points, nowIso(), id);
    const lead = this.get(id);
    if (!lead) throw new Error(`lead ${id} not found`);
    return lead;
  }

  count(): number {
    return (statement(this.db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
