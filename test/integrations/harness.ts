/**
 * The integrations over real stores (a SQLite file in a temp folder, encrypted secrets) with a
 * capturing logger and their own pacer registry, so suites do not share rate-limit state.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../electron/core/log/logger.js';
import type { HttpSend } from '../../electron/core/outbound/http-transport.js';
import { PacerRegistry, type RatePolicy, type Vendor } from '../../electron/core/outbound/rate-limiter.js';
import { createIntegrations, type Integrations } from '../../electron/core/integrations/registry.js';
import { PermanentError, RetryableError, type CallContext } from '../../electron/core/integrations/types.js';
import { keyFileCipher } from '../../electron/core/secrets/cipher.js';
import { SecretStore } from '../../electron/core/secrets/secret-store.js';
import { openDatabase, type Db } from '../../electron/core/storage/database.js';
import { SettingsStore } from '../../electron/core/storage/settings-store.js';
import { tempDir } from '../helpers/core.js';
import { configureFakes, type Fakes } from '../fakes/vendors.js';

/** The timeout of `quick`, for tests of hung vendors. */
export const QUICK_TIMEOUT_MS = 300;

export interface Harness {
  /** Generous timeout (3 s): a loaded test machine must not turn a success into a timeout. */
  integrations: Integrations;
  /** The same integrations (stores, pacers, log) with a 0.3 s timeout, for hung vendors. */
  quick: Integrations;
  stores: { secrets: SecretStore; settings: SettingsStore };
  /** Every line the integrations logged. */
  logs: string[];
  close(): void;
}

export interface HarnessOptions {
  rateLimits?: Partial<Record<Vendor, RatePolicy>>;
  /** Configure every integration to use these fakes. */
  fakes?: Fakes;
  /** A stand-in for the HTTP wire, for answers no fake gives. */
  send?: HttpSend;
}

export function startHarness(opts: HarnessOptions = {}): Harness {
  const dir = tempDir('leadbell-integrations-');
  const db: Db = openDatabase(dir);
  // The store's logger is not the one under test: secrets must stay out of the integrations'
  // log lines on their own, not because the logger happens to know and mask them.
  const secrets = new SecretStore(db, keyFileCipher(dir), {}, createLogger({ write: () => {} }));
  const settings = new SettingsStore(db);
  const logs: string[] = [];
  const deps = {
    secrets,
    settings,
    log: createLogger({ level: 'debug', write: (l) => logs.push(l) }),
    rateLimits: opts.rateLimits,
    pacers: new PacerRegistry(),
    send: opts.send,
  };
  const h: Harness = {
    integrations: createIntegrations({ ...deps, timeoutMs: 3_000 }),
    quick: createIntegrations({ ...deps, timeoutMs: QUICK_TIMEOUT_MS }),
    stores: { secrets, settings },
    logs,
    close: () => db.close(),
  };
  if (opts.fakes) configureFakes(h, opts.fakes);
  return h;
}

/** A fresh call context, as the runner would give a step. */
export function ctx(idempotencyKey = `run-${randomUUID()}:step-1`, attempt = 1): CallContext {
  return { idempotencyKey, attempt };
}

/** The error a call threw (fails the test when it did not throw). */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export async function retryable(p: Promise<unknown>): Promise<RetryableError> {
  const err = await failure(p);
  if (!(err instanceof RetryableError)) throw new Error(`expected RetryableError, got ${err.constructor.name}: ${err.message}`);
  return err;
}

export async function permanent(p: Promise<unknown>): Promise<PermanentError> {
  const err = await failure(p);
  if (!(err instanceof PermanentError)) throw new Error(`expected PermanentError, got ${err.constructor.name}: ${err.message}`);
  return err;
}

/** A loopback URL where nothing listens: a server is started, its port noted, and it is closed. */
export async function closedPortUrl(path = '/'): Promise<string> {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}${path}`;
}
