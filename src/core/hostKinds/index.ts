// The strategy of each host kind: callers ask it instead of checking the kind themselves.
import type { HostKind } from '../inventory/schema.js';
import { homeManager } from './homeManager.js';
import { nixos } from './nixos.js';
import { profile } from './profile.js';
import type { DeployRsProfile, HostKindStrategy } from './types.js';

export type { DeployRsProfile, HostKindStrategy, OptionFacts } from './types.js';

// Typed by HostKind: a kind added to the schema does not compile until it has its row here.
const KINDS: Readonly<Record<HostKind, HostKindStrategy>> = { 'home-manager': homeManager, nixos, profile };

/** Asked in this order which kind a deploy-rs profile holds: the specific kinds first, the catch-all last. */
const DEPLOY_RS_ORDER: readonly HostKindStrategy[] = [nixos, homeManager, profile];

export function hostKind(kind: HostKind): HostKindStrategy {
  return KINDS[kind];
}

/** The strategy of a kind read from outside the schema (e.g. a plan's facts), or null when unknown. */
export function findHostKind(kind: string | null | undefined): HostKindStrategy | null {
  return kind && Object.hasOwn(KINDS, kind) ? KINDS[kind as HostKind] : null;
}

/** Every kind, for listings and tests. */
export function allHostKinds(): HostKindStrategy[] {
  return Object.values(KINDS);
}

/** The kind a deploy-rs profile holds, from where it lands and its name (deploy-rs itself does not say). */
export function kindOfDeployRsProfile(p: DeployRsProfile): HostKind {
  return (DEPLOY_RS_ORDER.find((s) => s.claimsDeployRsProfile(p)) ?? profile).kind;
}
