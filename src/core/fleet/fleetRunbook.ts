// A fleet runbook: Markdown a person reads, and a JSON sidecar holding every host's exact plan
// and the waves, hashed, so `apply --runbook` runs it exactly as reviewed: each host's fresh plan
// must be the reviewed one, or the rollout does not start.
import { z } from 'zod';
import { Plan } from '../plan/schema.js';
import { canonicalJson, sha256 } from '../plan/hash.js';
import { displayStep } from '../plan/display.js';
import { ExitCode, UserError } from '../errors.js';
import type { FleetPlan } from './fleetPlan.js';

export const FleetRunbookSchema = z.object({
  kind: z.literal('clawdeploy-fleet-runbook'),
  version: z.literal(1),
  flakeDir: z.string(),
  selector: z.string(),
  options: z.object({ parallel: z.number().int().positive(), canary: z.number().int().nonnegative() }),
  waves: z.array(z.array(z.string()).min(1)),
  plans: z.record(z.string(), Plan),
  hash: z.string(),
});
export type FleetRunbook = z.infer<typeof FleetRunbookSchema>;

function hashOf(doc: Omit<FleetRunbook, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = doc;
  return `sha256:${sha256(canonicalJson(rest))}`;
}

export function fleetRunbookJson(fp: FleetPlan, flakeDir: string): string {
  const body = {
    kind: 'clawdeploy-fleet-runbook' as const,
    version: 1 as const,
    flakeDir,
    selector: fp.selector,
    options: fp.options,
    waves: fp.waves,
    plans: Object.fromEntries(fp.hosts.map((h) => [h.name, h.plan])),
  };
  return `${JSON.stringify(JSON.parse(canonicalJson({ ...body, hash: hashOf(body) })), null, 2)}\n`;
}

/** Parses and checks a fleet runbook on its own: its shape, its hash, and that its waves name planned, ready hosts once each. */
export function parseFleetRunbook(text: string, file: string): FleetRunbook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected the .json sidecar of a fleet runbook)`);
  }
  const parsed = FleetRunbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: invalid fleet runbook: ${issue.path.join('.') || 'runbook'}: ${issue.message}`, ExitCode.blocked);
  }
  const rb = parsed.data;
  if (hashOf(rb) !== rb.hash) throw new UserError(`${file}: refused: its hash does not match its content (edited after review)`, ExitCode.blocked);
  const inWaves = rb.waves.flat();
  const twice = inWaves.filter((n, i) => inWaves.indexOf(n) !== i);
  const unplanned = inWaves.filter((n) => rb.plans[n]?.status !== 'ready');
  if (twice.length || unplanned.length)
    throw new UserError(`${file}: refused: ${[...twice.map((n) => `${n} is in two waves`), ...unplanned.map((n) => `${n} is in a wave without a ready plan`)].join('; ')}`, ExitCode.blocked);
  return rb;
}

export function fleetRunbookMarkdown(fp: FleetPlan, flakeDir: string): string {
  const by = new Map(fp.hosts.map((h) => [h.name, h]));
  const lines = [`# Fleet runbook: ${fp.selector}`, '', `Flake: \`${flakeDir}\``, `Waves: ${fp.waves.length} (canary ${fp.options.canary}, then up to ${fp.options.parallel} hosts at once)`, ''];
  const idle = fp.hosts.filter((h) => h.plan.status !== 'ready');
  if (idle.length) lines.push('## Hosts left out', '', ...idle.map((h) => `- ${h.name}: ${h.plan.status}`), '');
  fp.waves.forEach((wave, i) => {
    lines.push(`## ${i === 0 && fp.options.canary ? 'Canary wave' : `Wave ${i + 1}`}: ${wave.join(', ')}`, '');
    for (const name of wave) {
      const { plan, gates } = by.get(name)!;
      const g = plan.generations;
      // The goal is part of the reviewed plan: `apply --runbook` plans and applies the host with it again.
      lines.push(`### ${name} (${plan.host.environment}, ${plan.host.target}${plan.goal ? `, goal ${plan.goal}` : ''}): generation ${g.current?.number ?? 'none'} → ${g.next?.number ?? '?'}`, '');
      for (const s of plan.summary) lines.push(`- ${s}`);
      lines.push('', '```', ...plan.steps.apply.map((s) => displayStep(s, plan.host.target)), '```', '');
      lines.push(`Then ${plan.steps.validate.length} checks (the gateway and every channel). If this host fails: it goes back to generation ${g.current?.number ?? 'none'}.`, '');
      for (const gate of gates) lines.push(`- gate ${gate.ok ? 'ok' : 'FAIL'} ${gate.gate}: ${gate.message}`);
      if (gates.length) lines.push('');
    }
    lines.push(`If any host of this wave fails, the rollout stops and the wave's other hosts go back to their generation before it; later waves do not start.`, '');
  });
  lines.push('Execute exactly as reviewed: `clawdeploy apply --runbook <this file>.json`. An edited runbook, or a host that moved since, is refused.', '');
  return lines.join('\n');
}
