// The deploy flow in this process on a local host (real Nix, real profile, real SQLite records),
// with the approver and the ledger a test chooses: the way the CLI and the ink session call it.
import { execa } from 'execa';
import { join } from 'node:path';
import type { Approver, ApprovalRequest } from '../../src/core/exec/types.js';
import type { DeployDeps } from '../../src/core/deploy/apply.js';
import type { DrillLedger, Ledger } from '../../src/core/deploy/ledger.js';
import { ledgerFor } from '../../src/core/deploy/recordsLedger.js';
import { openRecords, type Records } from '../../src/core/records/index.js';
import { openAuditLog } from '../../src/core/exec/audit.js';
import { createRedactor } from '../../src/core/redact/index.js';
import { analyseHost } from '../../src/core/pipeline/planHost.js';
import { NIX_ENV } from '../helpers/fixtures.js';
import type { LocalHost } from '../helpers/localHost.js';

export interface InProcess {
  deps: DeployDeps & { drills: DrillLedger };
  records: Records;
  /** Every approval request the flow made, in order. */
  asked: ApprovalRequest[];
  close(): void;
}

/** Approves everything (a staging `--yes`). */
export const approveAll: Approver = async () => ({ approved: true, approver: 'tester (--yes)' });

/** Approves the first question only; any later one is declined (a person who says "no" the second time). */
export function approveFirstOnly(): Approver {
  let asked = 0;
  return async () => ({ approved: ++asked === 1, approver: 'tester' });
}

export function inProcess(h: LocalHost, o: { approver?: Approver; stateDir?: string; ledger?: (real: Ledger & DrillLedger) => Ledger & DrillLedger; onEvent?: DeployDeps['onEvent'] } = {}): InProcess {
  const dir = o.stateDir ?? h.stateDir;
  const records = openRecords(join(dir, 'records.db'));
  const real = ledgerFor(records);
  const ledger = o.ledger ? o.ledger(real) : real;
  const asked: ApprovalRequest[] = [];
  const approver = o.approver ?? approveAll;
  return {
    records,
    asked,
    deps: {
      ledger,
      drills: ledger,
      audit: openAuditLog(join(dir, 'audit.jsonl')),
      redactor: createRedactor({}),
      approver: (req) => {
        asked.push(req);
        return approver(req);
      },
      validation: { deadlineMs: 20_000 },
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    },
    close: () => records.close(),
  };
}

/**
 * Runs `fn` as this host's operator: the local transport passes this process's HOME to what it
 * runs (activation, the gateway's state dir), as the CLI gets it from its environment.
 */
export async function asOperator<T>(h: LocalHost, fn: () => Promise<T>): Promise<T> {
  const home = process.env['HOME'];
  process.env['HOME'] = h.home;
  try {
    return await fn();
  } finally {
    if (home === undefined) delete process.env['HOME'];
    else process.env['HOME'] = home;
  }
}

export const analyse = (h: LocalHost) => analyseHost({ flakeDir: h.flake.dir, hostName: 'staging', redact: (s) => s });

export async function currentGeneration(profile: string): Promise<number> {
  const r = await execa('nix-env', ['--profile', profile, '--list-generations'], { env: NIX_ENV });
  return Number(
    r.stdout
      .split('\n')
      .find((l) => l.includes('(current)'))
      ?.trim()
      .split(/\s+/)[0],
  );
}

/** The stand-in gateway's pid (its pidfile in the host's HOME): a restart changes it. */
export async function gatewayPid(h: LocalHost): Promise<string> {
  return (await execa('cat', [join(h.home, '.openclaw', 'gateway.pid')])).stdout.trim();
}

/** A clawdeploy.policy.yaml in the flake that denies every activation (an activation freeze). */
export const DENY_ACTIVATE = [
  'rules:',
  '  - id: activation-freeze',
  '    decision: deny',
  '    actions: [activate]',
  '    reason: activations are frozen',
  '    examples:',
  '      match: [{ action: activate, environment: staging }]',
  '',
].join('\n');
