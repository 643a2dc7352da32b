/**
 * A real core (receiver, SQLite file, engine) wired to the vendor fakes: tests post webhooks to
 * the receiver and read what each fake vendor received and what the core stored.
 */
import { expect } from 'vitest';
import type { Run } from '../../shared/api/models.js';
import type { CoreOptions } from '../../electron/core/app.js';
import { PacerRegistry } from '../../electron/core/outbound/rate-limiter.js';
import { configureFakes, startFakes, type Fakes } from '../fakes/vendors.js';
import { post, startTestCore, type TestCore } from '../helpers/core.js';

/** A clock the test moves by hand (thresholds, delays, retry times). */
export class ManualClock {
  constructor(public ms = Date.parse('2026-03-02T09:00:00.000Z')) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface World {
  tc: TestCore;
  fakes: Fakes;
  /** POSTs a webhook body to an endpoint of the real receiver; expects it to be accepted. */
  send(endpoint: string, body: Record<string, unknown>): Promise<string>;
  /** Waits until nothing is being dispatched or run. */
  settle(): Promise<void>;
  /** Runs started by one event, with their steps. */
  runsOf(eventId: string): Promise<Run[]>;
  run(flow: string, eventId: string): Promise<Run>;
  stop(): Promise<void>;
}

export async function startWorld(overrides: Partial<CoreOptions> = {}, dataDir?: string): Promise<World> {
  const fakes = await startFakes();
  const tc = await startTestCore(
    { integrations: { pacers: new PacerRegistry(), timeoutMs: 2_000 }, ...overrides },
    ...(dataDir ? [dataDir] : []),
  );
  configureFakes(tc.core, fakes);
  const world: World = {
    tc,
    fakes,
    async send(endpoint, body) {
      const res = await post(tc.url(`/api/webhooks/${endpoint}`), body, { accept: 'application/json' });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return (res.body as { event_id: string }).event_id;
    },
    settle: () => tc.core.engine.idle(),
    async runsOf(eventId) {
      const list = await tc.api('GET', '/api/runs?limit=1000');
      expect(list.status).toBe(200);
      const ids = (list.body.items as Run[]).filter((r) => r.event_id === eventId).map((r) => r.id);
      return Promise.all(ids.map(async (id) => (await tc.api('GET', `/api/runs/${id}`)).body as Run));
    },
    async run(flow, eventId) {
      const run = (await world.runsOf(eventId)).find((r) => r.flow === flow);
      if (!run) throw new Error(`no ${flow} run for event ${eventId}`);
      return run;
    },
    async stop() {
      await tc.stop();
      await fakes.stop();
    },
  };
  return world;
}

/** A run's steps by name: status, and output or error. */
export function stepsOf(run: Run): Record<string, { status: string; output: unknown; error: string | null; attempts: number }> {
  return Object.fromEntries((run.steps ?? []).map((s) => [s.name, { status: s.status, output: s.output, error: s.error, attempts: s.attempts }]));
}
