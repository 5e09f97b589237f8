// Builds the apply, validate and rollback steps of a plan from the catalog. Every argv here
// comes from validateAction, so a plan can only hold what the catalog allows.
import type { Goal, Host } from '../inventory/schema.js';
import type { GenerationRef, Step } from './schema.js';
import { validateAction, type ActionContext, type ActionId } from './catalog.js';

interface Proposal {
  action: ActionId;
  args: Record<string, unknown>;
  reason: string;
}

/** One catalog step; the deploy flow's own steps (lock, record, watchdog) are made here too. */
export function makeStep(id: string, action: ActionId, args: Record<string, unknown>, reason: string, ctx: ActionContext): Step {
  const v = validateAction(action, args, ctx);
  // clawdeploy only proposes valid steps itself; anything else is a bug here.
  if (!v.ok) throw new Error(`clawdeploy proposed an invalid step: ${v.reason}`);
  return { id, action, args, on: v.spec.on, reason, risk: v.spec.risk, argv: v.argv };
}

function toSteps(prefix: string, proposals: Proposal[], ctx: ActionContext): Step[] {
  return proposals.map((p, i) => makeStep(`${prefix}-${i + 1}`, p.action, p.args, p.reason, ctx));
}

/** Checks that say the gateway and every channel are really up (health OK is not enough: #84). */
export function validationProposals(host: Host): Proposal[] {
  const port = host.gateway.port;
  const out: Proposal[] = [];
  if (host.gateway.manager === 'systemd-user' || host.gateway.manager === 'systemd-system') {
    out.push({
      action: 'service-status',
      args: { unit: host.gateway.unit, scope: host.gateway.manager === 'systemd-user' ? 'user' : 'system' },
      reason: `the ${host.gateway.unit} unit must be active`,
    });
  }
  out.push({ action: 'gateway-status', args: { port }, reason: 'the gateway must answer RPC (--require-rpc)' });
  out.push({ action: 'gateway-health', args: { port }, reason: host.runtimePlugins.length ? `health must be ok with plugins loaded: ${host.runtimePlugins.join(', ')}` : 'health must be ok' });
  for (const check of host.healthChecks.http) {
    out.push({
      action: 'http-check',
      args: { port: check.port, path: check.path },
      reason: check.path === '/readyz' ? 'readiness: 200 only when channels, plugins and hooks are up' : `${check.path} must answer 200`,
    });
  }
  out.push({
    action: 'channels-probe',
    args: { port, channels: host.channels },
    reason: host.channels.length
      ? `every channel must probe "works": ${host.channels.join(', ')} (a healthy gateway can still have dead channels, nix-openclaw #84)`
      : 'no channels are configured; the probe confirms that',
  });
  return out;
}

/** The validation steps of a host (smoke tests, drills and rollbacks use them on their own). */
export function validationSteps(host: Host, ctx: ActionContext, prefix = 'validate'): Step[] {
  return toSteps(prefix, validationProposals(host), ctx);
}

/**
 * Switch the profile to a generation and activate it: the core of every rollback. `boot`: make it
 * the boot default again without activating it now (undoing a `boot` deploy restarts nothing).
 */
export function switchSteps(host: Host, ctx: ActionContext, target: GenerationRef, prefix = 'rollback', goal: 'switch' | 'boot' = 'switch'): Step[] {
  return toSteps(
    prefix,
    [
      { action: 'switch-generation', args: { profile: host.profile, generation: target.number, storePath: target.storePath }, reason: `return to generation ${target.number} (${target.storePath})` },
      goal === 'boot'
        ? { action: 'activate', args: { profile: host.profile, goal }, reason: `make generation ${target.number} the boot default again (nothing restarts now)` }
        : { action: 'activate', args: { profile: host.profile }, reason: `activate generation ${target.number}: restores its config and restarts the gateway` },
    ],
    ctx,
  );
}

export interface StepInput {
  host: Host;
  ctx: ActionContext;
  current: GenerationRef | null;
  /** The host as the current generation configures the gateway: the rollback validates that one. */
  currentHost?: Host | undefined;
  nextStorePath: string | null;
  /** The number the new generation gets (default: current + 1). */
  nextNumber?: number;
  /** What the deploy does with the build (default switch; see inventory/schema.ts Goal). */
  goal?: Goal;
  /** Build in the host's store instead of here and copying (an ssh host). */
  buildOnTarget?: boolean;
}

