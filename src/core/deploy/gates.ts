// Promotion gates for production, as data with defaults: the same flake revision must be
// deployed and healthy on a staging host, a rollback drill must have passed recently, and a
// person must approve explicitly (the approver asks for the host name; `--yes` never counts).
import type { Host } from '../inventory/schema.js';
import type { Plan } from '../plan/schema.js';

export interface GateSettings {
  /** The revision must have succeeded on a staging host first. */
  sameRevisionOnStaging: boolean;
  /** A drill on a staging host must have passed within this many days (0: not required). */
  drillWithinDays: number;
}

export const DEFAULT_GATES: Readonly<Record<'production' | 'staging', GateSettings>> = {
  production: { sameRevisionOnStaging: true, drillWithinDays: 7 },
  staging: { sameRevisionOnStaging: false, drillWithinDays: 0 },
};

/** What the gates need from the records (kept small so it is easy to satisfy in tests). */
export interface GateFacts {
  /** Staging hosts where this revision was deployed and passed validation. */
  stagingHostsWithRev(rev: string): string[];
  /** The time of the last passed drill on a host, or null. */
  lastPassedDrill(host: string): Date | null;
}

export interface GateResult {
  gate: string;
  ok: boolean;
  message: string;
  fix?: string;
}

export function checkGates(plan: Plan, host: Host, inventory: Host[], facts: GateFacts, now = new Date(), settings = DEFAULT_GATES[host.environment]): GateResult[] {
  const results: GateResult[] = [];
  const staging = inventory.filter((h) => h.environment === 'staging').map((h) => h.name);
  const stagingList = staging.join(', ') || 'none in the inventory';
  if (settings.sameRevisionOnStaging) {
    const rev = plan.flake.target.rev;
    if (!rev || plan.flake.target.dirty) {
      results.push({
        gate: 'same-revision-on-staging',
        ok: false,
        message: 'the flake has uncommitted changes, so no staging deploy can vouch for this exact revision',
        fix: 'commit the change, deploy it to staging, then promote',
      });
    } else {
      const on = facts.stagingHostsWithRev(rev);
      results.push(
        on.length
          ? { gate: 'same-revision-on-staging', ok: true, message: `revision ${rev.slice(0, 12)} is deployed and healthy on ${on.join(', ')}` }
          : {
              gate: 'same-revision-on-staging',
              ok: false,
              message: `revision ${rev.slice(0, 12)} has no green deploy on a staging host (${stagingList})`,
              fix: `deploy it to staging first: clawdeploy apply ${staging[0] ?? '<staging-host>'}`,
            },
      );
    }
  }
  if (settings.drillWithinDays > 0) {
    const limit = now.getTime() - settings.drillWithinDays * 86_400_000;
    const recent = staging.map((name) => ({ name, at: facts.lastPassedDrill(name) })).filter((d): d is { name: string; at: Date } => d.at !== null && d.at.getTime() >= limit);
    results.push(
      recent.length
        ? { gate: 'recent-rollback-drill', ok: true, message: `a rollback drill passed on ${recent[0]!.name} at ${recent[0]!.at.toISOString()}` }
        : {
            gate: 'recent-rollback-drill',
            ok: false,
            message: `no rollback drill passed on a staging host in the last ${settings.drillWithinDays} days`,
            fix: `run one: clawdeploy drill ${staging[0] ?? '<staging-host>'}`,
          },
    );
  }
  return results;
}
