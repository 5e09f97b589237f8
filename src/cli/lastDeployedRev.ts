// The base a fresh plan is measured from: what the host last got, from the records. `plan` and
// `runbook verify` must agree on it, or a runbook would never match a fresh plan.
import { existsSync } from 'node:fs';
import { openRecords, statePath } from '../core/records/index.js';
import { isUserError } from '../core/errors.js';
import { warnIfInterrupted } from './interrupted.js';
import { err } from './output.js';

/** The flake revision last deployed to `host` (none yet, or no records, is fine); says if a deploy there was interrupted. */
export function lastDeployedRev(host: string): string | null {
  // No records yet (nothing deployed from this machine): nothing to say.
  if (!existsSync(statePath())) return null;
  try {
    const records = openRecords(undefined, { access: 'read' });
    try {
      warnIfInterrupted(records, host);
      return records.lastDeployedRev(host);
    } finally {
      records.close();
    }
  } catch (e) {
    // Records that cannot be read are said (they name the file), not silently planned around.
    if (isUserError(e)) err(`clawdeploy: note: ${e.message}; the plan is measured from git HEAD`);
    return null;
  }
}
