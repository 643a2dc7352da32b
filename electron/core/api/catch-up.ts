/**
 * Catch-up: after an app is connected (or fixed), the steps it skipped as not set up are run for
 * the leads the owner picks (all, those added in a date range, a segment). Exactly once per lead
 * and step: a lead that already got it (or has it under way) is left out, the chosen steps are
 * reopened in one transaction (so a crash reopens all or none), and each keeps its idempotency
 * key, so a call resent after a crash is recognised by the app. They wait in the app's lane and
 * are paced like any other call.
 */
import type { ApiHandlers, MethodParsedInput } from '../../../shared/api/contract.js';
import { INTEGRATIONS, isIntegrationName } from '../../../shared/integrations/index.js';
import type { Flow } from '../flows/flow.js';
import type { Integrations } from '../integrations/registry.js';
import type { BatchWriter } from '../runner/batch-writer.js';
import type { Lifecycle } from '../runner/lifecycle.js';
import type { Runner } from '../runner/runner.js';
import type { Db } from '../storage/database.js';
import { looseName, looseValue } from '../storage/lead-store.js';
import type { RunStore, StepRecord } from '../storage/run-store.js';
import { ApiError } from './api-error.js';
import { callLabel } from './health-handlers.js';
import type { LiveBus } from './live-bus.js';
import { reopenSteps } from './retry-by-hand.js';

export type CatchUpHandlers = Pick<ApiHandlers, 'getCatchUp' | 'runCatchUp'>;

export interface CatchUpDeps {
  db: Db;
  runs: RunStore;
  lifecycle: Lifecycle;
  batches: BatchWriter;
  runner: Runner;
  flows: ReadonlyMap<string, Flow>;
  integrations: Integrations;
  live: LiveBus;
}

type Choice = MethodParsedInput<'getCatchUp'>;

/**
 * One step per (lead, step name): the earliest skipped-as-not-set-up one, for a lead with no step
 * of that name completed or under way anywhere.
 */
function candidates(db: Db, c: Choice): { id: string; name: string; lead_id: string }[] {
  const where = ["s.status = 'skipped'", 's.not_configured = 1', 's.integration = @integration', 'r.lead_id IS NOT NULL'];
  const params: Record<string, unknown> = { integration: c.name };
  if (c.from) {
    where.push('l.created_at >= @from');
    params.from = c.from;
  }
  if (c.to) {
    where.push('l.created_at < @to');
    params.to = c.to;
  }
  const segment = c.segment && looseValue(c.segment);
  if (segment) {
    where.push(`${looseName('l.segment')} = @segment`);
    params.segment = segment;
  }
  return db
    .prepare(
      `SELECT min(s.id) AS id, s.name, r.lead_id FROM steps s JOIN runs r ON r.id = s.run_id JOIN leads l ON l.id = r.lead_id
        WHERE ${where.join(' AND ')}
          AND NOT EXISTS (SELECT 1 FROM runs r2 JOIN steps s2 ON s2.run_id = r2.id
                           WHERE r2.lead_id = r.lead_id AND s2.name = s.name AND s2.status IN ('completed', 'pending', 'running'))
        GROUP BY r.lead_id, s.name`,
    )
    .all(params) as { id: string; name: string; lead_id: string }[];
}

function summary(flows: ReadonlyMap<string, Flow>, rows: { name: string }[]): { label: string; count: number }[] {
  const out: { label: string; count: number }[] = [];
  for (const r of rows) {
    const label = callLabel(flows, r.name);
    const same = out.find((o) => o.label === label);
    if (same) same.count++;
    else out.push({ label, count: 1 });
  }
  return out;
}

export function catchUpHandlers(d: CatchUpDeps): CatchUpHandlers {
  const check = (name: string) => {
    if (!isIntegrationName(name)) throw new ApiError('invalid_input', `unknown app "${name}"`);
    return INTEGRATIONS[name].label;
  };
  return {
    getCatchUp: async (c) => {
      check(c.name);
      const rows = candidates(d.db, c);
      const leads = new Set(rows.map((r) => r.lead_id)).size;
      return { leads, steps: summary(d.flows, rows) };
    },

    runCatchUp: async (c) => {
      const app = check(c.name);
      const unavailable = isIntegrationName(c.name) ? d.integrations.unavailable(c.name) : null;
      if (unavailable) throw new ApiError('conflict', `${unavailable}: connect ${app} first, then catch up`);
      const done = await d.batches.write(() => {
        // Chosen inside the transaction that reopens them, so two catch-ups never pick the same lead twice.
        const rows = candidates(d.db, c);
        const steps = rows.map((r) => d.runs.step(r.id)).filter((s): s is StepRecord => Boolean(s));
        return { runs: reopenSteps(d, steps), steps: summary(d.flows, rows) };
      });
      for (const id of done.runs) {
        d.live.publish({ topic: 'run', id });
        d.runner.enqueue(id);
      }
      const n = done.steps.reduce((a, s) => a + s.count, 0);
      return { started: n, steps: done.steps, message: n ? `${n} ${n === 1 ? 'call' : 'calls'} to ${app} will go out now, paced like any other` : 'Every chosen lead already has it: nothing to send' };
    },
  };
}
