// Opens the ledger file: private file mode, WAL for concurrent readers/writers, and the schema.
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations.js';

/** How long a writer waits for another process's transaction before failing. */
export const BUSY_TIMEOUT_MS = 10_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Switching a new file to WAL needs an exclusive lock, and SQLite reports SQLITE_BUSY for it at
// once instead of calling the busy handler: two processes opening a fresh file race here.
function withBusyRetry<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw e;
      sleepSync(5 + Math.random() * 20);
    }
  }
}

export function openDatabase(file: string): Database.Database {
  // Created dirs get 0700; an existing dir (maybe one the user chose) is left as it is.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Create the file ourselves so it starts 0600; SQLite gives -wal/-shm the same mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  // SQLite would quietly open a file it cannot write read-only and fail at the first write.
  accessSync(dirname(file), constants.W_OK);
  accessSync(file, constants.R_OK | constants.W_OK);
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    withBusyRetry(() => db.pragma('journal_mode = WAL'));
    // FULL: a commit is on disk before the call returns, so a kill -9 (or power loss) keeps it.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
