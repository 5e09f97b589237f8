// A model's proposal is only ever a list of catalog actions. It is parsed, validated against
// the catalog, and checked against the deterministic plan's invariants (plan/invariants.ts:
// the apply installs the planned build, validation probes the gateway and every channel,
// rollback returns to the current generation; a runbook is held to the same). A refused
// proposal is sent back once for repair; after that the deterministic plan is used and the
// user is told why.
import { z } from 'zod';
import type { Host } from '../inventory/schema.js';
import type { Plan, Step } from '../plan/schema.js';
import { Plan as PlanSchema } from '../plan/schema.js';
import { ACTIONS, validateAction, type ActionContext } from '../plan/catalog.js';
import { planHash } from '../plan/hash.js';
import { planInvariants } from '../plan/invariants.js';
import type { ToolSpec } from '../llm/types.js';

const ProposedStep = z.object({ action: z.string().max(64), args: z.record(z.string(), z.unknown()), reason: z.string().max(500) }).strict();
export const Proposal = z
  .object({
    apply: z.array(ProposedStep).max(20),
    validate: z.array(ProposedStep).max(30),
    rollback: z.array(ProposedStep).max(30),
  })
  .strict();
export type Proposal = z.infer<typeof Proposal>;

export const PROPOSE_TOOL = 'propose_plan';

/** The one tool a model may call to propose steps (its schema is the proposal's). */
export function proposeTool(): ToolSpec {
  return {
    name: PROPOSE_TOOL,
    description: `Propose the deploy as catalog actions in three lists: apply, validate, rollback. Actions: ${Object.keys(ACTIONS).join(', ')}. Nothing runs until the tool layer validates it and a person confirms.`,
    parameters: z.toJSONSchema(Proposal) as Record<string, unknown>,
  };
}

export type Checked = { ok: true; plan: Plan } | { ok: false; problems: string[] };

function parse(raw: string): { ok: true; value: Proposal } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'the proposal is not valid JSON' };
  }
  const p = Proposal.safeParse(json);
  if (!p.success) {
    const issue = p.error.issues[0]!;
    return { ok: false, problem: `the proposal does not fit the schema at ${issue.path.join('.') || 'the top'}: ${issue.message}` };
  }
  return { ok: true, value: p.data };
}

/** Validates a model's raw tool-call arguments into a Plan (same analysis, the model's steps). */
export function checkProposal(raw: string, reference: Plan, host: Host, ctx: ActionContext): Checked {
  const parsed = parse(raw);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems: string[] = [];
  const steps: Record<'apply' | 'validate' | 'rollback', Step[]> = { apply: [], validate: [], rollback: [] };
  for (const phase of ['apply', 'validate', 'rollback'] as const) {
    parsed.value[phase].forEach((s, i) => {
      const v = validateAction(s.action, s.args, ctx);
      if (!v.ok) problems.push(`${phase} step ${i + 1}: ${v.reason}`);
      else steps[phase].push({ id: `${phase}-${i + 1}`, action: s.action, args: s.args, on: v.spec.on, reason: s.reason, risk: v.spec.risk, argv: v.argv });
    });
  }
  problems.push(...planInvariants(steps, reference, host));
  if (problems.length) return { ok: false, problems };
  const unhashed = { ...reference, steps } as Record<string, unknown>;
  delete unhashed['hash'];
  return { ok: true, plan: PlanSchema.parse({ ...unhashed, hash: planHash(unhashed) }) };
}
