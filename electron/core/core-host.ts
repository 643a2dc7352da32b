/**
 * Keeps one core running and can restart it in place (after a restore), for embedders that
 * serve the API themselves (headless mode, tests): the API handlers and live updates they hold
 * stay the same objects and reach whichever core is running.
 */
import { METHOD_NAMES, type ApiHandlers } from '../../shared/api/contract.js';
import { LiveBus } from './api/live-bus.js';
import { ApiError } from './api/api-error.js';
import { createCore, type Core, type CoreOptions } from './app.js';

export interface CoreHost {
  readonly core: Core;
  handlers: ApiHandlers;
  live: LiveBus;
  /** Stops the core and starts it again on the same data folder (a staged restore is applied then). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ALL_TOPICS = ['lead', 'event', 'request', 'run', 'notification', 'status', 'settings', 'trigger'] as const;

export async function startCoreHost(opts: CoreOptions, create: (o: CoreOptions) => Promise<Core> = createCore): Promise<CoreHost> {
  const live = opts.live ?? new LiveBus();
  let core: Core | null = null;
  let restarting: Promise<void> | null = null;
  const options: CoreOptions = { ...opts, live, restart: () => void host.restart() };
  core = await create(options);

  const handlers = Object.fromEntries(
    METHOD_NAMES.map((m) => [
      m,
      async (input: unknown) => {
        if (restarting) await restarting;
        if (!core) throw new ApiError('unavailable', 'Leadbell is restarting: try again in a moment.');
        return (core.handlers[m] as (i: unknown) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as ApiHandlers;

  const host: CoreHost = {
    get core() {
      if (!core) throw new Error('the core is not running');
      return core;
    },
    handlers,
    live,
    restart() {
      restarting ??= (async () => {
        const old = core;
        core = null;
        await old?.stop();
        // Notices from the first start (a moved data folder) were given then.
        core = await create({ ...options, startupNotices: [] });
        // Everything the UI shows may have changed: every cached answer is stale.
        for (const topic of ALL_TOPICS) live.publish({ topic });
      })().finally(() => {
        restarting = null;
      });
      return restarting;
    },
    async stop() {
      await restarting?.catch(() => undefined);
      await core?.stop();
      core = null;
    },
  };
  return host;
}

