// What every acceptable plan must do, whoever wrote its steps: a model's proposal and a runbook
// someone may have edited are held to the same rules as the deterministic plan. The apply
// installs the planned build, validation reads the gateway and probes every channel on the
// gateway's port, and rollback returns to the current generation by number and store path.
import type { Host } from '../inventory/schema.js';
import type { Plan } from './schema.js';

const APPLY_ACTIONS = new Set(['build', 'build-on-target', 'copy-closure', 'set-profile', 'activate', 'activate-test', 'dry-activate']);
const PREPARES = new Set(['build', 'build-on-target', 'copy-closure']);
const GATEWAY_CHECKS = new Set(['gateway-status', 'gateway-health']);

type Steps = Plan['steps'];
const goalOf = (s: Steps['apply'][number]) => (s.args['goal'] as string | undefined) ?? 'switch';

/**
 * Problems with `steps` measured against `ref`: the plan whose facts (status, goal, current and
 * next generation) the steps claim to act on. `host` gives the attribute, the port and the channels.
 */
export function planInvariants(steps: Steps, ref: Plan, host: Host): string[] {
  const goal = ref.goal ?? 'switch';
  // boot runs nothing now and dry-activate nothing at all: there is no new gateway to validate.
  const validated = goal === 'switch' || goal === 'test';
  return [...applyInvariants(steps, ref, host), ...(validated ? validateInvariants(steps, host) : noValidation(steps, goal)), ...rollbackInvariants(steps, ref)];
}

function applyInvariants(steps: Steps, ref: Plan, host: Host): string[] {
  const out: string[] = [];
  const next = ref.generations.next?.storePath;
  const goal = ref.goal ?? 'switch';
  for (const s of steps.apply) if (!APPLY_ACTIONS.has(s.action)) out.push(`apply may only build, copy, set the profile and activate; ${s.action} is not allowed there`);
  if (ref.status !== 'ready') {
    if (steps.apply.length) out.push(`the plan is ${ref.status}: there must be no apply steps`);
    return out;
  }
  // Another attribute or store path here would build or ship something nobody reviewed.
  for (const s of steps.apply) {
    if ((s.action === 'build' || s.action === 'build-on-target') && s.args['attribute'] !== host.attribute)
      out.push(`apply may only build the host's attribute ${host.attribute}, not ${String(s.args['attribute'])}`);
    if (s.action === 'copy-closure' && s.args['storePath'] !== next) out.push(`apply may only copy the planned build ${next}, not ${String(s.args['storePath'])}`);
  }
  // Built on the host, a copy from here is exactly what the host asked not to get.
  if (ref.buildOnTarget && steps.apply.some((s) => s.action === 'build' || s.action === 'copy-closure')) out.push('the plan builds on the host: apply must not build here or copy a closure from here');
  if (!ref.buildOnTarget && steps.apply.some((s) => s.action === 'build-on-target')) out.push('the plan builds here: apply must not build on the host');
  const set = steps.apply.filter((s) => s.action === 'set-profile');
  const activates = steps.apply.filter((s) => s.action === 'activate' || s.action === 'activate-test');
  const dry = steps.apply.filter((s) => s.action === 'dry-activate');
  if (goal === 'dry-activate') {
    if (set.length || activates.length) out.push('goal dry-activate: apply must not set the profile or activate anything');
    if (dry.length !== 1 || dry[0]!.args['storePath'] !== next) out.push(`goal dry-activate: apply must dry-activate the planned build ${next}, once`);
    return out;
  }
  if (dry.length) out.push(`goal ${goal}: dry-activate belongs to goal dry-activate`);
  if (goal === 'test') {
    // The boot default is not touched: the build runs from its store path.
    if (set.length) out.push('goal test: apply must not set the profile (it stays the boot default)');
    if (activates.length !== 1 || activates[0]!.action !== 'activate-test' || activates[0]!.args['storePath'] !== next)
      out.push(`goal test: apply must activate the planned build ${next} with activate-test, once`);
    const actAt = steps.apply.findIndex((s) => s.action === 'activate-test');
    if (actAt >= 0 && steps.apply.some((s, i) => PREPARES.has(s.action) && i > actAt)) out.push('apply must build and copy before it activates');
    return out;
  }
  if (set.length !== 1 || set[0]!.args['storePath'] !== next) out.push(`apply must set the profile exactly once, to the planned build ${next}`);
  if (!activates.length) out.push('apply must activate the new generation');
  for (const a of activates) if (a.action !== 'activate' || goalOf(a) !== goal) out.push(`goal ${goal}: apply must activate with ${goal}, not ${a.action === 'activate' ? goalOf(a) : a.action}`);
  const setAt = steps.apply.findIndex((s) => s.action === 'set-profile');
  const actAt = steps.apply.findIndex((s) => s.action === 'activate');
  if (setAt >= 0 && actAt >= 0 && actAt < setAt) out.push('apply must set the profile before it activates');
  const prepAfterSet = steps.apply.some((s, i) => PREPARES.has(s.action) && i > setAt);
  if (setAt >= 0 && prepAfterSet) out.push('apply must build and copy before it sets the profile');
  return out;
}

