/**
 * The relay Worker with its Durable Object's SQLite storage watched and limited as Cloudflare's
 * is, for tests run in workerd (miniflare counts nothing and enforces no quota):
 * - every cursor's `rowsRead` / `rowsWritten` is added up; `GET /__rows` answers the sums since
 *   the last call (https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/);
 * - FAKE_DAILY_ROWS_READ / FAKE_DAILY_ROWS_WRITTEN set a daily quota: "If you exceed any one of
 *   the free tier limits, further operations of that type will fail with an error"
 *   (https://developers.cloudflare.com/durable-objects/platform/pricing/). Cloudflare does not
 *   document the Durable Object wording; the error follows D1's documented one
 *   (https://developers.cloudflare.com/changelog/2026-09-01-d1-free-tier-limit-enforcement/).
 * Bundled in place of relay/src/worker.ts (scripts/relay-bundle.mjs takes another entry).
 */
import relay, { RelayQueue as Queue } from '../../relay/src/worker.js';
import type { Env } from '../../relay/src/env.js';

interface FakeEnv extends Env {
  FAKE_DAILY_ROWS_READ?: string;
  FAKE_DAILY_ROWS_WRITTEN?: string;
}

const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
const used = { read: 0, written: 0 };

function settle(): { read: number; written: number } {
  const sum = { read: 0, written: 0 };
  for (const c of cursors.splice(0)) {
    sum.read += c.rowsRead;
    sum.written += c.rowsWritten;
  }
  used.read += sum.read;
  used.written += sum.written;
  return sum;
}

const taken = { read: 0, written: 0 };

function watched(sql: SqlStorage, env: FakeEnv): SqlStorage {
  const limit = (v: string | undefined) => (v ? Number(v) : Infinity);
  return new Proxy(sql, {
    get(target, prop) {
      if (prop !== 'exec') {
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      }
      return (query: string, ...args: SqlStorageValue[]) => {
        settle();
        if (/^\s*(INSERT|UPDATE|DELETE|REPLACE)/i.test(query) && used.written >= limit(env.FAKE_DAILY_ROWS_WRITTEN)) {
          throw new Error("Your account has exceeded Durable Objects' free tier daily row write limit. Upgrade to a paid plan or wait until tomorrow (midnight UTC) to continue.");
        }
        if (used.read >= limit(env.FAKE_DAILY_ROWS_READ)) {
          throw new Error("Your account has exceeded Durable Objects' free tier daily row read limit. Upgrade to a paid plan or wait until tomorrow (midnight UTC) to continue.");
        }
        const cursor = target.exec(query, ...args);
        cursors.push(cursor);
        return cursor;
      };
    },
  });
}

function watchedCtx(ctx: DurableObjectState, env: FakeEnv): DurableObjectState {
  const storage = new Proxy(ctx.storage, {
    get(target, prop) {
      if (prop === 'sql') return watched(target.sql, env);
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return new Proxy(ctx, {
    get(target, prop) {
      if (prop === 'storage') return storage;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export class RelayQueue extends Queue {
  constructor(ctx: DurableObjectState, env: FakeEnv) {
    super(ctx, env);
    // The runtime checks the state it is given is its own, so the watched one replaces it after.
    Object.defineProperty(this, 'ctx', { value: watchedCtx(ctx, env) });
  }

  override async fetch(req: Request): Promise<Response> {
    if (new URL(req.url).pathname !== '/__rows') return super.fetch(req);
    settle();
    const since = { read: used.read - taken.read, written: used.written - taken.written };
    Object.assign(taken, used);
    return Response.json(since);
  }
}

export default {
  async fetch(req: Request, env: FakeEnv): Promise<Response> {
    if (new URL(req.url).pathname === '/__rows') return env.QUEUE.get(env.QUEUE.idFromName('queue')).fetch(req);
    return relay.fetch(req, env);
  },
};
