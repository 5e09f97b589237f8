// The CLI's side of an interrupted deploy (core/deploy/interrupted.ts): read-only commands and
// rollback say so; apply and drill refuse until one of the two ways out is taken.
import type { Records } from '../core/records/index.js';
import { UserError } from '../core/errors.js';
import { interruption } from '../core/deploy/interrupted.js';
import { err } from './output.js';

/** Says it on stderr (read-only commands and rollback go on). */
export function warnIfInterrupted(records: Records, host: string): void {
  const i = interruption(records, host);
  if (i) err(`clawdeploy: note: ${i.message}`);
}

/** Refuses (exit 2) while a deploy runs or one was interrupted; `allowInterrupted` is apply --resume. */
export function refuseIfInterrupted(records: Records, host: string, allowInterrupted = false): void {
  const i = interruption(records, host);
  if (i && (i.running || !allowInterrupted)) throw new UserError(i.message);
}
