/** What a SQLite failure means to the owner, in plain words (shown in the UI and in 503 answers). */
export function storageMessage(err: Error): string {
  const code = (err as Error & { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) return 'the data folder is read-only';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an input/output error';
  if (code === 'SQLITE_BUSY') return 'the database is busy';
  return 'storage is unavailable';
}