/** boot and dry-activate: whatever validation says would be about the old generation. */
function noValidation(steps: Steps, goal: string): string[] {
  return steps.validate.length ? [`goal ${goal}: there is no new gateway to validate, so there must be no validation steps`] : [];
}

function validateInvariants(steps: Steps, host: Host): string[] {
  const out: string[] = [];
  const port = host.gateway.port;
  // A check on another port could be answered by something that is not this gateway.
  const onPort = (s: Steps['validate'][number]) => s.args['port'] === port;
  const probes = steps.validate.filter((s) => s.action === 'channels-probe');
  const probed = new Set(probes.filter(onPort).flatMap((s) => (Array.isArray(s.args['channels']) ? (s.args['channels'] as string[]) : [])));
  if (!steps.validate.some((s) => GATEWAY_CHECKS.has(s.action))) out.push('validation must check the gateway (gateway-status or gateway-health)');
  else if (!steps.validate.some((s) => GATEWAY_CHECKS.has(s.action) && onPort(s))) out.push(`validation must check the gateway on its port ${port}`);
  if (!probes.length) out.push('validation must probe the channels (channels-probe): health OK is not enough');
  else if (!probes.some(onPort)) out.push(`validation must probe the channels on the gateway's port ${port}`);
  for (const ch of host.channels) if (probes.some(onPort) && !probed.has(ch)) out.push(`validation must probe channel ${ch}`);
  for (const s of steps.validate) if (s.risk !== 'read') out.push(`validation may only read; ${s.action} changes the host`);
  return out;
}

function rollbackInvariants(steps: Steps, ref: Plan): string[] {
  const current = ref.generations.current;
  const goal = ref.goal ?? 'switch';
  if (goal === 'dry-activate') return steps.rollback.length ? ['goal dry-activate: nothing changes, so there must be no rollback steps'] : [];
  if (ref.status !== 'ready' || !current) return [];
  const out: string[] = [];
  const switches = steps.rollback.filter((s) => s.action === 'switch-generation');
  const activates = steps.rollback.filter((s) => s.action === 'activate' || s.action === 'activate-test');
  const again = goal === 'boot' ? 'boot' : goal === 'test' ? 'test' : 'switch';
  for (const a of activates) if (a.action !== 'activate' || goalOf(a) !== again) out.push(`goal ${goal}: rollback must activate the previous generation with ${again}`);
  if (goal === 'test') {
    // The profile never moved: rollback is activating its generation again.
    if (switches.length) out.push('goal test: rollback must not switch the profile (it never moved)');
    if (!activates.length) out.push(`rollback must activate generation ${current.number} again`);
    return out;
  }
  const back = switches[0];
  if (switches.length !== 1 || back!.args['generation'] !== current.number || back!.args['storePath'] !== current.storePath) {
    out.push(`rollback must switch back to generation ${current.number} (${current.storePath}), once`);
  }
  const switchAt = steps.rollback.indexOf(back!);
  if (!steps.rollback.some((s, i) => s.action === 'activate' && i > switchAt)) out.push('rollback must activate the previous generation again, after switching to it');
  return out;
}
