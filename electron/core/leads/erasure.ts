/**
 * Erasing a person (a privacy request). One transaction removes everything this machine holds
 * about them (erase-local.ts) and queues a call to each connected app that holds them: the Loops
 * contact deleted, the Notion page trashed, the Meta audience members removed. The calls are rows:
 * a crash or restart resumes them, each is idempotent at the vendor (a repeat finds nothing left),
 * and the identifiers they need are wiped from the row once the app has answered. The erasure's
 * own record keeps counts and progress only. When the last call is done the WAL is checkpointed
 * and truncated, so no old page image holding the person stays in the WAL file.
 */
import { z } from 'zod';
import type { Lead } from '../../../shared/api/models.js';
import { ApiError, notFound } from '../api/api-error.js';
import { backoffMs } from '../outbound/backoff.js';
import { uuidv7 } from '../ids.js';
import type { Integrations } from '../integrations/registry.js';
import { NotConfiguredError, PermanentError } from '../integrations/types.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../storage/database.js';
import { readJson } from '../storage/json-column.js';
import type { LeadStore } from '../storage/lead-store.js';
import { eraseLocal, hasUnfinishedRuns, type LocalErasure } from './erase-local.js';

export const ERASURE_APPS = ['loops', 'notion', 'meta'] as const;
export type ErasureApp = (typeof ERASURE_APPS)[number];

const target = z.object({ email: z.string().optional(), phone: z.string().nullable().optional(), page_id: z.string().optional() });
type Target = z.infer<typeof target>;

export interface ErasureCallView {
  app: ErasureApp;
  status: 'waiting' | 'done' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  done_at: string | null;
  /** 'erased', or 'not_found' when the app no longer had them. */
  outcome: string | null;
}

export interface ErasureView {
  id: string;
  requested_at: string;
  finished_at: string | null;
  removed: LocalErasure;
  calls: ErasureCallView[];
}

export interface ErasureDeps {
  db: Db;
  leads: LeadStore;
  integrations: Integrations;
  /** The backups in the backup folder, with when each was made. */
  backups: () => { name: string; created_at: string | null }[];
  clock: () => number;
  log: Logger;
  /** Tells the UI the erasure moved on. */
  changed: () => void;
  /** Delay before the next try of a failed call (attempt 1, 2, ...). */
  backoff?: (attempt: number) => number;
}

/** After this many failed tries a call waits for the owner ("Try again"), with the vendor's reason. */
const MAX_ATTEMPTS = 12;

export class Erasures {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private working: Promise<void> | null = null;
  private running = false;

  constructor(private readonly d: ErasureDeps) {}

  private now(ms = this.d.clock()): string {
    return new Date(ms).toISOString();
  }

  /** What each app holds of the lead, for the apps set up now. */
  private targets(lead: Lead): [ErasureApp, Target][] {
    const set = (app: ErasureApp) => this.d.integrations.unavailable(app) === null;
    const out: [ErasureApp, Target][] = [];
    if (set('loops')) out.push(['loops', { email: lead.email }]);
    if (lead.notion_page_id && set('notion')) out.push(['notion', { page_id: lead.notion_page_id }]);
    if (set('meta')) out.push(['meta', { email: lead.email, phone: lead.phone }]);
    return out;
  }

  /** Erases the lead here and queues its erasure in the connected apps. */
  erase(leadId: string, leadTables: readonly string[] = []): { erasure: ErasureView; backups: { name: string; made_at: string }[] } {
    const id = uuidv7();
    const requestedAt = this.now();
    this.d.db.transaction(() => {
      const lead = this.d.leads.get(leadId) ?? this.d.leads.byEmail(leadId);
      if (!lead) throw notFound(`lead ${leadId}`);
      if (hasUnfinishedRuns(this.d.db, lead.id)) {
        throw new ApiError('conflict', 'an automation is still working for this lead: erase it again once it has finished (usually within a minute)');
      }
      const calls = this.targets(lead);
      const removed = eraseLocal(this.d.db, lead, leadTables);
      this.d.db.prepare('INSERT INTO erasures (id, requested_at, summary_json) VALUES (?, ?, ?)').run(id, requestedAt, JSON.stringify(removed));
      const add = this.d.db.prepare(
        "INSERT INTO erasure_calls (id, erasure_id, app, target_json, status, next_attempt_at) VALUES (?, ?, ?, ?, 'waiting', ?)",
      );
      for (const [app, t] of calls) add.run(uuidv7(), id, app, JSON.stringify(t), requestedAt);
      if (!calls.length) this.d.db.prepare('UPDATE erasures SET finished_at = ? WHERE id = ?').run(requestedAt, id);
    })();
    this.d.changed();
    this.kick();
    return { erasure: this.get(id)!, backups: this.backupsBefore(requestedAt) };
  }

  /** Backups made before a moment still hold whoever was erased since. */
  backupsBefore(at: string): { name: string; made_at: string }[] {
    return this.d
      .backups()
      .filter((b): b is { name: string; created_at: string } => b.created_at !== null && b.created_at <= at)
      .map((b) => ({ name: b.name, made_at: b.created_at }))
      .sort((a, b) => (a.made_at < b.made_at ? -1 : 1));
  }

