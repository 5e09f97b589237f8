// The ledger for a command that only reads (history, status) when its directory cannot be
// written: SQLite must write beside a WAL database even to read it, so this is an in-memory copy.
// What the command writes to it (marking dead deploys interrupted) goes nowhere.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { migrate } from './migrations.js';

export function openSnapshot(file: string): Database.Database {
  const db = new Database(existsSync(file) ? rollbackFormat(copyOf(file)) : Buffer.alloc(0));
  try {
    migrate(db, undefined, file);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function copyOf(file: string): Buffer {
  try {
    const live = new Database(file, { readonly: true, fileMustExist: true });
    try {
      live.pragma('user_version'); // opens the file now: serialize() would only say "out of memory"
      return live.serialize(); // with what the WAL file holds
    } finally {
      live.close();
    }
  } catch (e) {
    // No -shm could be made to read a WAL through; without a -wal file the main file holds every commit.
    if ((e as { code?: unknown }).code !== 'SQLITE_CANTOPEN' || existsSync(`${file}-wal`)) throw e;
    return readFileSync(file);
  }
}

/** Bytes 18-19 of the header say WAL (2); an in-memory database reads only the rollback format (1). */
function rollbackFormat(bytes: Buffer): Buffer {
  if (bytes.length > 19) bytes.fill(1, 18, 20);
  return bytes;
}
