/**
 * Prepared statements cached per connection and SQL text. Preparing costs more than running a
 * small query; every variant of a store's SQL (a bounded set of filter and sort combinations)
 * is prepared once.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

const caches = new WeakMap<Db, Map<string, Statement>>();

export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