  get(id: string): ErasureView | undefined {
    const row = this.d.db.prepare('SELECT * FROM erasures WHERE id = ?').get(id) as
      | { id: string; requested_at: string; finished_at: string | null; summary_json: string }
      | undefined;
    if (!row) return undefined;
    const calls = this.d.db
      .prepare('SELECT app, status, attempts, last_error, next_attempt_at, done_at, outcome FROM erasure_calls WHERE erasure_id = ? ORDER BY rowid')
      .all(id) as ErasureCallView[];
    const removed = readJson(z.object({ events: z.number(), requests: z.number(), runs: z.number(), notes: z.number() }), row.summary_json, 'erasure summary');
    return {
      id: row.id,
      requested_at: row.requested_at,
      finished_at: row.finished_at,
      removed,
      calls: calls.map((c) => ({ ...c, next_attempt_at: c.status === 'waiting' ? c.next_attempt_at : null })),
    };
  }

  list(limit = 100): ErasureView[] {
    const ids = this.d.db.prepare('SELECT id FROM erasures ORDER BY requested_at DESC, id DESC LIMIT ?').pluck().all(limit) as string[];
    return ids.map((id) => this.get(id)!);
  }

  /** The owner asks again after a call gave up (e.g. the key was wrong and is fixed now). */
  retry(id: string): ErasureView {
    if (!this.get(id)) throw notFound(`erasure ${id}`);
    this.d.db.prepare("UPDATE erasure_calls SET status = 'waiting', attempts = 0, next_attempt_at = ? WHERE erasure_id = ? AND status = 'failed'").run(this.now(), id);
    this.kick();
    return this.get(id)!;
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.working;
  }

  /** Resolves when no erasure call is due now. */
  async idle(): Promise<void> {
    while (this.working) await this.working;
  }

  private kick(): void {
    if (!this.running || this.working) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.working = this.drain().finally(() => {
      this.working = null;
      this.scheduleNext();
    });
  }

  private scheduleNext(): void {
    if (!this.running) return;
    const next = this.d.db.prepare("SELECT min(next_attempt_at) FROM erasure_calls WHERE status = 'waiting'").pluck().get() as string | null;
    if (!next) return;
    this.timer = setTimeout(() => this.kick(), Math.min(Math.max(0, Date.parse(next) - this.d.clock()), 60_000));
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.running) return;
      const due = this.d.db
        .prepare("SELECT id, erasure_id, app, target_json, attempts FROM erasure_calls WHERE status = 'waiting' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT 1")
        .get(this.now()) as { id: string; erasure_id: string; app: ErasureApp; target_json: string | null; attempts: number } | undefined;
      if (!due) return;
      await this.send(due);
    }
  }

  private async send(call: { id: string; erasure_id: string; app: ErasureApp; target_json: string | null; attempts: number }): Promise<void> {
    const attempt = call.attempts + 1;
    const t = readJson(target, call.target_json ?? '{}', 'erasure target');
    const ctx = { idempotencyKey: call.id, attempt };
    try {
      const found = await this.callApp(call.app, t, ctx);
      this.d.db.transaction(() => {
        // The identifiers go with the answer: the record keeps only that it is done.
        this.d.db
          .prepare("UPDATE erasure_calls SET status = 'done', target_json = NULL, attempts = ?, last_error = NULL, done_at = ?, outcome = ? WHERE id = ?")
          .run(attempt, this.now(), found ? 'erased' : 'not_found', call.id);
        const left = this.d.db.prepare("SELECT count(*) FROM erasure_calls WHERE erasure_id = ? AND status != 'done'").pluck().get(call.erasure_id) as number;
        if (left === 0) this.d.db.prepare('UPDATE erasures SET finished_at = ? WHERE id = ?').run(this.now(), call.erasure_id);
      })();
      this.checkpoint();
    } catch (err) {
      const e = err as Error;
      const giveUp = e instanceof PermanentError || attempt >= MAX_ATTEMPTS;
      const wait = e instanceof NotConfiguredError ? 3_600_000 : (this.d.backoff ?? ((a) => backoffMs(a)))(attempt);
      this.d.db
        .prepare('UPDATE erasure_calls SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?')
        .run(giveUp ? 'failed' : 'waiting', attempt, e.message, this.now(this.d.clock() + wait), call.id);
      this.d.log.warn('an erasure call failed', { app: call.app, attempt, error: e });
    }
    this.d.changed();
  }

  private async callApp(app: ErasureApp, t: Target, ctx: { idempotencyKey: string; attempt: number }): Promise<boolean> {
    switch (app) {
      case 'loops':
        return (await this.d.integrations.loops.deleteContact(t.email!, ctx)).found;
      case 'notion':
        return (await this.d.integrations.notion.trashPage(t.page_id!, ctx)).found;
      case 'meta':
        await this.d.integrations.meta.removeFromAudiences({ email: t.email!, phone: t.phone ?? null }, ctx);
        return true;
    }
  }

  /** Folds the WAL into the database and empties it, once no erasure waits (best effort: busy readers just mean later). */
  checkpoint(): void {
    const waiting = this.d.db.prepare("SELECT count(*) FROM erasure_calls WHERE status = 'waiting'").pluck().get() as number;
    if (waiting) return;
    try {
      this.d.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      this.d.log.warn('could not checkpoint the database after an erasure', { error: e as Error });
    }
  }
}
