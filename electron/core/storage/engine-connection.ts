/**
 * The automation engine's own connection to the database file. Its commits are not fsynced
 * (synchronous=NORMAL in WAL mode), so the engine never blocks the event loop on the disk:
 * a killed process loses nothing committed, and after a power cut the engine's newest state
 * changes may be lost whole, never half: an event whose dispatch was lost is dispatched again
 * (it is still marked undispatched), and a step whose completion was lost runs again with the
 * same idempotency key. Everything acknowledged to a sender is fsynced by the ingest path.
 */
import { openConnection, type Db } from './database.js';

/** Open after openDatabase (which creates the file and applies migrations). */
export function openEngineConnection(dataDir: string): Db {
  return openConnection(dataDir, { synchronous: 'NORMAL' });
}
