// What a mutating command needs, opened once: the records, the audit log, the redactor, and
// the terminal's approver. Closed by the caller.
import { openRecords, type Records } from '../core/records/index.js';
import { openAuditLog, auditPath } from '../core/exec/audit.js';
import { ledgerFor, gateFactsFor } from '../core/deploy/recordsLedger.js';
import type { DeployDeps } from '../core/deploy/apply.js';
import type { DrillLedger } from '../core/deploy/ledger.js';
import type { GateFacts } from '../core/deploy/gates.js';
import { screenRedactor } from './redactor.js';
import { cliApprover, type CliApproverOptions } from './approver.js';
import { progressPrinter } from './progress.js';
import { watchdogSecondsFromEnv } from './watchdogSeconds.js';

export interface CliDeps {
  records: Records;
  deploy: DeployDeps & { drills: DrillLedger };
  gates: GateFacts;
  close(): void;
}

export function openCliDeps(o: { sshConfig?: string; approver: CliApproverOptions; deadlineSec?: number; quiet?: boolean }): CliDeps {
  const redactor = screenRedactor();
  const watchdogSeconds = watchdogSecondsFromEnv();
  const records = openRecords(undefined, { redact: (s) => redactor.redact(s) });
  const ledger = ledgerFor(records);
  return {
    records,
    gates: gateFactsFor(records),
    deploy: {
      ledger,
      drills: ledger,
      audit: openAuditLog(auditPath()),
      redactor,
      approver: cliApprover(o.approver),
      sshConfig: o.sshConfig,
      onEvent: o.quiet ? undefined : progressPrinter(),
      validation: o.deadlineSec !== undefined ? { deadlineMs: o.deadlineSec * 1000 } : undefined,
      ...(watchdogSeconds !== undefined ? { watchdogSeconds } : {}),
    },
    close: () => records.close(),
  };
}
