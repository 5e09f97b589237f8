// A ledger that cannot be opened is one line naming the file (exit 2), never SQLite's bare words;
// a reader of a ledger it cannot write still reads it. (A read-only directory: test/e2e/badInputRecords.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/core/errors.js';
import { openRecords } from '../../src/core/records/index.js';
import { tempDir } from './helpers.js';

function openError(path: string): UserError {
  try {
    openRecords(path).close();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  return expect.fail(`${path} opened`);
}

describe('opening a ledger that cannot be used', () => {
  it('a file that is not a ledger: names it, says what to do, and leaves it as it was', () => {
    const file = join(tempDir(), 'records.db');
    writeFileSync(file, `SQLite format 3\0${'x'.repeat(4000)}`);
    const before = readFileSync(file);
    const e = openError(file);
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.message).toBe(`${file}: not a readable records database (file is not a database); move it aside (clawdeploy then starts a new one) or restore it from a backup`);
    expect(() => openRecords(file, { access: 'read' })).toThrow(e.message);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a state dir that cannot be made (a file in its place): writers get one line; readers an empty ledger', () => {
    const blocker = join(tempDir(), 'state');
    writeFileSync(blocker, 'not a directory');
    const file = join(blocker, 'records.db');
    const e = openError(file);
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.message).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: cannot open the records for writing \\((EEXIST|ENOTDIR)[^)]*\\); make its directory writable, or set CLAWDEPLOY_STATE_DIR`));
    const r = openRecords(file, { access: 'read' });
    expect(r.history()).toEqual([]);
    expect(r.findInterrupted()).toEqual({ interrupted: [], inProgress: [], elsewhere: [] });
    r.close();
  });
});
