/**
 * Importing the owner's existing list: a CSV, its columns mapped to lead fields (guessed, shown in
 * a preview, changed by the owner), every row checked with the opt-in webhook's own field rules.
 * Bad rows are listed with their reasons and left out; repeats of an email are caught, in the file
 * and against the leads already held. The good rows go in one transaction: all of them or, if
 * anything fails, none. The sign-up automations run for the new leads only if the owner asks.
 */
import { z } from 'zod';
import { leadFieldSchemas } from '../../../shared/events/payloads.js';
import { guessMapping, IMPORT_FIELDS, type ColumnMapping, type ImportField } from '../../../shared/import/column-mapping.js';
import { CsvError, parseCsv } from '../../../shared/import/csv-parse.js';
import { ApiError } from '../api/api-error.js';
import { uuidv7 } from '../ids.js';
import type { Db } from '../storage/database.js';
import type { NewEvent } from '../storage/event-store.js';
import type { LeadActivityStore } from '../storage/lead-activity-store.js';
import type { LeadStore } from '../storage/lead-store.js';
import { tidyTags } from './tags.js';

export interface ImportDeps {
  db: Db;
  leads: LeadStore;
  activity: LeadActivityStore;
  ownerStages: () => string[];
  now: () => string;
  emit: (event: NewEvent) => Promise<unknown>;
  changed: () => void;
}

export interface RowProblem {
  /** The row as a spreadsheet numbers it (the column names are row 1). */
  row: number;
  field: string;
  message: string;
}

interface GoodRow {
  row: number;
  email: string;
  fields: { first_name?: string; last_name?: string; phone?: string; segment?: string; source?: string };
  tags: string[];
  owner_stage?: string;
  existing: boolean;
}

export interface ImportPlan {
  columns: string[];
  mapping: ColumnMapping;
  total: number;
  good: GoodRow[];
  errors: RowProblem[];
}

const rowSchema = z.object({
  email: leadFieldSchemas.email,
  first_name: leadFieldSchemas.first_name,
  last_name: leadFieldSchemas.last_name,
  phone: leadFieldSchemas.phone,
  segment: leadFieldSchemas.segment,
  source: leadFieldSchemas.source,
});

/** Rows of a file and what they would become, checked but not stored. */
export function planImport(csv: string, given: ColumnMapping | undefined, d: Pick<ImportDeps, 'leads' | 'ownerStages'>): ImportPlan {
  let parsed;
  try {
    parsed = parseCsv(csv);
  } catch (e) {
    if (e instanceof CsvError) throw new ApiError('invalid_input', `csv ${e.message}`, [{ path: 'csv', message: e.message }]);
    throw e;
  }
  const { columns, rows } = parsed;
  const mapping = given ?? guessMapping(columns);
  const problems = Object.entries(mapping)
    .filter(([, col]) => col !== undefined && !columns.includes(col))
    .map(([field, col]) => ({ path: `mapping.${field}`, message: `names the column "${col}", which the file does not have (it has: ${columns.join(', ')})` }));
  if (mapping.email === undefined) problems.push({ path: 'mapping.email', message: 'must name the column that holds the email addresses' });
  if (problems.length) throw new ApiError('invalid_input', problems.map((p) => `${p.path} ${p.message}`).join('; '), problems);

  const index = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, mapping[f] === undefined ? -1 : columns.indexOf(mapping[f]!)])) as Record<ImportField, number>;
  // An empty cell is a value not given, as an empty form field is.
  const cell = (r: string[], f: ImportField) => {
    const v = index[f] < 0 ? undefined : r[index[f]];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const stages = new Map(d.ownerStages().map((s) => [s.toLowerCase(), s]));
  const seen = new Map<string, number>();
  const good: GoodRow[] = [];
  const errors: RowProblem[] = [];
  rows.forEach((r, i) => {
    const row = i + 2;
    const checked = rowSchema.safeParse({
      email: cell(r, 'email'),
      first_name: cell(r, 'first_name'),
      last_name: cell(r, 'last_name'),
      phone: cell(r, 'phone'),
      segment: cell(r, 'segment'),
      source: cell(r, 'source'),
    });
    if (!checked.success) {
      for (const issue of checked.error.issues) errors.push({ row, field: String(issue.path[0] ?? 'row'), message: issue.message });
      return;
    }
    const { email, ...fields } = checked.data;
    const first = seen.get(email);
    if (first !== undefined) {
      errors.push({ row, field: 'email', message: `repeats ${email} from row ${first}` });
      return;
    }
    const stageText = cell(r, 'owner_stage')?.trim();
    const stage = stageText ? stages.get(stageText.toLowerCase()) : undefined;
    if (stageText && !stage) {
      errors.push({ row, field: 'owner_stage', message: `"${stageText}" is not one of your stages (${[...stages.values()].join(', ')})` });
      return;
    }
    const tags = tidyTags((cell(r, 'tags') ?? '').split(/[;,]/).map((t) => t.trim()).filter(Boolean));
    if (tags.some((t) => t.length > 40)) {
      errors.push({ row, field: 'tags', message: 'has a tag longer than 40 characters' });
      return;
    }
    seen.set(email, row);
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as GoodRow['fields'];
    if (clean.segment) clean.segment = clean.segment.toLowerCase();
    good.push({ row, email, fields: clean, tags, ...(stage && { owner_stage: stage }), existing: d.leads.byEmail(email) !== undefined });
  });
  return { columns, mapping, total: rows.length, good, errors };
}

export interface ImportResult {
  total: number;
  imported: number;
  updated: number;
  /** Rows whose email is already a lead, left as they were. */
  already_leads: number;
  errors: RowProblem[];
}

/** Stores a plan's good rows in one transaction (all or none), then starts the automations if asked. */
export async function runImport(plan: ImportPlan, opts: { run_automations: boolean; existing: 'skip' | 'update' }, d: ImportDeps): Promise<ImportResult> {
  const now = d.now();
  const created: { email: string; fields: GoodRow['fields'] }[] = [];
  let updated = 0;
  let already = 0;
  d.db.transaction(() => {
    for (const g of plan.good) {
      if (g.existing && opts.existing === 'skip') {
        already++;
        continue;
      }
      const source = g.fields.source ?? 'imported';
      const { lead, created: isNew } = d.leads.upsert(g.email, { ...g.fields, ...(g.existing ? {} : { source }) });
      const owner = {
        ...(g.tags.length && { tags: tidyTags([...lead.tags, ...g.tags]) }),
        ...(g.owner_stage && { owner_stage: g.owner_stage }),
      };
      d.leads.setOwnerFields(lead.id, owner);
      if (isNew) {
        d.activity.add(lead.id, 'added', now, { detail: { by: 'import', automations: opts.run_automations } });
        created.push({ email: lead.email, fields: { ...g.fields, source } });
      } else updated++;
    }
  })();
  d.changed();
  if (opts.run_automations) {
    await Promise.all(
      created.map((c) =>
        d.emit({
          id: uuidv7(),
          event: 'lead.opted_in',
          occurred: now,
          received_at: now,
          source: 'import',
          resource: { 'prefect.resource.id': `lead.${c.email}` },
          payload: { email: c.email, ...c.fields },
          inbox_id: null,
          idempotency_key: null,
        }),
      ),
    );
  }
  return { total: plan.total, imported: created.length, updated, already_leads: already, errors: plan.errors };
}
