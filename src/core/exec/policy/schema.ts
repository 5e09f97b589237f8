// The shape of a policy rule, as data: the defaults (default.ts) and a user's
// clawdeploy.policy.yaml share it, so both are checked by the same schema and self-tests.
import { z } from 'zod';
import { Environment } from '../../inventory/schema.js';
import { Risk } from '../../plan/schema.js';

/** Conditions on a proposal; a rule's `when` holds when all of its conditions hold. */
export const Condition = z.union([
  /** An argument (a string, number, or any element of an array) matches the regex. */
  z.object({ arg: z.string().min(1), matches: z.string() }).strict(),
  /** The argument is present and no element of it matches the regex. */
  z.object({ arg: z.string().min(1), notMatches: z.string() }).strict(),
  z.object({ arg: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
  /** Where the host is: this machine ("local") or over ssh. */
  z.object({ target: z.enum(['local', 'ssh']) }).strict(),
  /** Whether the action is one of the typed catalog's. */
  z.object({ inCatalog: z.boolean() }).strict(),
]);
export type Condition = z.infer<typeof Condition>;

export const Example = z
  .object({
    action: z.string().min(1),
    args: z.record(z.string(), z.unknown()).optional(),
    environment: Environment,
    /** Only for actions outside the catalog; a catalog action always has the catalog's risk. */
    risk: Risk.optional(),
    target: z.enum(['local', 'ssh']).optional(),
  })
  .strict();
export type Example = z.infer<typeof Example>;

export const Decision = z.enum(['deny', 'ask', 'allow']);

export const PolicyRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes'),
    decision: Decision,
    /** Catalog action ids, or '*' for every action. */
    actions: z.array(z.string().min(1)).min(1),
    environments: z.array(Environment).min(1).optional(),
    risks: z.array(Risk).min(1).optional(),
    when: z.union([Condition, z.array(Condition).min(1)]).optional(),
    reason: z.string().min(1),
    /** Run at load: a rule without a passing example does not load. */
    examples: z.object({ match: z.array(Example).min(1), notMatch: z.array(Example).default([]) }).strict(),
  })
  .strict();
export type PolicyRule = z.input<typeof PolicyRule>;
export type ParsedRule = z.infer<typeof PolicyRule>;

export const PolicyFile = z.object({ rules: z.array(PolicyRule) }).strict();