export function buildSteps(input: StepInput): { apply: Step[]; validate: Step[]; rollback: Step[] } {
  const { apply, validate, rollback } = proposalsFor(input);
  return { apply: toSteps('apply', apply, input.ctx), validate: toSteps('validate', validate, input.ctx), rollback: toSteps('rollback', rollback, input.ctx) };
}

/** Build here (copied to an ssh host), or on the host itself: nothing the host runs changes. */
function prepareProposals({ host, ctx, buildOnTarget }: StepInput, nextStorePath: string): Proposal[] {
  if (buildOnTarget && ctx.storeUrl)
    return [
      {
        action: 'build-on-target',
        args: { attribute: host.attribute },
        reason: `build the new generation in the store of ${host.name} (only its derivations go there; no closure is copied from here)`,
      },
    ];
  const out: Proposal[] = [{ action: 'build', args: { attribute: host.attribute }, reason: 'build the new generation on this machine (nothing changes on the host)' }];
  if (ctx.storeUrl) out.push({ action: 'copy-closure', args: { storePath: nextStorePath }, reason: `copy the closure into the store of ${host.name}` });
  return out;
}

function proposalsFor(input: StepInput): { apply: Proposal[]; validate: Proposal[]; rollback: Proposal[] } {
  const { host, current, currentHost, nextStorePath, nextNumber } = input;
  const goal = input.goal ?? 'switch';
  const profile = host.profile;
  const none = { apply: [], validate: [], rollback: [] };
  if (!nextStorePath || nextStorePath === current?.storePath) return { ...none, validate: validationProposals(host) };
  const prepare = prepareProposals(input, nextStorePath);
  const checks = validationProposals(host);
  const afterRollback = (current ? validationProposals(currentHost ?? host) : []).map((p) => ({ ...p, reason: `after rollback: ${p.reason}` }));
  const setProfile: Proposal = {
    action: 'set-profile',
    args: { profile, storePath: nextStorePath },
    reason: current ? `make it generation ${nextNumber ?? current.number + 1} of ${profile}` : `make it the first generation of ${profile}`,
  };
  const switchBack: Proposal[] = current
    ? [{ action: 'switch-generation', args: { profile, generation: current.number, storePath: current.storePath }, reason: `return to generation ${current.number} (${current.storePath})` }]
    : [];
  switch (goal) {
    case 'dry-activate':
      // Only what planning ran: the build on the host, asked what activating it would restart.
      return { ...none, apply: [...prepare, { action: 'dry-activate', args: { storePath: nextStorePath }, reason: 'list the units activating it would stop, restart and start (changes nothing)' }] };
    case 'test':
      // The profile stays: the boot default and the generation a rollback re-activates.
      return {
        apply: [...prepare, { action: 'activate-test', args: { storePath: nextStorePath }, reason: `activate it without making it the boot default: ${profile} stays on its generation` }],
        validate: checks,
        rollback: current
          ? [{ action: 'activate', args: { profile, goal: 'test' }, reason: `activate generation ${current.number} again: restores its config and restarts the gateway` }, ...afterRollback]
          : [],
      };
    case 'boot':
      // Nothing runs the new generation before a reboot: there is no new gateway to validate.
      return {
        apply: [...prepare, setProfile, { action: 'activate', args: { profile, goal: 'boot' }, reason: 'make it the boot default: nothing restarts now, the gateway runs it after the next reboot' }],
        validate: [],
        rollback: current ? [...switchBack, { action: 'activate', args: { profile, goal: 'boot' }, reason: `make generation ${current.number} the boot default again (nothing restarts now)` }] : [],
      };
    case 'switch':
      return {
        apply: [...prepare, setProfile, { action: 'activate', args: { profile }, reason: 'activate it: links the new openclaw.json and restarts the gateway' }],
        validate: checks,
        rollback: current
          ? [...switchBack, { action: 'activate', args: { profile }, reason: `activate generation ${current.number} again: restores its config and restarts the gateway` }, ...afterRollback]
          : [],
      };
  }
}
