// `plan` and `apply` take one host or a fleet (`--on`, `--resume ROLLOUT`, a fleet runbook):
// which command runs, and the flags that do not go with it, each a one-line error. The routing
// is pure (routePlan, routeApply); the commands are imported only once chosen, so --help stays fast.
import { UserError } from '../../core/errors.js';
import type { PlanCommandOptions } from './plan.js';
import type { FleetPlanOptions } from './planFleet.js';
import type { ApplyCommandOptions } from './apply.js';
import type { FleetApplyOptions } from './applyFleet.js';

/** `plan`'s flags as commander parses them. */
export interface PlanFlags {
  flake: string;
  base?: string;
  json?: boolean;
  runbook?: string;
  explain?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
  on?: string;
  parallel?: string;
  canary?: string;
  goal?: string;
  buildOnTarget?: boolean;
}

/** `apply`'s flags as commander parses them (`--resume` alone: a host's; `--resume ID`: a rollout's). */
export interface ApplyFlags {
  flake: string;
  yes?: boolean;
  runbook?: string;
  resume?: boolean | string;
  deadline?: string;
  on?: string;
  parallel?: string;
  canary?: string;
  rollbackAll?: boolean;
  skipUnreachable?: boolean;
  json?: boolean;
  goal?: string;
  buildOnTarget?: boolean;
}

export type PlanRoute = { to: 'fleet'; opts: FleetPlanOptions } | { to: 'single'; host: string; opts: PlanCommandOptions };
export type ApplyRoute = { to: 'fleet'; opts: FleetApplyOptions } | { to: 'single'; host: string | undefined; opts: ApplyCommandOptions };

export function routePlan(host: string | undefined, flags: PlanFlags, sshConfig: string | undefined): PlanRoute {
  if (flags.on !== undefined) {
    if (host) throw new UserError('plan: give HOST or --on SELECTOR, not both');
    for (const [flag, set] of [
      ['--base', flags.base],
      ['--explain', flags.explain],
      ['--build-on-target', flags.buildOnTarget],
    ] as const)
      if (set !== undefined) throw new UserError(`plan --on: ${flag} is for one host (plan HOST ${flag})`);
    const { flake, on, parallel, canary, json, runbook, goal } = flags;
    return { to: 'fleet', opts: { flake, on, parallel, canary, json, runbook, sshConfig, ...(goal !== undefined ? { goal } : {}) } };
  }
  if (!host) throw new UserError('plan: name a HOST, or select hosts with --on SELECTOR');
  for (const [flag, set] of [
    ['--parallel', flags.parallel],
    ['--canary', flags.canary],
  ] as const)
    if (set !== undefined) throw new UserError(`plan: ${flag} goes with --on SELECTOR`);
  const { on: _on, parallel: _p, canary: _c, ...single } = flags;
  return { to: 'single', host, opts: { ...single, sshConfig } };
}

/** `fleetRunbook`: `--runbook` names a fleet runbook (runbookKind), which only `apply` reads. */
export function routeApply(host: string | undefined, flags: ApplyFlags, sshConfig: string | undefined, fleetRunbook: boolean): ApplyRoute {
  const rollout = typeof flags.resume === 'string' ? flags.resume : undefined;
  if (flags.on !== undefined || rollout !== undefined || fleetRunbook) {
    if (host) throw new UserError(`apply: give HOST or --on SELECTOR${rollout !== undefined ? ' (or --resume ROLLOUT)' : ''}, not both`);
    if (flags.runbook && !fleetRunbook) throw new UserError(`apply --on: --runbook ${flags.runbook} is the runbook of one host (apply --runbook ${flags.runbook} runs it)`);
    if (fleetRunbook && flags.on !== undefined) throw new UserError(`apply --runbook ${flags.runbook}: the fleet runbook selects its hosts; leave out --on`);
    // A resumed rollout goes on with the goals it started with (recorded); a fleet runbook's are checked against its plans.
    if (rollout !== undefined && flags.goal !== undefined) throw new UserError(`apply --resume ${rollout}: the rollout goes on with the goals it started with; leave out --goal`);
    if (flags.buildOnTarget !== undefined) throw new UserError("apply --on: --build-on-target is for one host (a rollout uses each host's inventory buildOnTarget)");
    const { on, parallel, canary, rollbackAll, skipUnreachable, json, yes, deadline, flake, goal } = flags;
    return {
      to: 'fleet',
      opts: {
        flake,
        on,
        parallel,
        canary,
        rollbackAll,
        skipUnreachable,
        json,
        yes,
        deadline,
        sshConfig,
        ...(goal !== undefined ? { goal } : {}),
        ...(rollout !== undefined ? { resume: rollout } : {}),
        ...(fleetRunbook ? { runbook: flags.runbook } : {}),
      },
    };
  }
  for (const [flag, set] of [
    ['--parallel', flags.parallel],
    ['--canary', flags.canary],
    ['--rollback-all', flags.rollbackAll],
    ['--skip-unreachable', flags.skipUnreachable],
    ['--json', flags.json],
  ] as const)
    if (set !== undefined) throw new UserError(`apply: ${flag} goes with --on SELECTOR`);
  const { json: _json, on: _on, parallel: _p, canary: _c, rollbackAll: _r, skipUnreachable: _s, ...single } = flags;
  return { to: 'single', host, opts: { ...single, resume: flags.resume === true, sshConfig } };
}

export async function planDispatch(host: string | undefined, flags: PlanFlags, sshConfig: string | undefined): Promise<void> {
  const r = routePlan(host, flags, sshConfig);
  return r.to === 'fleet' ? (await import('./planFleet.js')).planFleetCommand(r.opts) : (await import('./plan.js')).planCommand(r.host, r.opts);
}

export async function applyDispatch(host: string | undefined, flags: ApplyFlags, sshConfig: string | undefined): Promise<void> {
  const fleetRunbook = flags.runbook !== undefined && (await import('../runbookKind.js')).runbookKind(flags.runbook) === 'clawdeploy-fleet-runbook';
  const r = routeApply(host, flags, sshConfig, fleetRunbook);
  return r.to === 'fleet' ? (await import('./applyFleet.js')).applyFleetCommand(r.opts) : (await import('./apply.js')).applyCommand(r.host, r.opts);
}
