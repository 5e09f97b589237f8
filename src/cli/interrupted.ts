// The CLI's side of an interrupted deploy (core/deploy/interrupted.ts) for read-only commands; apply,
// rollback and drill get theirs from the deploy service (core/deploy/service.ts, recoveryService.ts).
import type { Records } from '../core/records/index.js';
import { interruption } from '../core/deploy/interrupted.js';
import { err } from './output.js';

/** Says it on stderr (read-only commands and rollback go on). */
export function warnIfInterrupted(records: Records, host: string): void {
  const i = interruption(records, host);
  if (i) err(`clawdeploy: note: ${i.message}`);
}
