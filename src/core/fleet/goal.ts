// `--goal` over a fleet (`apply --on … --goal G`, `plan --on … --goal G`): every selected host
// takes G, so every one must be of a kind that deploys with it (only NixOS has goals other than
// switch). Refused before anything runs, naming each host that does not, as `plan HOST --goal`
// says it for one host.
import type { Goal, Host } from '../inventory/schema.js';
import { hostKind } from '../hostKinds/index.js';
import { UserError } from '../errors.js';

export function fleetGoalProblem(goal: Goal | undefined, hosts: ReadonlyArray<Pick<Host, 'name' | 'kind'>>): string | null {
  if (!goal) return null;
  const off = hosts.filter((h) => !hostKind(h.kind).goals.includes(goal));
  if (!off.length) return null;
  const which = off.length === 1 ? `host '${off[0]!.name}' is ${hostKind(off[0]!.kind).label}` : `hosts ${off.map((h) => `'${h.name}' (${hostKind(h.kind).label})`).join(', ')} are not NixOS`;
  return `--goal ${goal}: ${which}; only NixOS hosts take a goal other than switch`;
}

/** Throws the one-line refusal (exit 2, as for one host) when a selected host cannot take `goal`. */
export function assertFleetGoal(goal: Goal | undefined, hosts: ReadonlyArray<Pick<Host, 'name' | 'kind'>>): void {
  const problem = fleetGoalProblem(goal, hosts);
  if (problem) throw new UserError(problem);
}
