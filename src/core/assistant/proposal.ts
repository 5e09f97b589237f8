// A model's proposal is only ever a list of catalog actions. It is parsed, validated against
// the catalog, and checked against the deterministic plan's invariants (the apply installs the
// planned build, validation probes the gateway and every channel, rollback returns to the
// current generation). A refused proposal is sent back once for repair; after that the
// deterministic plan is used and the user is told why.
import { z } from 'zod';
import type { Host } from '../inventory/schema.js';
import type { Plan, Step } from '../plan/schema.js';
import { Plan as PlanSchema } from '../plan/schema.js';
import { ACTIONS, validateAction, type ActionContext } from '../plan/catalog.js';
import { planHash } from '../plan/hash.js';
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
  problems.push(...invariants(steps, reference, host));
  if (problems.length) return { ok: false, problems };
  const unhashed = { ...reference, steps } as Record<string, unknown>;
  delete unhashed['hash'];
  return { ok: true, plan: PlanSchema.parse({ ...unhashed, hash: planHash(unhashed) }) };
}

const APPLY_ACTIONS = new Set(['build', 'copy-closure', 'set-profile', 'activate']);

/** What every acceptable plan must do, whatever the model says. */
function invariants(steps: Record<'apply' | 'validate' | 'rollback', Step[]>, ref: Plan, host: Host): string[] {
  const out: string[] = [];
  const next = ref.generations.next?.storePath;
  const current = ref.generations.current;
  for (const s of steps.apply) if (!APPLY_ACTIONS.has(s.action)) out.push(`apply may only build, copy, set the profile and activate; ${s.action} is not allowed there`);
  const set = steps.apply.filter((s) => s.action === 'set-profile');
  if (ref.status === 'ready') {
    if (set.length !== 1 || set[0]!.args['storePath'] !== next) out.push(`apply must set the profile exactly once, to the planned build ${next}`);
    if (!steps.apply.some((s) => s.action === 'activate')) out.push('apply must activate the new generation');
    const setAt = steps.apply.findIndex((s) => s.action === 'set-profile');
    const actAt = steps.apply.findIndex((s) => s.action === 'activate');
    if (setAt >= 0 && actAt >= 0 && actAt < setAt) out.push('apply must set the profile before it activates');
  } else if (steps.apply.length) {
    out.push(`the plan is ${ref.status}: there must be no apply steps`);
  }
  const probes = steps.validate.filter((s) => s.action === 'channels-probe');
  const probed = new Set(probes.flatMap((s) => (Array.isArray(s.args['channels']) ? (s.args['channels'] as string[]) : [])));
  if (!steps.validate.some((s) => s.action === 'gateway-status' || s.action === 'gateway-health')) out.push('validation must check the gateway (gateway-status or gateway-health)');
  if (!probes.length) out.push('validation must probe the channels (channels-probe): health OK is not enough');
  for (const ch of host.channels) if (probes.length && !probed.has(ch)) out.push(`validation must probe channel ${ch}`);
  for (const s of [...steps.validate]) if (s.risk !== 'read') out.push(`validation may only read; ${s.action} changes the host`);
  if (ref.status === 'ready' && current) {
    const back = steps.rollback.find((s) => s.action === 'switch-generation');
    if (!back || back.args['generation'] !== current.number || back.args['storePath'] !== current.storePath) {
      out.push(`rollback must switch back to generation ${current.number} (${current.storePath})`);
    }
    if (!steps.rollback.some((s) => s.action === 'activate')) out.push('rollback must activate the previous generation again');
  }
  return out;
}
