// A deploy killed mid-way (kill -9, a lost terminal) leaves its host in between: every command
// on that host says so, and offers the two ways out. apply and drill refuse until one is taken.
import type { Records } from '../core/records/index.js';
import { UserError } from '../core/errors.js';
import { err } from './output.js';

export interface Interruption {
  /** One line: what was interrupted and what to run. */
  message: string;
  /** Another clawdeploy is deploying the host right now. */
  running: boolean;
}

/** What is unfinished on this host, if anything (marks dead deploys of this machine interrupted). */
export function interruption(records: Records, host: string): Interruption | null {
  const scan = records.findInterrupted(host);
  if (scan.inProgress.length) return { running: true, message: `host '${host}': another clawdeploy (pid ${scan.inProgress[0]!.pid}) is deploying it right now` };
  const last = records.history(host, 1)[0];
  if (last?.outcome !== 'interrupted') return null;
  return {
    running: false,
    message: `host '${host}': ${last.operation} ${last.id.slice(0, 8)} (started ${last.startedAt}) was interrupted; run \`clawdeploy rollback ${host}\` to return to generation ${last.generationBefore?.number ?? '?'}, or \`clawdeploy apply ${host} --resume\` to plan and deploy again`,
  };
}

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
