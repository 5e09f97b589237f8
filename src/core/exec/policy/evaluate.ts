// Evaluates rules: every deny rule first, then ask, then allow; within a class the first
// match wins; nothing matches -> ask (fail closed to a person). So no allow can ever make an
// exception to a deny, and no rule from a user's file can loosen a default ask (agent-anchors §5).
import type { Environment } from '../../inventory/schema.js';
import type { Risk, Step } from '../../plan/schema.js';
import { ACTIONS, isActionId } from '../../plan/catalog.js';
import { UserError } from '../../errors.js';
import type { Decision, PolicyVerdict } from '../types.js';
import { PolicyRule, type Condition, type Example, type ParsedRule } from './schema.js';

/** What a rule looks at: the proposal, never its argv (that is the catalog's job). */
export interface Proposal {
  action: string;
  args?: Record<string, unknown>;
  /** Ignored for catalog actions: their risk is the catalog's, whatever a step claims. */
  risk?: Risk;
  /** The host's inventory target ("local" or ssh://…), when known. */
  target?: string;
}

export interface Policy {
  /** Defaults and user rules in evaluation order within each class. */
  readonly rules: readonly ParsedRule[];
  decide(step: Pick<Step, 'action' | 'args'> & { risk?: Risk }, environment: Environment, facts?: { target?: string }): PolicyVerdict;
}

const ORDER: readonly Decision[] = ['deny', 'ask', 'allow'];

export const NO_RULE: Omit<PolicyVerdict, 'decision'> = { rule: 'default', reason: 'no policy rule matches: a person decides (fail closed)' };

interface Compiled {
  rule: ParsedRule;
  conditions: Array<(p: Proposal) => boolean>;
}

function riskOf(p: Proposal): Risk | undefined {
  return isActionId(p.action) ? ACTIONS[p.action].risk : p.risk;
}

function targetKind(target: string | undefined): 'local' | 'ssh' | undefined {
  if (target === undefined) return undefined;
  return target === 'local' ? 'local' : 'ssh';
}

/** Strings, numbers and booleans as text; an array is each of its elements. */
function values(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.flatMap((x) => values(x) ?? []);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  return [JSON.stringify(v)];
}

function regex(source: string, ruleId: string, where: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (e) {
    throw new UserError(`${where}: rule '${ruleId}': bad regex ${JSON.stringify(source)} (${(e as Error).message})`);
  }
}

function compileCondition(c: Condition, ruleId: string, where: string): (p: Proposal) => boolean {
  if ('inCatalog' in c) return (p) => isActionId(p.action) === c.inCatalog;
  if ('target' in c) return (p) => targetKind(p.target) === c.target;
  const arg = (p: Proposal) => (p.args && Object.hasOwn(p.args, c.arg) ? values(p.args[c.arg]) : null);
  if ('equals' in c) return (p) => arg(p)?.includes(String(c.equals)) ?? false;
  if ('matches' in c) {
    const re = regex(c.matches, ruleId, where);
    return (p) => arg(p)?.some((v) => re.test(v)) ?? false;
  }
  const re = regex(c.notMatches, ruleId, where);
  // A missing argument satisfies neither form: a condition speaks only about what is there.
  return (p) => {
    const v = arg(p);
    return v !== null && !v.some((x) => re.test(x));
  };
}

function compile(rule: ParsedRule, where: string): Compiled {
  const when = rule.when === undefined ? [] : Array.isArray(rule.when) ? rule.when : [rule.when];
  return { rule, conditions: when.map((c) => compileCondition(c, rule.id, where)) };
}

function matches(c: Compiled, p: Proposal, environment: Environment): boolean {
  const r = c.rule;
  if (!r.actions.includes('*') && !r.actions.includes(p.action)) return false;
  if (r.environments && !r.environments.includes(environment)) return false;
  if (r.risks) {
    const risk = riskOf(p);
    if (risk === undefined || !r.risks.includes(risk)) return false;
  }
  return c.conditions.every((f) => f(p));
}

