// The templated plain-language explanation of a plan: what the offline planner says, and
// the floor that a model's explanation is compared against.
import type { Host } from '../inventory/schema.js';
import type { UnhashedPlan } from './schema.js';
import { hostKind } from '../hostKinds/index.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function explain(plan: UnhashedPlan, host: Host): string[] {
  const lines: string[] = [];
  const where = host.target === 'local' ? 'this machine' : host.target;
  lines.push(`Host ${host.name} (${host.environment}) runs OpenClaw from ${hostKind(host.kind).label} on ${where}.`);

  const blocks = plan.findings.filter((f) => f.severity === 'block');
  if (blocks.length) {
    lines.push(`Blocked: ${plural(blocks.length, 'blocking finding')} must be fixed first; nothing will be built or applied.`);
    for (const f of blocks) lines.push(`- ${f.message}`);
    return lines;
  }
  if (plan.status === 'no-change') {
    lines.push('The new generation is identical to the one the host runs now: there is nothing to deploy.');
    return lines;
  }

  const version = plan.changes.find((c) => c.kind === 'openclaw-version');
  if (version) lines.push(`${version.summary}.`);
  for (const c of plan.changes.filter((c) => c.kind === 'config')) lines.push(`Config: ${c.summary}.`);
  const closure = plan.changes.find((c) => c.kind === 'closure');
  if (closure) lines.push(`Packages: ${closure.summary}.`);
  const sources = plan.changes.filter((c) => c.kind === 'source');
  if (sources.length) lines.push(`Nix sources changed: ${sources.map((c) => c.summary).join('; ')}.`);
  if (!version && !plan.changes.some((c) => c.kind === 'config' || c.kind === 'closure')) {
    lines.push(plan.generations.current ? 'The flake builds a new generation with no visible change to OpenClaw.' : 'This is the first deployment to this host.');
  }

  const cur = plan.generations.current;
  const made = cur ? `generation ${plan.generations.next?.number ?? cur.number + 1}` : 'the first generation';
  const channels = host.channels.length ? ` (channels: ${host.channels.join(', ')})` : '';
  const goal = plan.goal ?? 'switch';
  if (goal === 'dry-activate') {
    lines.push(`Goal dry-activate: the new build was put in the host's store (nothing runs it) and asked what activating it would do; nothing is set or activated, and applying changes nothing.`);
    return withWarnings(lines, plan);
  }
  if (goal === 'boot') {
    lines.push(`Goal boot: applying makes the new build ${made} of ${host.profile} and the boot default; nothing restarts now, the gateway runs it after the next reboot.`);
    lines.push('Validating the running gateway would only check the old generation, so there is no validation: the deploy is recorded as applied for the next boot.');
    lines.push(cur ? `If making it the boot default fails, generation ${cur.number} is made the boot default again.` : 'There is no previous generation to return to.');
    return withWarnings(lines, plan);
  }
  lines.push(
    goal === 'test'
      ? `Goal test: applying activates the new build without making it the boot default, which restarts the gateway${channels}; ${host.profile} stays ${cur ? `on generation ${cur.number}` : 'empty'}, so a reboot returns to ${cur ? 'it' : 'no generation'}.`
      : `Applying makes the new build ${made} of ${host.profile} and activates it, which restarts the gateway${channels}.`,
  );
  lines.push(
    `Validation checks the gateway's RPC, health and readiness on port ${host.gateway.port}${host.channels.length ? `, then probes ${host.channels.length === 1 ? 'the channel' : 'each channel'}` : ''}: a healthy gateway can still have dead channels.`,
  );
  lines.push(
    cur
      ? goal === 'test'
        ? `If validation fails, generation ${cur.number} (${cur.storePath}) is activated again.`
        : `If validation fails, roll back to generation ${cur.number} (${cur.storePath}).`
      : 'There is no previous generation on this host, so a failed deploy cannot be rolled back to one: stop the gateway and fix forward.',
  );
  return withWarnings(lines, plan);
}

function withWarnings(lines: string[], plan: UnhashedPlan): string[] {
  const warns = plan.findings.filter((f) => f.severity === 'warn');
  if (warns.length) lines.push(`Review ${plural(warns.length, 'warning')} before applying.`);
  return lines;
}
