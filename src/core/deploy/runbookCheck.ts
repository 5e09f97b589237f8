// A runbook is executed exactly as reviewed, or not at all: its hash must match its content,
// every step must still be what the catalog builds and do what every plan must do (the plan
// invariants), and a fresh plan must be the same plan (same host state, flake, build, steps).
import { z } from 'zod';
import type { Host } from '../inventory/schema.js';
import { Plan } from '../plan/schema.js';
import { planHash } from '../plan/hash.js';
import { validateAction } from '../plan/catalog.js';
import { planInvariants } from '../plan/invariants.js';
import { planDifferences } from '../plan/planDiff.js';
import { ExitCode, UserError } from '../errors.js';
import type { RunbookJson } from '../plan/runbook.js';
import { destination, parseSshTarget } from '../transport/target.js';

const RunbookSchema = z.object({ kind: z.literal('clawdeploy-runbook'), version: z.literal(1), flakeDir: z.string(), plan: Plan });

/**
 * A file that is not a runbook at all is bad input (exit 2); a runbook that fails its schema is an
 * invalid runbook, refused like an edited one (exit 3, README "Exit codes").
 */
export function parseRunbook(text: string, file: string): RunbookJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected the .json sidecar of a runbook)`);
  }
  if ((raw as { kind?: unknown } | null)?.kind !== 'clawdeploy-runbook')
    throw new UserError(`${file}: not a clawdeploy runbook (expected the .json sidecar that \`clawdeploy plan --runbook\` writes)`);
  const parsed = RunbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: invalid runbook: ${issue.path.join('.') || 'runbook'}: ${issue.message}`, ExitCode.blocked);
  }
  return parsed.data as RunbookJson;
}

/** Problems that make a runbook invalid in itself: edited after review, steps the catalog refuses, or steps that break the plan invariants. */
export function verifyRunbook(rb: RunbookJson, host: Host): string[] {
  const problems: string[] = [];
  const plan = rb.plan;
  if (planHash(plan as unknown as Record<string, unknown>) !== plan.hash) problems.push('its hash does not match its content (it was edited after review)');
  if (plan.host.name !== host.name) problems.push(`it is for host '${plan.host.name}', not '${host.name}'`);
  // The store URL the ssh transport uses (no port: Nix 2.8 store URLs have none).
  const ctx = { host, storeUrl: host.target === 'local' ? null : `ssh://${destination(parseSshTarget(host.target))}`, flakeDir: rb.flakeDir };
  for (const [phase, steps] of Object.entries(plan.steps)) {
    for (const s of steps) {
      const v = validateAction(s.action, s.args, ctx);
      if (!v.ok) problems.push(`${phase} step ${s.id}: ${v.reason}`);
      else if (v.spec.on !== s.on || v.spec.risk !== s.risk) problems.push(`${phase} step ${s.id}: its place or risk was changed`);
      else if (JSON.stringify(v.argv) !== JSON.stringify(s.argv)) problems.push(`${phase} step ${s.id}: its command is not the one the catalog builds`);
    }
  }
  if (plan.status !== 'ready') problems.push(`the plan is ${plan.status}: there is nothing to execute`);
  // A recomputed hash proves nothing: the steps must still do what every plan must do.
  else problems.push(...planInvariants(plan.steps, plan, host));
  return problems;
}

/**
 * What differs between the runbook and a fresh plan, each named (plan/planDiff.ts); empty when
 * the fresh plan is the same plan. The runbook's content is compared, not its hash field.
 */
export function staleness(reviewed: Plan, now: Plan): string[] {
  return planDifferences(reviewed, now);
}
