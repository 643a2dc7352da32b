/**
 * Home's tile counts refresh with every live update, and the inbox keeps accepted requests for
 * good: each count must be an index search on the real schema, never a read of a whole table.
 */
import { describe, expect, it } from 'vitest';
import { TODAY_COUNTS } from '../../electron/core/api/stats.js';
import { openDatabase } from '../../electron/core/storage/database.js';
import { tempDir } from '../helpers/core.js';

describe("today's counts", () => {
  const db = openDatabase(tempDir());
  for (const [tile, sql] of Object.entries(TODAY_COUNTS)) {
    it(`${tile} searches an index`, () => {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(new Date().toISOString()) as { detail: string }[]).map((r) => r.detail);
      // Every step that reads a table searches an index; an OR of indexed terms or a correlated
      // subquery only groups such searches.
      const reads = plan.filter((step) => !/^(MULTI-INDEX OR|INDEX \d+|CORRELATED SCALAR SUBQUERY \d+)$/.test(step));
      expect(reads.length).toBeGreaterThan(0);
      for (const step of reads) expect(step).toMatch(/^SEARCH \w+ USING (COVERING )?INDEX/);
    });
  }
});
