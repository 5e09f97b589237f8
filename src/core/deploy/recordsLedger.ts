// The SQLite records seen through the deploy flow's small Ledger port. Records is synchronous;
// each method is async so that a throw (a full disk) reaches the caller as a rejected Promise,
// where guardedRecords.ts keeps it, as rolloutLedgerFor does for the rollouts.
import type { Records } from '../records/index.js';
import type { DrillLedger, Ledger } from './ledger.js';
import type { GateFacts } from './gates.js';

export function ledgerFor(records: Records): Ledger & DrillLedger {
  return {
    file: records.path,
    start: async (input) => records.startDeployment({ ...input, environment: input.environment as 'staging' | 'production', kind: input.kind as 'home-manager' | 'nixos' | 'profile' }),
    step: async (id, r) => records.recordStep(id, { ...r, status: r.status as Parameters<Records['recordStep']>[1]['status'] }),
    health: async (id, rs) =>
      records.recordHealth(
        id,
        rs.map((r) => ({ name: r.check, ok: r.ok, detail: r.detail, attempt: r.attempt })),
      ),
    approval: async (id, stepId, approver, how, what) => records.recordApproval(id, { stepId, approver, how, what, approved: true }),
    finish: async (id, outcome, extra) =>
      records.finishDeployment(id, { outcome: outcome === 'interrupted' ? 'failed' : outcome, generationAfter: extra?.generationAfter ?? null, failedCheck: extra?.failedCheck ?? null }),
    startDrill: async (host, from, to) => records.startDrill({ host, fromGeneration: from, toGeneration: to }),
    finishDrill: async (id, outcome, detail) => records.finishDrill(id, { outcome, detail }),
  };
}

/** The promotion gates' view of the records. */
export function gateFactsFor(records: Records): GateFacts {
  return {
    stagingHostsWithRev: (rev) => [...new Set(records.succeededRevOn(rev, 'staging').map((d) => d.host))].sort(),
    lastPassedDrill: (host) => {
      const d = records.lastPassedDrill(host);
      return d?.finishedAt ? new Date(d.finishedAt) : null;
    },
  };
}
