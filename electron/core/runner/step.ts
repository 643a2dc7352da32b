/**
 * Steps: the units a flow is composed of. A local step changes only the database and commits its
 * effect together with its completion (so a crash can never apply it twice); a call step talks
 * to a vendor with an idempotency key stable across retries and resumes.
 */
import type { z } from 'zod';
import type { CallContext } from '../integrations/types.js';
import type { Vendor } from '../outbound/rate-limiter.js';
import type { Services } from './services.js';

export type StepOutcome<O> = { status: 'completed'; output: O } | { status: 'skipped'; reason: string };

export interface StepContext {
  runId: string;
  flow: string;
  eventId: string | null;
  /** The lead this run is about, once known. */
  leadId: string | null;
  services: Services;
  /** The output of an earlier step of this run that completed (typed by its schema). */
  output<O>(step: StepDef<unknown, O>): O | undefined;
  now(): string;
}

export interface LocalContext extends StepContext {
  /** Records the lead this run is about (shown on the lead's timeline). */
  setLead(leadId: string): void;
  /** Runs after the transaction commits (live updates, desktop notifications). */
  after(fn: () => void): void;
}

export interface CallStepContext extends StepContext {
  call: CallContext;
}

export type CallOutcome<O> = StepOutcome<O> & {
  /** Local effects of a successful call (e.g. the Notion page id), committed with the completion. */
  localEffects?: (ctx: LocalContext) => void;
};

interface StepBase<I, O> {
  name: string;
  /** Stored input is read back through this schema. */
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  /** Steps that must complete first; if one fails or is skipped, this one is skipped too. */
  needs?: AnyStep[];
}

export interface LocalStep<I, O> extends StepBase<I, O> {
  kind: 'local';
  /** Runs inside the transaction that records the step's completion: synchronous on purpose. */
  apply(input: I, ctx: LocalContext): StepOutcome<O>;
}

export interface CallStep<I, O> extends StepBase<I, O> {
  kind: 'call';
  /** The integration whose outbox the call waits in, paced by that vendor's limits. */
  integration: Vendor;
  /** What a backlog of these calls is called on screen: "welcome emails". */
  backlog: string;
  call(input: I, ctx: CallStepContext): Promise<CallOutcome<O>>;
  /** When the vendor takes many at once: calls queued together go out as one request. */
  batch?: CallBatch<I, O>;
}

export interface CallBatch<I, O> {
  /** Calls with the same key may share a request (e.g. one Meta audience). */
  key(input: I): string;
  /** The most calls one request may carry. */
  max: number;
  /**
   * One outcome per call, in order, or the error of that call alone (e.g. one event of a batch
   * refused); throwing fails (or retries) them all.
   */
  callMany(calls: { input: I; ctx: CallStepContext }[]): Promise<(CallOutcome<O> | Error)[]>;
}

export type StepDef<I, O> = LocalStep<I, O> | CallStep<I, O>;
/** Any step, for lists of steps of different types (inputs are re-validated by each step's schema). */
export type AnyStep = StepDef<unknown, unknown>;

export const completed = <O>(output: O): StepOutcome<O> => ({ status: 'completed', output });
export const skipped = (reason: string): { status: 'skipped'; reason: string } => ({ status: 'skipped', reason });

export const localStep = <I, O>(def: Omit<LocalStep<I, O>, 'kind'>): LocalStep<I, O> => ({ kind: 'local', ...def });
export const callStep = <I, O>(def: Omit<CallStep<I, O>, 'kind'>): CallStep<I, O> => ({ kind: 'call', ...def });

/** A lone call sent the way a batch is: its batch's callMany with one call (its error thrown). */
export const callOne =
  <I, O>(callMany: CallBatch<I, O>['callMany']): CallStep<I, O>['call'] =>
  async (input, ctx) => {
    const [result] = await callMany([{ input, ctx }]);
    if (result instanceof Error) throw result;
    return result!;
  };

/** A step as planned into a run: its name and its input (or why it will not run). */
export interface PlannedStep {
  name: string;
  input: unknown;
  skip?: string;
  /** The app a call step calls: recorded with the plan, so a step that never runs still counts as one. */
  integration?: string;
}

export function plan<I>(step: StepDef<I, unknown>, input: I, skip?: string | null): PlannedStep {
  return { name: step.name, input, ...(skip ? { skip } : {}), ...(step.kind === 'call' && { integration: step.integration }) };
}
