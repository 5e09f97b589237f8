// A runbook is executed exactly as reviewed, or not at all: its hash must match its content,
// every step must still be what the catalog builds, and the host must still be where the
// runbook found it (same current generation, same flake revision and lock, same build).
import { z } from 'zod';
import type { Host } from '../inventory/schema.js';
import { Plan } from '../plan/schema.js';
import { planHash } from '../plan/hash.js';
import { validateAction } from '../plan/catalog.js';
import { UserError } from '../errors.js';
import type { RunbookJson } from '../plan/runbook.js';
import { destination, parseSshTarget } from '../transport/target.js';

const RunbookSchema = z.object({ kind: z.literal('clawdeploy-runbook'), version: z.literal(1), flakeDir: z.string(), plan: Plan });

export function parseRunbook(text: string, file: string): RunbookJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not JSON (expected the .json sidecar of a runbook)`);
  }
  const parsed = RunbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: ${issue.path.join('.') || 'runbook'}: ${issue.message}`);
  }
  return parsed.data as RunbookJson;
}

/** Problems that make a runbook invalid in itself: edited after review, or steps the catalog refuses. */
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
  return problems;
}

/** What changed since the runbook was made; empty when a fresh plan is the same plan. */
export function staleness(reviewed: Plan, now: Plan): string[] {
  if (reviewed.hash === now.hash) return [];
  const out: string[] = [];
  const cur = (p: Plan) => (p.generations.current ? `generation ${p.generations.current.number} (${p.generations.current.storePath})` : 'no generation');
  if (JSON.stringify(reviewed.generations.current) !== JSON.stringify(now.generations.current)) out.push(`stale: the host now runs ${cur(now)}, the runbook expected ${cur(reviewed)}`);
  if (reviewed.flake.target.rev !== now.flake.target.rev || reviewed.flake.target.dirty !== now.flake.target.dirty)
    out.push(
      `stale: the flake is now at ${now.flake.target.rev?.slice(0, 12) ?? 'no commit'}${now.flake.target.dirty ? ' + changes' : ''}, the runbook was made at ${reviewed.flake.target.rev?.slice(0, 12) ?? 'no commit'}${reviewed.flake.target.dirty ? ' + changes' : ''}`,
    );
  if (reviewed.flake.lockHash !== now.flake.lockHash) out.push('stale: flake.lock changed');
  if (reviewed.generations.next?.storePath !== now.generations.next?.storePath) out.push('stale: the flake now builds a different generation');
  if (reviewed.flake.base.rev !== now.flake.base.rev) out.push(`stale: the base revision moved (${reviewed.flake.base.rev?.slice(0, 12)} → ${now.flake.base.rev?.slice(0, 12)})`);
  if (!out.length) out.push('stale: a fresh plan differs from the reviewed one (findings or host state changed); plan again and review');
  return out;
}
