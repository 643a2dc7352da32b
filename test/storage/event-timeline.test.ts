import { expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.js';
import { EventStore } from '../../electron/core/storage/event-store.js';
import { tempDir } from '../helpers/core.js';
import { newEvent } from '../helpers/events.js';

it("a lead's timeline holds its dispatched and not-yet-dispatched events, newest first, through indexes", () => {
  const db = openDatabase(tempDir());
  const events = new EventStore(db);
  const ids = db.transaction(() =>
    Array.from({ length: 40 }, (_, n) => events.insert(newEvent(n % 4 === 0 ? 'lead.a' : n % 4 === 1 ? 'lead.b' : 'lead.other', { n })).id),
  )();
  // Every other event of lead.a has been dispatched; the rest wait for the engine.
  ids.filter((_, n) => n % 8 === 0).forEach((id) => events.markDispatched(id));

  const timeline = events.forResources(['lead.a', 'lead.b']);
  const expected = ids.filter((_, n) => n % 4 <= 1).reverse();
  expect(timeline.map((e) => e.id)).toEqual(expected);
  expect(events.forResources(['lead.a', 'lead.b'], 3).map((e) => e.id)).toEqual(expected.slice(0, 3));
  expect(events.forResources(['lead.none'])).toEqual([]);

  // No full scan of the events table: the lookup stays fast however long the history grows.
  const plan = db
    .prepare(
      `EXPLAIN QUERY PLAN SELECT * FROM events WHERE dispatched = 1 AND resource_id IN (?, ?)
       UNION ALL SELECT * FROM events WHERE dispatched = 0 AND resource_id IN (?, ?) ORDER BY seq DESC LIMIT ?`,
    )
    .all('a', 'b', 'a', 'b', 5) as { detail: string }[];
  const details = plan.map((p) => p.detail).join('\n');
  expect(details).toMatch(/USING INDEX events_resource/);
  expect(details).toMatch(/USING INDEX events_undispatched/);
  expect(details).not.toMatch(/SCAN events(?! USING)/);
  db.close();
});
