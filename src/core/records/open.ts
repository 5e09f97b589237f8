// Opens the ledger for a command: a problem with the file is a one-line error naming it (exit 2);
// a command that only reads still works on a ledger it cannot write (an in-memory copy).
import type Database from 'better-sqlite3';
import { openDatabase } from './db.js';
import { openProblem } from './openProblem.js';
import { openSnapshot } from './snapshot.js';

export type RecordsAccess = 'write' | 'read';

export function openLedger(path: string, access: RecordsAccess): Database.Database {
  try {
    return openDatabase(path);
  } catch (e) {
    const problem = openProblem(path, e);
    if (!problem) throw e;
    if (problem.kind !== 'unwritable' || access !== 'read') throw problem.error;
  }
  try {
    return openSnapshot(path);
  } catch (e) {
    throw openProblem(path, e, true)?.error ?? e;
  }
}
