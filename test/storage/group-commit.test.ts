/**
 * Group commit on a real SQLite file, with the syncs (the fsyncs) held open by the test: a batch
 * commits while the previous one syncs, writes that arrive while two syncs run wait and are
 * committed together when one ends, and nobody is answered before the sync that covers their
 * commit and every earlier answer.
 */
import { expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/storage/database.js';
import { GroupCommit } from '../../electron/core/storage/group-commit.js';
import { tempDir } from '../helpers/core.js';

const turn = () => new Promise((r) => setImmediate(r));

function heldSyncs() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    pending,
    sync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

function setup() {
  const db = openDatabase(tempDir());
  db.exec('CREATE TABLE t (n INTEGER)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  const batches: number[][] = [];
  const syncs = heldSyncs();
  const gc = new GroupCommit<number, number>(
    db,
    (items) => {
      batches.push(items);
      return items.map((n) => Number(insert.run(n).lastInsertRowid));
    },
    syncs.sync,
  );
  const rows = () => db.prepare('SELECT count(*) FROM t').pluck().get() as number;
  return { db, gc, batches, syncs, rows };
}

it('a second batch commits while the first one syncs; later writes wait for a sync to end; answers go in commit order', async () => {
  const { db, gc, batches, syncs, rows } = setup();
  const answered: number[] = [];
  const submit = (n: number) => gc.submit(n).then((id) => answered.push(id));
  const first = submit(1);
  await turn();
  expect(batches).toEqual([[1]]);
  expect(syncs.pending).toHaveLength(1);

  // The loop does not idle on the first sync: the next writes are committed and their sync starts.
  const second = [2, 3].map(submit);
  await turn();
  expect(batches).toEqual([[1], [2, 3]]);
  expect(syncs.pending).toHaveLength(2);

  // Both syncs run: these wait, uncommitted.
  const third = [4, 5].map(submit);
  await turn();
  await turn();
  expect(batches).toEqual([[1], [2, 3]]);
  expect(rows()).toBe(3);

  // The second sync ends first: its writes are durable, but not answered before the first's.
  syncs.pending[1]!.resolve();
  await turn();
  await turn();
  expect(answered).toEqual([]);

  syncs.pending[0]!.resolve();
  await first;
  await Promise.all(second);
  await turn();
  expect(answered).toEqual([1, 2, 3]);
  expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  expect(rows()).toBe(5);
  // Committed but not yet durable: not answered.
  syncs.pending[2]!.resolve();
  await Promise.all(third);
  expect(answered).toEqual([1, 2, 3, 4, 5]);
  await gc.close();
  db.close();
});

it('a failed sync fails exactly the writes it was to cover', async () => {
  const { db, gc, syncs } = setup();
  const a = gc.submit(1);
  await turn();
  const b = gc.submit(2);
  syncs.pending[0]!.reject(new Error('disk gone'));
  await expect(a).rejects.toThrow('disk gone');
  await turn();
  syncs.pending[1]!.resolve();
  await expect(b).resolves.toBe(2);
  await gc.close();
  db.close();
});

it('close commits what is queued, waits for its sync, then refuses new writes', async () => {
  const { db, gc, syncs, rows } = setup();
  const a = gc.submit(1);
  await turn();
  const b = gc.submit(2);
  let closed = false;
  const closing = gc.close().then(() => (closed = true));
  await expect(gc.submit(3)).rejects.toThrow('storage is closed');
  syncs.pending[0]!.resolve();
  await a;
  await turn();
  expect(rows()).toBe(2);
  expect(closed).toBe(false);
  syncs.pending[1]!.resolve();
  await closing;
  await expect(b).resolves.toBe(2);
  db.close();
});
