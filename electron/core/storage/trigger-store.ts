/** Event triggers (data, editable through the API) and their firings (why something ran). */
import { trigger as triggerSchema, type Trigger } from '../../../shared/api/models.js';
import type { Db } from './database.js';
import { readJson } from './json-column.js';
import { statement } from './statements.js';

interface DbRow {
  id: string;
  name: string;
  flow: string;
  enabled: number;
  match_json: string;
  expect_json: string;
  parameters_json: string;
  threshold_json: string | null;
  schedule_after_seconds: number;
  run_on: string;
  created_at: string;
  updated_at: string;
}

export type FiringOutcome = 'fired' | 'counted' | 'rejected';

export interface Firing {
  trigger_id: string;
  event_id: string;
  resource_id: string;
  run_id: string | null;
  outcome: FiringOutcome;
  detail: string | null;
  fired_at: string;
}

const SEEDED_KEY = 'default_triggers_seeded';
/** The newest set of default triggers this data folder has been given (absent: the first set, if seeded). */
const SEEDED_SET_KEY = 'default_triggers_set';

export class TriggerStore {
  private readonly insertFiring;
  private readonly windowCountStmt;
  private readonly lastFiredStmt;

  constructor(private readonly db: Db) {
    this.insertFiring = db.prepare(`
      INSERT INTO trigger_firings (trigger_id, event_id, resource_id, run_id, outcome, detail, fired_at)
      VALUES (@trigger_id, @event_id, @resource_id, @run_id, @outcome, @detail, @fired_at)
      ON CONFLICT (trigger_id, event_id) DO NOTHING`);
    this.windowCountStmt = db
      .prepare(
        `SELECT count(*) FROM trigger_firings
         WHERE trigger_id = ? AND resource_id = ? AND outcome = 'counted' AND fired_at > ?`,
      )
      .pluck();
    this.lastFiredStmt = db
      .prepare(
        `SELECT max(fired_at) FROM trigger_firings WHERE trigger_id = ? AND resource_id = ? AND outcome = 'fired'`,
      )
      .pluck();
  }

  list(): Trigger[] {
    return (this.db.prepare('SELECT * FROM triggers ORDER BY created_at, rowid').all() as DbRow[]).map(toApi);
  }

  get(id: string): Trigger | undefined {
    const row = this.db.prepare('SELECT * FROM triggers WHERE id = ?').get(id) as DbRow | undefined;
    return row && toApi(row);
  }

  save(t: Trigger): void {
    this.db
      .prepare(
        `INSERT INTO triggers (id, name, flow, enabled, match_json, expect_json, parameters_json, threshold_json,
           schedule_after_seconds, run_on, created_at, updated_at)
         VALUES (@id, @name, @flow, @enabled, @match_json, @expect_json, @parameters_json, @threshold_json,
           @schedule_after_seconds, @run_on, @created_at, @updated_at)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, flow = excluded.flow, enabled = excluded.enabled,
           match_json = excluded.match_json, expect_json = excluded.expect_json, parameters_json = excluded.parameters_json,
           threshold_json = excluded.threshold_json, schedule_after_seconds = excluded.schedule_after_seconds, run_on = excluded.run_on,
           updated_at = excluded.updated_at`,
      )
      .run({
        id: t.id,
        name: t.name,
        flow: t.flow,
        enabled: t.enabled ? 1 : 0,
        match_json: JSON.stringify(t.match),
        expect_json: JSON.stringify(t.expect),
        parameters_json: JSON.stringify(t.parameters),
        threshold_json: t.threshold ? JSON.stringify(t.threshold) : null,
        schedule_after_seconds: t.schedule_after_seconds,
        run_on: t.run_on,
        created_at: t.created_at,
        updated_at: t.updated_at,
      });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM triggers WHERE id = ?').run(id).changes > 0;
  }

  /** Saves the default triggers once in the life of a data folder (deleting them later sticks). */
  /**
   * Saves each default trigger once per data folder: a new folder gets them all; a folder made
   * before a default was added (its `set` is newer than the folder's) gets that one when it
   * starts. A default the owner deleted stays deleted.
   */
  seedOnce(defaults: { trigger: Trigger; set: number }[]): boolean {
    return this.db.transaction(() => {
      const meta = (key: string) => this.db.prepare('SELECT value FROM engine_meta WHERE key = ?').pluck().get(key) as string | undefined;
      const had = Number(meta(SEEDED_SET_KEY) ?? (meta(SEEDED_KEY) ? 1 : 0));
      const fresh = defaults.filter((d) => d.set > had);
      if (!fresh.length) return false;
      for (const d of fresh) this.save(d.trigger);
      const upsert = this.db.prepare('INSERT INTO engine_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      if (!meta(SEEDED_KEY)) upsert.run(SEEDED_KEY, new Date().toISOString());
      upsert.run(SEEDED_SET_KEY, String(Math.max(had, ...fresh.map((d) => d.set))));
      return true;
    })();
  }

  /** Records a firing; false when this trigger already handled this event (a repeated dispatch). */
  recordFiring(f: Firing): boolean {
    return this.insertFiring.run(f).changes > 0;
  }

  /**
   * What the given triggers recorded for one event, oldest first. Looked up through
   * UNIQUE (trigger_id, event_id), one probe per trigger (there are few), rather than by event_id
   * alone: that index was dropped (migration 11) to keep firing inserts cheap.
   */
  firingsFor(eventId: string, triggerIds: readonly string[]): Firing[] {
    if (!triggerIds.length) return [];
    const ids = triggerIds.map(() => '?').join(',');
    return statement(
      this.db,
      `SELECT trigger_id, event_id, resource_id, run_id, outcome, detail, fired_at FROM trigger_firings
       WHERE trigger_id IN (${ids}) AND event_id = ? ORDER BY id`,
    ).all(...triggerIds, eventId) as Firing[];
  }

  /**
   * Matching events counted toward a threshold for one resource: those inside the window and
   * after the last time the threshold fired (firing resets the count, as in Prefect).
   */
  countedInWindow(triggerId: string, resourceId: string, windowStart: string): number {
    const last = this.lastFiredStmt.get(triggerId, resourceId) as string | null;
    const since = last && last > windowStart ? last : windowStart;
    return this.windowCountStmt.get(triggerId, resourceId, since) as number;
  }
}

const matchSchema = triggerSchema.shape.match;
const expectSchema = triggerSchema.shape.expect;
const parametersSchema = triggerSchema.shape.parameters;
const thresholdSchema = triggerSchema.shape.threshold;

function toApi(r: DbRow): Trigger {
  return {
    id: r.id,
    name: r.name,
    flow: r.flow,
    enabled: r.enabled === 1,
    match: readJson(matchSchema, r.match_json, 'trigger match'),
    expect: readJson(expectSchema, r.expect_json, 'trigger expect'),
    parameters: readJson(parametersSchema, r.parameters_json, 'trigger parameters'),
    threshold: readJson(thresholdSchema, r.threshold_json, 'trigger threshold'),
    schedule_after_seconds: r.schedule_after_seconds,
    run_on: triggerSchema.shape.run_on.parse(r.run_on),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
