// Why the ledger file cannot be opened, as one line naming it (bad input, exit 2): a directory
// that cannot be written, or a file that is not a ledger. Null for what is ours to fix.
import { UserError } from '../errors.js';

export interface OpenProblem {
  kind: 'unwritable' | 'corrupt';
  error: UserError;
}

// ENOENT: a recursive mkdir under a read-only mount says so.
const UNWRITABLE_FS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'EDQUOT']);
const UNWRITABLE_SQLITE = /^SQLITE_(READONLY|CANTOPEN|PERM|FULL|IOERR)/;
const CORRUPT_SQLITE = /^SQLITE_(NOTADB|CORRUPT)/;

export function openProblem(path: string, e: unknown, reading = false): OpenProblem | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  // Node's messages repeat the path after a comma: "EROFS: read-only file system, open '…'".
  const reason = (e instanceof Error ? e.message : String(e)).split(', ')[0]!;
  if (UNWRITABLE_FS.has(code) || UNWRITABLE_SQLITE.test(code)) {
    const what = reading ? 'cannot read the records' : 'cannot open the records for writing';
    return { kind: 'unwritable', error: new UserError(`${path}: ${what} (${reason}); make its directory writable, or set CLAWDEPLOY_STATE_DIR to one that is`) };
  }
  if (CORRUPT_SQLITE.test(code)) {
    return { kind: 'corrupt', error: new UserError(`${path}: not a readable records database (${reason}); move it aside (clawdeploy then starts a new one) or restore it from a backup`) };
  }
  return null;
}