function decideWith(compiled: readonly Compiled[], p: Proposal, environment: Environment): PolicyVerdict {
  for (const decision of ORDER) {
    const hit = compiled.find((c) => c.rule.decision === decision && matches(c, p, environment));
    if (hit) return { decision, rule: hit.rule.id, reason: hit.rule.reason };
  }
  return { decision: 'ask', ...NO_RULE };
}

const show = (e: Example) => JSON.stringify(e);

/**
 * Builds a policy from rule data: each rule is schema-checked, and every example runs. A match
 * example must match its rule and get the rule's decision (another rule of the same class may
 * come first); a notMatch example must not match the rule. Default examples run against the
 * defaults alone (a stricter user rule may legitimately override them); user examples run
 * against the whole policy, which is what will decide. Any failure is one UserError naming
 * the rule and the example.
 */
export function createPolicy(defaults: readonly unknown[], user: readonly unknown[] = [], source = 'policy'): Policy {
  const parse = (raw: unknown, i: number, where: string): ParsedRule => {
    const r = PolicyRule.safeParse(raw);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? `rule '${(raw as { id: string }).id}'` : `rule ${i + 1}`;
    throw new UserError(`${where}: ${id}: ${issue.path.join('.') || 'rule'}: ${issue.message}`);
  };
  const tagged = [
    ...user.map((r, i) => ({ rule: parse(r, i, source), where: source, isUser: true })),
    ...defaults.map((r, i) => ({ rule: parse(r, i, 'default policy'), where: 'default policy', isUser: false })),
  ];
  const seen = new Set<string>();
  for (const { rule, where } of [...tagged].reverse()) {
    // Defaults are checked first, so a clash is always reported against the user's rule.
    if (seen.has(rule.id)) throw new UserError(`${where}: rule '${rule.id}': the id is already used by another rule`);
    seen.add(rule.id);
    // A typo would make a rule that silently never applies.
    const unknown = rule.actions.find((a) => a !== '*' && !isActionId(a));
    if (unknown !== undefined) throw new UserError(`${where}: rule '${rule.id}': unknown action '${unknown}' (use a catalog action id or '*')`);
  }
  // User rules first: within a class the first match wins, so a user's reason is the one shown.
  const compiled = tagged.map((t) => ({ ...t, ...compile(t.rule, t.where) }));
  const defaultsOnly = compiled.filter((c) => !c.isUser);

  const toProposal = (e: Example): Proposal => ({ action: e.action, args: e.args ?? {}, risk: e.risk, target: e.target });
  for (const c of compiled) {
    const at = `${c.where}: rule '${c.rule.id}'`;
    const context = c.isUser ? compiled : defaultsOnly;
    c.rule.examples.match.forEach((e, i) => {
      if (e.risk !== undefined && isActionId(e.action) && ACTIONS[e.action].risk !== e.risk) {
        throw new UserError(`${at}: match example ${i + 1} ${show(e)} gives risk '${e.risk}', but the catalog's is '${ACTIONS[e.action].risk}'`);
      }
      const p = toProposal(e);
      if (!matches(c, p, e.environment)) throw new UserError(`${at}: match example ${i + 1} ${show(e)} does not match the rule`);
      const v = decideWith(context, p, e.environment);
      if (v.decision !== c.rule.decision) {
        throw new UserError(`${at}: match example ${i + 1} ${show(e)} is decided '${v.decision}' by rule '${v.rule}', not '${c.rule.decision}'`);
      }
    });
    c.rule.examples.notMatch.forEach((e, i) => {
      if (matches(c, toProposal(e), e.environment)) throw new UserError(`${at}: notMatch example ${i + 1} ${show(e)} matches the rule`);
    });
  }

  return {
    rules: compiled.map((c) => c.rule),
    decide: (step, environment, facts = {}) => decideWith(compiled, { action: step.action, args: step.args, risk: step.risk, target: facts.target }, environment),
  };
}
