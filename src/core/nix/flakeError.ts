// Why Nix could not evaluate or build the flake, in one line naming what to fix: flake.lock when
// it is malformed (Nix's JSON error names no file), else Nix's error and the file and line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLock } from '../analysis/lockSchema.js';
import { isUserError, UserError } from '../errors.js';
import { nixErrorLine } from './command.js';
import { nixErrorLocation } from './errorLocation.js';

/** `what`: the context, e.g. "flake /src/f: cannot evaluate clawdeploy.hosts". */
export function flakeError(flakeDir: string, what: string, stderr: string): UserError {
  if (/json\.exception/.test(stderr)) {
    const lockError = malformedLock(flakeDir);
    if (lockError) return lockError;
  }
  const where = nixErrorLocation(stderr, flakeDir);
  return new UserError(`${what}: ${nixErrorLine(stderr)}${where ? ` (at ${where})` : ''}`);
}

/** The error naming flake.lock and its field, when our own reading of it fails too. */
function malformedLock(flakeDir: string): UserError | null {
  const file = join(flakeDir, 'flake.lock');
  if (!existsSync(file)) return null;
  try {
    parseLock(readFileSync(file, 'utf8'), file);
    return null;
  } catch (e) {
    return isUserError(e) ? e : null;
  }
}
