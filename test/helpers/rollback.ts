// A rollback proposal as the incident view gets it (generation 2 current, 1 the target), for
// tests of the advice and the questions about it.
import type { NamedCheck, RollbackProposal } from '../../src/core/deploy/rollback.js';

export const G1 = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
export const G2 = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation';

/** Generation 1 last known good unless said otherwise; one closure change unless given. */
export function rollbackProposal(health: NamedCheck[], o: { lastKnownGood?: boolean; changes?: RollbackProposal['changes'] } = {}): RollbackProposal {
  const g1 = { number: 1, date: '2026-11-20 10:00:00', storePath: G1, current: false, lastKnownGood: o.lastKnownGood ?? true };
  const g2 = { number: 2, date: '2026-11-24 06:00:00', storePath: G2, current: true, lastKnownGood: false };
  return { generations: [g1, g2], current: g2, target: g1, healthNow: health, changes: o.changes === undefined ? [{ kind: 'closure', summary: 'openclaw 2026.6.12 → 2026.6.10' }] : o.changes };
}
