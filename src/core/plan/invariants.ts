// What every acceptable plan must do, whoever wrote its steps: a model's proposal and a runbook
// someone may have edited are held to the same rules as the deterministic plan. The apply
// installs the planned build, validation reads the gateway and probes every channel on the
// gateway's port, and rollback returns to the current generation by number and store path.
import type { Host } from '../inventory/schema.js';
import type { Plan } from './schema.js';

const APPLY_ACTIONS = new Set(['build', 'copy-closure', 'set-profile', 'activate']);
const GATEWAY_CHECKS = new Set(['gateway-status', 'gateway-health']);

/**
 * Problems with `steps` measured against `ref`: the plan whose facts (status, current and next
 * generation) the steps claim to act on. `host` gives the attribute, the port and the channels.
 */
export function planInvariants(steps: Plan['steps'], ref: Plan, host: Host): string[] {
  return [...applyInvariants(steps, ref, host), ...validateInvariants(steps, host), ...rollbackInvariants(steps, ref)];
}

function applyInvariants(steps: Plan['steps'], ref: Plan, host: Host): string[] {
  const out: string[] = [];
  const next = ref.generations.next?.storePath;
  for (const s of steps.apply) if (!APPLY_ACTIONS.has(s.action)) out.push(`apply may only build, copy, set the profile and activate; ${s.action} is not allowed there`);
  if (ref.status !== 'ready') {
    if (steps.apply.length) out.push(`the plan is ${ref.status}: there must be no apply steps`);
    return out;
  }
  const set = steps.apply.filter((s) => s.action === 'set-profile');
  if (set.length !== 1 || set[0]!.args['storePath'] !== next) out.push(`apply must set the profile exactly once, to the planned build ${next}`);
  // Another attribute or store path here would build or ship something nobody reviewed.
  for (const s of steps.apply) {
    if (s.action === 'build' && s.args['attribute'] !== host.attribute) out.push(`apply may only build the host's attribute ${host.attribute}, not ${String(s.args['attribute'])}`);
    if (s.action === 'copy-closure' && s.args['storePath'] !== next) out.push(`apply may only copy the planned build ${next}, not ${String(s.args['storePath'])}`);
  }
  if (!steps.apply.some((s) => s.action === 'activate')) out.push('apply must activate the new generation');
  const setAt = steps.apply.findIndex((s) => s.action === 'set-profile');
  const actAt = steps.apply.findIndex((s) => s.action === 'activate');
  if (setAt >= 0 && actAt >= 0 && actAt < setAt) out.push('apply must set the profile before it activates');
  const prepAfterSet = steps.apply.some((s, i) => (s.action === 'build' || s.action === 'copy-closure') && i > setAt);
  if (setAt >= 0 && prepAfterSet) out.push('apply must build and copy before it sets the profile');
  return out;
}

function validateInvariants(steps: Plan['steps'], host: Host): string[] {
  const out: string[] = [];
  const port = host.gateway.port;
  // A check on another port could be answered by something that is not this gateway.
  const onPort = (s: Plan['steps']['validate'][number]) => s.args['port'] === port;
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

function rollbackInvariants(steps: Plan['steps'], ref: Plan): string[] {
  const current = ref.generations.current;
  if (ref.status !== 'ready' || !current) return [];
  const out: string[] = [];
  const switches = steps.rollback.filter((s) => s.action === 'switch-generation');
  const back = switches[0];
  if (switches.length !== 1 || back!.args['generation'] !== current.number || back!.args['storePath'] !== current.storePath) {
    out.push(`rollback must switch back to generation ${current.number} (${current.storePath}), once`);
  }
  const switchAt = steps.rollback.indexOf(back!);
  if (!steps.rollback.some((s, i) => s.action === 'activate' && i > switchAt)) out.push('rollback must activate the previous generation again, after switching to it');
  return out;
}
