// This machine's records (records.db, audit.jsonl) must never stand between a changed host and
// its validation or rollback: a full or read-only state dir made a write throw right after an
// activation, and the host was left on an unvalidated generation. Every write of a deploy goes
// through these wrappers: a failure is kept (the first per file), the deploy goes on, and the
// flow reports it once the host is safe.
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../exec/types.js';
import type { DrillLedger, Ledger } from './ledger.js';

export class WriteFailures {
  /** File (or sink) -> the first error written to it. */
  private readonly first = new Map<string, string>();

  note(where: string, e: unknown): void {
    if (!this.first.has(where)) this.first.set(where, e instanceof Error ? e.message : String(e));
  }

  get any(): boolean {
    return this.first.size > 0;
  }

  /** "<file>: <error> and <file>: <error>", or null when every write went through. */
  summary(): string | null {
    return this.any ? [...this.first].map(([where, error]) => `${where}: ${error}`).join(' and ') : null;
  }
}

/** A write that never throws: its failure is noted against `where` (the audit log's appends). */
function safely(failures: WriteFailures, where: string) {
  return <A extends unknown[]>(write: (...args: A) => void) =>
    (...args: A): void => {
      try {
        write(...args);
      } catch (e) {
        failures.note(where, e);
      }
    };
}

/**
 * The same for a ledger write, which returns a Promise: it never rejects, and its failure (a
 * rejection, or a throw before any Promise) is noted against `where`. It resolves once the write
 * is done, so a caller that awaits it keeps the records' order.
 */
function safelyAsync(failures: WriteFailures, where: string) {
  return <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await write(...args);
      } catch (e) {
        failures.note(where, e);
      }
    };
}

/** A record's start that never rejects: a failed one still gives an id (known to no file). */
async function started(failures: WriteFailures, where: string, start: () => Promise<string>): Promise<string> {
  try {
    return await start();
  } catch (e) {
    failures.note(where, e);
    return `unrecorded-${randomUUID()}`;
  }
}

/** The ledger with writes that never reject. */
export function guardedLedger(ledger: Ledger, failures: WriteFailures): Ledger {
  const where = ledger.file ?? 'the local records';
  const guard = safelyAsync(failures, where);
  return {
    file: where,
    start: (input) => started(failures, where, () => ledger.start(input)),
    step: guard((id, r) => ledger.step(id, r)),
    health: guard((id, rs) => ledger.health(id, rs)),
    approval: guard((id, stepId, approver, how, what) => ledger.approval(id, stepId, approver, how, what)),
    finish: guard((id, outcome, extra) => ledger.finish(id, outcome, extra)),
  };
}

export function guardedDrills(drills: DrillLedger, where: string, failures: WriteFailures): DrillLedger {
  return {
    startDrill: (host, from, to) => started(failures, where, () => drills.startDrill(host, from, to)),
    finishDrill: safelyAsync(failures, where)((id, outcome, detail) => drills.finishDrill(id, outcome, detail)),
  };
}

export function guardedAudit(audit: AuditLog, failures: WriteFailures): AuditLog {
  const where = 'path' in audit && typeof audit.path === 'string' ? audit.path : 'the audit log';
  return { append: safely(failures, where)((entry) => audit.append(entry)) };
}

/**
 * The one line said at the end of a deploy whose local writes failed, once the host is safe:
 * what was lost, where the host is, and whether the host's own record was written.
 */
export function unrecordedNote(failures: WriteFailures, host: { generation: number | null; healthy: boolean; /** null: none was due. */ hostRecord: boolean | null }): string | null {
  const lost = failures.summary();
  if (!lost) return null;
  const parts = [`the local record could not be written: ${lost}`];
  if (host.generation !== null) parts.push(`the host is ${host.healthy ? 'safe ' : ''}on generation ${host.generation}`);
  if (host.hostRecord !== null) parts.push(`the on-host record ${host.hostRecord ? 'was written' : 'could not be written either'}`);
  return parts.join('; ');
}
